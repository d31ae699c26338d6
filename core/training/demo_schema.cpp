#include "training/demo_schema.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "synth/question_templates.h"
#include "synth/question_types.h"

namespace medvqa::training {

namespace {

struct KnownCode {
  std::string_view answer;
  vqa::Code code;
};

// CID 230 (Yes-No) and CID 244 (Laterality).
const std::array<KnownCode, 5>& knownCodes() {
  static const std::array<KnownCode, 5> codes = {{
      {"yes", {"373066001", "SCT", "Yes"}},
      {"no", {"373067005", "SCT", "No"}},
      {"left", {"7771000", "SCT", "Left"}},
      {"right", {"24028007", "SCT", "Right"}},
      {"bilateral", {"51440002", "SCT", "Bilateral"}},
  }};
  return codes;
}

std::optional<vqa::Code> codeFor(std::string_view answer) {
  for (const auto& known : knownCodes()) {
    if (known.answer == answer) return known.code;
  }
  return std::nullopt;
}

void addAnswer(std::vector<vqa::AnswerEntry>& answers, std::string_view text) {
  const bool known = std::any_of(answers.begin(), answers.end(), [&](const auto& entry) { return entry.text == text; });
  if (!known) answers.push_back({std::string(text), codeFor(text)});
}

// The studies the synthetic data shows each kind on: chest radiographs (CR or DX) and abdominal CT.
// Body Part Examined values are the standard's defined terms (PS 3.16 Annex L).
std::vector<vqa::Applicability> appliesTo(synth::StudyKind kind) {
  if (kind == synth::StudyKind::Chest) return {{{"CR", "DX"}, {"CHEST", "THORAX"}}};
  return {{{"CT"}, {"ABDOMEN", "ABDOMENPELVIS", "LIVER", "KIDNEY"}}};
}

std::string anatomyOf(synth::QuestionType type) {
  using QT = synth::QuestionType;
  switch (type) {
    case QT::EffusionPresence:
    case QT::EffusionSide:
    case QT::Pneumothorax:
      return "pleural space";
    case QT::Cardiomegaly:
      return "heart";
    case QT::NoduleCount:
      return "lungs";
    case QT::LiverLesion:
    case QT::LiverLesionCount:
    case QT::LiverLesionSize:
      return "liver";
    case QT::KidneyLesion:
    case QT::KidneyLesionSide:
      return "kidneys";
  }
  return "";
}

vqa::QuestionType questionType(synth::QuestionType type) {
  const bool closed = synth::isClosed(type);
  vqa::QuestionType entry;
  entry.name = std::string(synth::toString(type));
  entry.closed = closed;
  // "Is there ...": one image showing the finding is enough; counts and sides are voted.
  entry.combine = closed ? vqa::Combine::MaxConfidence : vqa::Combine::Majority;
  // The type's first phrasing, which every model trained here was trained on.
  entry.question = std::string(synth::canonicalPhrasing(type).text);
  for (const auto answer : synth::answersFor(type)) entry.answers.emplace_back(answer);
  entry.anatomy = anatomyOf(type);
  entry.appliesTo = appliesTo(synth::kindOf(type));
  return entry;
}

}  // namespace

ModelSchema demoSchema() {
  ModelSchema schema;
  for (const auto kind : {synth::StudyKind::Chest, synth::StudyKind::Ct}) {
    for (const auto type : synth::typesFor(kind)) {
      schema.questionTypes.push_back(questionType(type));
      for (const auto answer : synth::answersFor(type)) addAnswer(schema.answers, answer);
    }
  }
  return schema;
}

}  // namespace medvqa::training

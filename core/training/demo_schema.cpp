#include "training/demo_schema.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

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

}  // namespace

ModelSchema demoSchema() {
  ModelSchema schema;
  for (const auto kind : {synth::StudyKind::Chest, synth::StudyKind::Ct}) {
    for (const auto type : synth::typesFor(kind)) {
      const bool closed = synth::isClosed(type);
      // "Is there ...": one image showing the finding is enough; counts and sides are voted.
      schema.questionTypes.push_back(
          {std::string(synth::toString(type)), closed, closed ? vqa::Combine::MaxConfidence : vqa::Combine::Majority});
      for (const auto answer : synth::answersFor(type)) addAnswer(schema.answers, answer);
    }
  }
  return schema;
}

}  // namespace medvqa::training

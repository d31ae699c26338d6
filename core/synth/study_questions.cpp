#include "synth/study_questions.h"

#include <algorithm>

#include "common/error.h"
#include "synth/random.h"

namespace medvqa::synth {
namespace {

std::string yesNo(bool value) { return value ? "yes" : "no"; }

const Phrasing* drawPhrasing(QuestionType type, std::uint64_t seed, std::string_view purpose, unsigned studyIndex) {
  const std::vector<const Phrasing*> choices = phrasingsFor(type);
  Rng rng(seed, purpose, {studyIndex, static_cast<std::uint64_t>(type)});
  return choices[rng.next() % choices.size()];
}

template <typename Findings>
std::vector<QuestionAnswer> ask(const Findings& f, StudyKind kind, std::uint64_t seed, unsigned studyIndex) {
  std::vector<QuestionAnswer> out;
  for (const QuestionType type : typesFor(kind)) {
    const Phrasing* phrasing = drawPhrasing(type, seed, "phrasing", studyIndex);
    out.push_back({phrasing, std::string(answerAsAsked(*phrasing, answerFor(type, f)))});
  }
  return out;
}

[[noreturn]] void wrongKind(QuestionType type) {
  throw Error(ErrorCode::InvalidArgument, std::string(toString(type)) + " is not asked about this kind of study");
}

}  // namespace

std::string_view toString(Expect expect) {
  switch (expect) {
    case Expect::Answered: return "answered";
    case Expect::Unsupported: return "unsupported";
    case Expect::NotApplicable: return "not_applicable";
  }
  return "answered";
}

std::optional<Expect> parseExpect(std::string_view text) {
  for (const Expect e : {Expect::Answered, Expect::Unsupported, Expect::NotApplicable})
    if (toString(e) == text) return e;
  return std::nullopt;
}

std::string answerFor(QuestionType type, const ChestFindings& f) {
  switch (type) {
    case QuestionType::EffusionPresence: return yesNo(f.effusion != Side::None);
    case QuestionType::EffusionSide: return std::string(toString(f.effusion));
    case QuestionType::Cardiomegaly: return yesNo(f.cardiomegaly);
    case QuestionType::Pneumothorax: return yesNo(f.pneumothorax != Side::None);
    case QuestionType::NoduleCount: return std::to_string(f.nodules);
    default: wrongKind(type);
  }
}

std::string answerFor(QuestionType type, const CtFindings& f) {
  switch (type) {
    case QuestionType::LiverLesion: return yesNo(f.liverLesions > 0);
    case QuestionType::LiverLesionCount: return std::to_string(f.liverLesions);
    case QuestionType::LiverLesionSize: return std::string(toString(f.liverLesionSize));
    case QuestionType::KidneyLesion: return yesNo(f.kidneyLesion != Side::None);
    case QuestionType::KidneyLesionSide: return std::string(toString(f.kidneyLesion));
    default: wrongKind(type);
  }
}

std::string typeAnswerOf(const QuestionAnswer& qa) {
  return qa.inverse() ? std::string(flipYesNo(qa.answer)) : qa.answer;
}

std::vector<QuestionAnswer> questionsFor(const ChestFindings& f, std::uint64_t seed, unsigned studyIndex) {
  return ask(f, StudyKind::Chest, seed, studyIndex);
}

std::vector<QuestionAnswer> questionsFor(const CtFindings& f, std::uint64_t seed, unsigned studyIndex) {
  return ask(f, StudyKind::Ct, seed, studyIndex);
}

std::vector<QuestionAnswer> refusalsFor(StudyKind kind, std::uint64_t seed, unsigned studyIndex) {
  std::vector<QuestionAnswer> out;
  const auto catalogue = outOfScopeQuestions();
  for (unsigned slot = 0; slot < kOutOfScopePerStudy; ++slot) {
    // Redrawn (on the same stream) while it repeats an earlier slot's item.
    Rng rng(seed, "out-of-scope", {studyIndex, slot});
    const OutOfScopeQuestion* item = nullptr;
    do {
      item = &catalogue[rng.next() % catalogue.size()];
    } while (std::any_of(out.begin(), out.end(), [&](const QuestionAnswer& qa) { return qa.outOfScope == item; }));
    out.push_back({nullptr, "", Expect::Unsupported, item});
  }
  const StudyKind other = kind == StudyKind::Chest ? StudyKind::Ct : StudyKind::Chest;
  const auto otherTypes = typesFor(other);
  for (unsigned slot = 0; slot < kNotApplicablePerStudy; ++slot) {
    Rng rng(seed, "not-applicable type", {studyIndex, slot});
    const QuestionType type = otherTypes[rng.next() % otherTypes.size()];
    out.push_back({drawPhrasing(type, seed, "not-applicable phrasing", studyIndex), "", Expect::NotApplicable, nullptr});
  }
  return out;
}

std::vector<QuestionAnswer> studyQuestionsFor(const ChestFindings& f, std::uint64_t seed, unsigned studyIndex) {
  auto out = questionsFor(f, seed, studyIndex);
  for (auto& qa : refusalsFor(StudyKind::Chest, seed, studyIndex)) out.push_back(std::move(qa));
  return out;
}

std::vector<QuestionAnswer> studyQuestionsFor(const CtFindings& f, std::uint64_t seed, unsigned studyIndex) {
  auto out = questionsFor(f, seed, studyIndex);
  for (auto& qa : refusalsFor(StudyKind::Ct, seed, studyIndex)) out.push_back(std::move(qa));
  return out;
}

}  // namespace medvqa::synth

#include "synth/study_questions.h"

#include "common/error.h"
#include "synth/random.h"

namespace medvqa::synth {
namespace {

std::string yesNo(bool value) { return value ? "yes" : "no"; }

const Phrasing* drawPhrasing(QuestionType type, std::uint64_t seed, unsigned studyIndex) {
  const std::vector<const Phrasing*> choices = phrasingsFor(type);
  Rng rng(seed, "phrasing", {studyIndex, static_cast<std::uint64_t>(type)});
  return choices[rng.next() % choices.size()];
}

template <typename Findings>
std::vector<QuestionAnswer> ask(const Findings& f, StudyKind kind, std::uint64_t seed, unsigned studyIndex) {
  std::vector<QuestionAnswer> out;
  for (const QuestionType type : typesFor(kind)) out.push_back({drawPhrasing(type, seed, studyIndex), answerFor(type, f)});
  return out;
}

[[noreturn]] void wrongKind(QuestionType type) {
  throw Error(ErrorCode::InvalidArgument, std::string(toString(type)) + " is not asked about this kind of study");
}

}  // namespace

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

std::vector<QuestionAnswer> questionsFor(const ChestFindings& f, std::uint64_t seed, unsigned studyIndex) {
  return ask(f, StudyKind::Chest, seed, studyIndex);
}

std::vector<QuestionAnswer> questionsFor(const CtFindings& f, std::uint64_t seed, unsigned studyIndex) {
  return ask(f, StudyKind::Ct, seed, studyIndex);
}

}  // namespace medvqa::synth

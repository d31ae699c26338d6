#include "vqa/answer_space.h"

#include "common/error.h"

namespace medvqa::vqa {

AnswerSpace::AnswerSpace(const Manifest& manifest)
    : allowed_(manifest.answers.size(), true), yes_(manifest.answerIndex("yes")), no_(manifest.answerIndex("no")) {}

AnswerSpace::AnswerSpace(const Manifest& manifest, const QuestionType& type) : AnswerSpace(manifest) {
  if (type.answers.empty()) return;
  allowed_.assign(manifest.answers.size(), false);
  for (const auto& text : type.answers) {
    const auto index = manifest.answerIndex(text);
    if (!index) throw Error(ErrorCode::Config, type.name + ": \"" + text + "\" is not one of the model's answers");
    allowed_[*index] = true;
  }
}

Probabilities AnswerSpace::restrict(const Probabilities& row) const {
  Probabilities out(row.size(), 0.0f);
  double mass = 0.0;
  std::size_t inside = 0;
  for (std::size_t a = 0; a < row.size() && a < allowed_.size(); ++a) {
    if (!allowed_[a]) continue;
    mass += row[a];
    ++inside;
  }
  for (std::size_t a = 0; a < row.size() && a < allowed_.size(); ++a) {
    if (!allowed_[a]) continue;
    out[a] = mass > 0.0 ? static_cast<float>(row[a] / mass) : 1.0f / static_cast<float>(inside);
  }
  return out;
}

std::size_t AnswerSpace::flipped(std::size_t answer) const {
  if (yes_ && no_) {
    if (answer == *yes_) return *no_;
    if (answer == *no_) return *yes_;
  }
  return answer;
}

}  // namespace medvqa::vqa

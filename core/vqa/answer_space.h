#pragma once

// A question type answers among its own answers only: a yes/no type never answers a count.
// The model's softmax row is restricted to the type's answers and renormalised (the same as a
// softmax over those answers' logits alone), and inverse polarity maps yes to no.

#include <cstddef>
#include <optional>
#include <vector>

#include "vqa/manifest.h"
#include "vqa/model.h"

namespace medvqa::vqa {

class AnswerSpace {
 public:
  // Every answer of the manifest (a format-1 type, or no type at all).
  explicit AnswerSpace(const Manifest& manifest);
  // The type's answers; Error(Config) for an answer the manifest lacks.
  AnswerSpace(const Manifest& manifest, const QuestionType& type);

  bool contains(std::size_t answer) const { return allowed_[answer]; }
  // Zero outside the space, renormalised; a row with no mass inside stays uniform over the space.
  Probabilities restrict(const Probabilities& row) const;
  // The answer a closed type's index means when asked the other way round (yes <-> no); the index
  // itself when there is no such pair.
  std::size_t flipped(std::size_t answer) const;

 private:
  std::vector<bool> allowed_;
  std::optional<std::size_t> yes_, no_;
};

}  // namespace medvqa::vqa

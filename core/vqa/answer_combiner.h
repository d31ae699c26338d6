#pragma once

// Turns per-image probabilities into one answer for a study. The runtime does not know the type
// of a free-text question, so the rule comes from the answers themselves:
// - closed (every image's top answer is "yes" or "no"): "is there" semantics, the study is "yes"
//   when any image says yes, with the highest P(yes); otherwise "no" with the lowest P(no);
// - otherwise: majority vote of the images' top answers, ties to the summed confidence; the
//   confidence is the mean probability of the winner over all images.

#include <cstddef>
#include <span>
#include <vector>

#include "vqa/manifest.h"
#include "vqa/model.h"

namespace medvqa::vqa {

struct RankedAnswer {
  std::size_t index = 0;  // into Manifest::answers
  double confidence = 0.0;
};

struct CombinedAnswer {
  RankedAnswer best;
  std::vector<RankedAnswer> alternatives;  // next most likely, most likely first
  Combine rule = Combine::Majority;
};

// `perImage` holds one probability row per image (non-empty, rows as long as `answers`).
// Error(InvalidArgument) otherwise.
CombinedAnswer combineAnswers(const std::vector<AnswerEntry>& answers, std::span<const Probabilities> perImage,
                              std::size_t alternatives = 3);

}  // namespace medvqa::vqa

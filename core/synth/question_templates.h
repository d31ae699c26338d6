// Question phrasings: several per question type, some held out of training.
//
// Radiologists will not use our words, so each type has paraphrases with the synonyms they do
// use; the held-out ones never reach training and measure how well the model's question encoder
// generalises to a phrasing it has not seen.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "synth/question_types.h"

namespace medvqa::synth {

struct Phrasing {
  int id;               // stable: written to truth.jsonl; never renumbered, only appended
  QuestionType type;
  bool heldout;         // never in training; evaluation only
  std::string_view text;
};

std::span<const Phrasing> allPhrasings();
/// The phrasings of one type, in table order (held-out ones included).
std::vector<const Phrasing*> phrasingsFor(QuestionType type);
/// nullptr when no phrasing has this id.
const Phrasing* findPhrasing(int id);

}  // namespace medvqa::synth

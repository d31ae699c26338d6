// Question phrasings: several per question type, some held out of training.
//
// Radiologists will not use our words, so each type has paraphrases with the synonyms they do
// use; the held-out ones never reach training and measure how well the model's question encoder
// generalises to a phrasing it has not seen.
//
// Closed (yes/no) types also have inverse phrasings, whose "yes" means the finding is absent
// ("Is the heart normal in size?" for cardiomegaly): their truth answer is the type's answer
// flipped, so a model must read the polarity, not only the topic.
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
  bool inverse = false;  // closed types only: "yes" means the finding is absent
};

std::span<const Phrasing> allPhrasings();
/// The phrasings of one type, in table order (held-out ones included).
std::vector<const Phrasing*> phrasingsFor(QuestionType type);
/// nullptr when no phrasing has this id.
const Phrasing* findPhrasing(int id);
/// The type's canonical question: its first phrasing (id 10n + 1 for the n-th type, 0-based),
/// direct and trained on. The answer head is always fed this one, whatever the user asked.
const Phrasing& canonicalPhrasing(QuestionType type);
/// "yes" <-> "no"; any other answer unchanged.
std::string_view flipYesNo(std::string_view answer);
/// The answer to `phrasing` as asked, given the answer to its type's (direct) question.
std::string_view answerAsAsked(const Phrasing& phrasing, std::string_view typeAnswer);

}  // namespace medvqa::synth

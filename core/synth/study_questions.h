// The questions asked about one study and their true answers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "synth/findings.h"
#include "synth/question_templates.h"

namespace medvqa::synth {

struct QuestionAnswer {
  const Phrasing* phrasing = nullptr;  // its type, text, id and held-out flag
  std::string answer;                  // one of answersFor(phrasing->type)
};

std::string answerFor(QuestionType type, const ChestFindings& f);
std::string answerFor(QuestionType type, const CtFindings& f);

/// Every type of the study's kind, once each, in typesFor() order; the phrasing of each is drawn
/// by (seed, study index, type) among all its phrasings, held-out ones included (the training
/// pipeline filters those rows out, evaluation keeps them).
std::vector<QuestionAnswer> questionsFor(const ChestFindings& f, std::uint64_t seed, unsigned studyIndex);
std::vector<QuestionAnswer> questionsFor(const CtFindings& f, std::uint64_t seed, unsigned studyIndex);

}  // namespace medvqa::synth

// The questions asked about one study and their true answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/findings.h"
#include "synth/out_of_scope_questions.h"
#include "synth/question_templates.h"

namespace medvqa::synth {

/// What the engine should do with a question (truth.jsonl's "expect").
enum class Expect {
  Answered,       // one of the study's types: answer it
  Unsupported,    // out of scope (core/synth/out_of_scope_questions.h): refuse
  NotApplicable,  // a type of the other study kind (a liver question on a chest radiograph): refuse
};

std::string_view toString(Expect expect);  // "answered", "unsupported", "not_applicable"
std::optional<Expect> parseExpect(std::string_view text);

struct QuestionAnswer {
  const Phrasing* phrasing = nullptr;  // its type, text, id, held-out flag and polarity; null when unsupported
  std::string answer;  // answered: the answer to the question as asked (an inverse phrasing's is the
                       // type's answer flipped); empty for a refusal
  Expect expect = Expect::Answered;
  const OutOfScopeQuestion* outOfScope = nullptr;  // set when unsupported

  std::string_view text() const { return outOfScope ? std::string_view(outOfScope->text) : phrasing->text; }
  int id() const { return outOfScope ? outOfScope->id : phrasing->id; }
  bool heldout() const { return outOfScope ? outOfScope->heldout : phrasing->heldout; }
  bool inverse() const { return phrasing != nullptr && phrasing->inverse; }
};

/// Out-of-scope and not-applicable questions added to every study.
constexpr unsigned kOutOfScopePerStudy = 3;
constexpr unsigned kNotApplicablePerStudy = 1;

/// The type-level answer (the answer to the type's direct question).
std::string answerFor(QuestionType type, const ChestFindings& f);
std::string answerFor(QuestionType type, const CtFindings& f);
/// The type-level answer of an answered question: its answer, flipped back when inverse.
std::string typeAnswerOf(const QuestionAnswer& qa);

/// Every type of the study's kind, once each, in typesFor() order; the phrasing of each is drawn
/// by (seed, study index, type) among all its phrasings, direct and inverse, held-out ones
/// included (the training pipeline filters those rows out, evaluation keeps them).
std::vector<QuestionAnswer> questionsFor(const ChestFindings& f, std::uint64_t seed, unsigned studyIndex);
std::vector<QuestionAnswer> questionsFor(const CtFindings& f, std::uint64_t seed, unsigned studyIndex);

/// The questions a study of `kind` must refuse: kOutOfScopePerStudy distinct out-of-scope items
/// drawn by (seed, study index, slot) among the whole catalogue (held-out ones included), then
/// kNotApplicablePerStudy question of a type of the other kind, its type and phrasing drawn by
/// (seed, study index) as the answered ones are.
std::vector<QuestionAnswer> refusalsFor(StudyKind kind, std::uint64_t seed, unsigned studyIndex);

/// questionsFor() followed by refusalsFor(): every truth row of one study.
std::vector<QuestionAnswer> studyQuestionsFor(const ChestFindings& f, std::uint64_t seed, unsigned studyIndex);
std::vector<QuestionAnswer> studyQuestionsFor(const CtFindings& f, std::uint64_t seed, unsigned studyIndex);

}  // namespace medvqa::synth

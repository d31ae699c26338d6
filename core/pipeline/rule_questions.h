#pragma once

// A standing question the model cannot answer would write "unsupported" into every SR of every
// study the rule matches, silently and for ever. So the rules are checked against the model once,
// when the answer pipeline is built: a question that is not one of the model's question types,
// or whose type does not apply to the studies the rule selects, stops the start.

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "pipeline/rules.h"
#include "vqa/engine.h"

namespace medvqa::pipeline {

// A rule question the model cannot answer on the rule's studies: a configuration error that the
// node reports with exit status 2, as it does a bad option.
class RuleQuestionError : public Error {
 public:
  explicit RuleQuestionError(const std::string& message) : Error(ErrorCode::Config, message) {}
};

// RuleQuestionError naming the rule, the question and why. A model without question understanding
// (manifest format 1) cannot be checked; the rules then pass as they are.
void checkRuleQuestions(const std::vector<Rule>& rules, const vqa::Engine& engine);

// Why `type` may not apply to every study `rule` selects, or nullopt when it applies to all.
std::optional<std::string> ruleMismatch(const Rule& rule, const vqa::QuestionType& type);

}  // namespace medvqa::pipeline

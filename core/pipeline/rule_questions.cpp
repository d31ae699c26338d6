#include "pipeline/rule_questions.h"

#include <algorithm>

#include "vqa/applicability.h"

namespace medvqa::pipeline {

namespace {

// The rule's body-part pattern must be able to match one of the entry's body parts: a rule for
// "chest|thorax" fits a type that applies to CHEST, a rule with no body part does not fit a type
// that needs one.
bool bodyPartFits(const Rule& rule, const vqa::Applicability& entry) {
  if (entry.bodyParts.empty()) return true;
  if (!rule.bodyPart) return false;
  return std::any_of(entry.bodyParts.begin(), entry.bodyParts.end(),
                     [&](const std::string& part) { return rule.bodyPart->matches(part); });
}

}  // namespace

std::optional<std::string> ruleMismatch(const Rule& rule, const vqa::QuestionType& type) {
  if (type.appliesTo.empty()) return std::nullopt;
  const std::string applies = type.name + " applies only to " + vqa::describeAppliesTo(type);
  if (rule.modalities.empty()) return "the rule matches every modality, but " + applies;
  for (const auto& modality : rule.modalities) {
    const bool fits = std::any_of(type.appliesTo.begin(), type.appliesTo.end(), [&](const vqa::Applicability& entry) {
      return entry.acceptsModality(modality) && bodyPartFits(rule, entry);
    });
    if (!fits) {
      const std::string part = rule.bodyPart ? " with body part /" + rule.bodyPart->text + "/" : " of any body part";
      return "the rule matches " + modality + part + ", but " + applies;
    }
  }
  return std::nullopt;
}

void checkRuleQuestions(const std::vector<Rule>& rules, const vqa::Engine& engine) {
  const auto& manifest = engine.model().manifest();
  for (const auto& rule : rules) {
    const auto readings = engine.understand(rule.questions);
    for (std::size_t q = 0; q < rule.questions.size(); ++q) {
      const auto& reading = readings[q];
      const std::string where = "rule '" + rule.name + "', question \"" + rule.questions[q] + "\": ";
      if (reading.kind == vqa::Understanding::Kind::Unsupported) {
        throw RuleQuestionError(where + reading.reason);
      }
      if (reading.kind != vqa::Understanding::Kind::ModelType) continue;
      if (auto why = ruleMismatch(rule, manifest.questionTypes[reading.type])) {
        throw RuleQuestionError(where + "not applicable to the rule's studies: " + *why);
      }
    }
  }
}

}  // namespace medvqa::pipeline

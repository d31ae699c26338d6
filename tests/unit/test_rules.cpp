#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "pipeline/rules.h"

using medvqa::pipeline::CompletionPolicy;
using medvqa::pipeline::firstMatch;
using medvqa::pipeline::parseRules;
using medvqa::pipeline::SeriesFacts;
using medvqa::pipeline::StudyFacts;
using nlohmann::json;

namespace {

StudyFacts chest(const std::string& modality = "DX", const std::string& bodyPart = "CHEST") {
  return {"1.2.3", "XR CHEST PA", {{"1.2.3.1", modality, bodyPart, "PA", "1.2.840.10008.5.1.4.1.1.1.1"}}};
}

std::string configErrorOf(const std::string& text) {
  try {
    parseRules(json::parse(text));
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::Config);
    return e.what();
  }
  return "";
}

TEST(Rules, DefaultRulesAnswerTheDemoStudyKinds) {
  const auto rules = medvqa::pipeline::defaultRules();
  const auto* chestRule = firstMatch(rules, chest("CR"));
  ASSERT_NE(chestRule, nullptr);
  EXPECT_EQ(chestRule->name, "chest-radiograph");
  EXPECT_EQ(chestRule->questions.size(), 5u);
  const StudyFacts ct{"1.2.4", "CT ABDOMEN", {{"1.2.4.1", "CT", "ABDOMEN", "AXIAL", "1.2.840.10008.5.1.4.1.1.2"}}};
  ASSERT_NE(firstMatch(rules, ct), nullptr);
  EXPECT_EQ(firstMatch(rules, ct)->name, "ct-abdomen");
  const StudyFacts mrHead{"1.2.5", "MR BRAIN", {{"1.2.5.1", "MR", "HEAD", "T1", "1.2.840.10008.5.1.4.1.1.4"}}};
  EXPECT_EQ(firstMatch(rules, mrHead), nullptr) << "a study no rule matches gets no job";
}

TEST(Rules, EveryGivenCriterionMustHoldOnOneSeries) {
  const auto rules = parseRules(json::parse(R"([
    {"name": "pa-chest", "match": {"modality": "dx", "bodyPart": "^chest$", "seriesDescription": "\\bPA\\b",
                                   "studyDescription": "chest", "sopClass": "1.2.840.10008.5.1.4.1.1.1.1"},
     "questions": ["Is the heart enlarged?"]}])"));
  EXPECT_TRUE(rules[0].matches(chest()));
  EXPECT_FALSE(rules[0].matches(chest("CR"))) << "modality";
  EXPECT_FALSE(rules[0].matches(chest("DX", "ABDOMEN"))) << "body part";
  StudyFacts lateral = chest();
  lateral.series[0].seriesDescription = "LATERAL";
  EXPECT_FALSE(rules[0].matches(lateral)) << "series description";
  StudyFacts otherStudy = chest();
  otherStudy.studyDescription = "KNEE";
  EXPECT_FALSE(rules[0].matches(otherStudy)) << "study description";
  StudyFacts mixed = chest("DX", "ABDOMEN");  // one series fails, a second one matches
  mixed.series.push_back(chest().series[0]);
  EXPECT_TRUE(rules[0].matches(mixed));
}

TEST(Rules, FirstMatchingRuleWins) {
  const auto rules = parseRules(json::parse(R"([
    {"name": "specific", "match": {"modality": "DX", "bodyPart": "chest"}, "questions": ["a?"]},
    {"name": "catch-all", "questions": ["b?"]}])"));
  EXPECT_EQ(firstMatch(rules, chest())->name, "specific");
  EXPECT_EQ(firstMatch(rules, chest("MG", "BREAST"))->name, "catch-all");
}

TEST(Rules, RequiredSeriesDecideCompleteness) {
  const auto rules = parseRules(json::parse(R"([
    {"name": "pa-and-lateral", "match": {"modality": "DX"}, "questions": ["q?"],
     "requiredSeries": [{"modality": "DX", "seriesDescription": "PA"}, {"modality": ["DX", "CR"], "seriesDescription": "LAT"}],
     "completionTimeoutSeconds": 600, "onTimeout": "discard"}])"));
  const auto& rule = rules[0];
  EXPECT_EQ(rule.completionTimeout.count(), 600);
  EXPECT_EQ(rule.onTimeout, CompletionPolicy::Discard);
  StudyFacts study = chest();
  EXPECT_FALSE(rule.isComplete(study)) << "the lateral view has not arrived";
  study.series.push_back({"1.2.3.2", "CR", "CHEST", "LATERAL", "1.2.840.10008.5.1.4.1.1.1"});
  EXPECT_TRUE(rule.isComplete(study));
}

TEST(Rules, FingerprintChangesWithTheQuestions) {
  const auto a = parseRules(json::parse(R"([{"name": "r", "questions": ["Is there an effusion?"]}])"));
  const auto b = parseRules(json::parse(R"([{"name": "r", "questions": ["Is there an effusion?", "Is the heart enlarged?"]}])"));
  EXPECT_EQ(a[0].fingerprint(), parseRules(json::parse(R"([{"name": "r", "questions": ["Is there an effusion?"]}])"))[0].fingerprint());
  EXPECT_NE(a[0].fingerprint(), b[0].fingerprint());
}

TEST(Rules, BadConfigIsRefusedNamingTheRuleAndField) {
  EXPECT_NE(configErrorOf(R"({"name": "x"})").find("array"), std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"questions": ["q?"]}])").find("'name'"), std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r"}])").find("rule 'r': 'questions'"), std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r", "questions": [""]}])").find("non-empty"), std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r", "questions": ["q?"], "match": {"bodyPart": "("}}])").find("'bodyPart'"),
            std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r", "questions": ["q?"], "match": {"modality ": "CT"}}])").find("unknown 'match' key"),
            std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r", "questions": ["q?"], "onTimeout": "later"}])").find("'onTimeout'"),
            std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r", "questions": ["q?"], "completionTimeoutSeconds": -1}])").find("non-negative"),
            std::string::npos);
  EXPECT_NE(configErrorOf(R"([{"name": "r", "questions": ["q?"]}, {"name": "r", "questions": ["q?"]}])").find("twice"),
            std::string::npos);
}

TEST(Rules, JsonRoundTrip) {
  const auto rules = medvqa::pipeline::defaultRules();
  const auto again = parseRules(medvqa::pipeline::rulesToJson(rules));
  ASSERT_EQ(again.size(), rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) EXPECT_EQ(again[i].fingerprint(), rules[i].fingerprint());
}

}  // namespace

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "vqa/answer.h"
#include "vqa/answer_combiner.h"

namespace medvqa::vqa {
namespace {

using nlohmann::json;

const std::vector<AnswerEntry> kYesNo = {{"yes", std::nullopt}, {"no", std::nullopt}, {"left", std::nullopt}};
const std::vector<AnswerEntry> kCounts = {{"0", std::nullopt}, {"1", std::nullopt}, {"2", std::nullopt}};

TEST(VqaAnswer, JsonRoundTrip) {
  Answer answer;
  answer.question = "Is there an effusion?";
  answer.text = "yes";
  answer.confidence = 0.97;
  answer.alternatives = {{"no", 0.03}};
  answer.source = AnswerSource::Model;
  answer.modelName = "medvqa-demo";
  answer.modelVersion = "1.0.0";
  answer.sopInstanceUids = {"1.2.3", "1.2.4"};
  answer.code = Code{"373066001", "SCT", "Yes"};
  const json out = answer;
  EXPECT_EQ(out["answer"], "yes");
  EXPECT_EQ(out["source"], "model");
  EXPECT_EQ(out["model"]["name"], "medvqa-demo");
  EXPECT_EQ(out["evidence"].size(), 2u);
  EXPECT_EQ(out["alternatives"][0]["answer"], "no");
  EXPECT_EQ(out["code"]["scheme"], "SCT");
  EXPECT_EQ(out.get<Answer>(), answer);
  answer.code.reset();
  answer.source = AnswerSource::Header;
  EXPECT_FALSE(json(answer).contains("code"));
  EXPECT_EQ(json(answer).get<Answer>(), answer);
}

TEST(VqaAnswer, FromJsonNamesTheBadField) {
  json bad = Answer{};
  bad["answer"] = "x";
  bad["question"] = "q";
  bad["model"]["name"] = "m";
  bad["confidence"] = 1.5;
  try {
    bad.get<Answer>();
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("confidence"), std::string::npos) << e.what();
  }
}

TEST(VqaCombine, OneImageIsItsOwnAnswer) {
  const std::vector<Probabilities> rows = {{0.2f, 0.1f, 0.7f}};
  const auto combined = combineAnswers(kYesNo, rows);
  EXPECT_EQ(combined.best.index, 2u);
  EXPECT_NEAR(combined.best.confidence, 0.7, 1e-6);
  ASSERT_EQ(combined.alternatives.size(), 2u);
  EXPECT_EQ(combined.alternatives[0].index, 0u);
}

TEST(VqaCombine, ClosedQuestionsAreYesWhenAnyImageSaysYes) {
  const std::vector<Probabilities> rows = {{0.1f, 0.9f, 0.0f}, {0.8f, 0.2f, 0.0f}, {0.6f, 0.4f, 0.0f}, {0.2f, 0.8f, 0.0f}};
  const auto combined = combineAnswers(kYesNo, rows);
  EXPECT_EQ(combined.rule, Combine::MaxConfidence);
  EXPECT_EQ(combined.best.index, 0u);
  EXPECT_NEAR(combined.best.confidence, 0.8, 1e-6);  // the most confident "yes"
}

TEST(VqaCombine, ClosedQuestionsAreNoAsSureAsTheLeastSureImage) {
  const std::vector<Probabilities> rows = {{0.1f, 0.9f, 0.0f}, {0.3f, 0.7f, 0.0f}};
  const auto combined = combineAnswers(kYesNo, rows);
  EXPECT_EQ(combined.best.index, 1u);
  EXPECT_NEAR(combined.best.confidence, 0.7, 1e-6);
}

TEST(VqaCombine, OpenQuestionsAreMajorityVotes) {
  const std::vector<Probabilities> rows = {{0.1f, 0.8f, 0.1f}, {0.1f, 0.6f, 0.3f}, {0.05f, 0.05f, 0.9f}};
  const auto combined = combineAnswers(kCounts, rows);
  EXPECT_EQ(combined.rule, Combine::Majority);
  EXPECT_EQ(combined.best.index, 1u);  // two votes beat one confident one
  EXPECT_NEAR(combined.best.confidence, (0.8 + 0.6 + 0.05) / 3, 1e-6);
  EXPECT_EQ(combined.alternatives[0].index, 2u);
}

TEST(VqaCombine, TiesGoToConfidence) {
  const std::vector<Probabilities> rows = {{0.6f, 0.4f, 0.0f}, {0.1f, 0.0f, 0.9f}};
  EXPECT_EQ(combineAnswers(kCounts, rows).best.index, 2u);
}

TEST(VqaCombine, RefusesMalformedInput) {
  EXPECT_THROW(combineAnswers(kCounts, {}), Error);
  const std::vector<Probabilities> rows = {{0.5f, 0.5f}};
  EXPECT_THROW(combineAnswers(kCounts, rows), Error);
}

}  // namespace
}  // namespace medvqa::vqa

#include <gtest/gtest.h>

#include <vector>

#include "common/error.h"
#include "training/evaluation.h"

using medvqa::training::evaluate;
using medvqa::training::ScoredRow;

namespace {

std::vector<medvqa::vqa::QuestionType> types() {
  return {{"effusion_presence", true, medvqa::vqa::Combine::MaxConfidence},
          {"nodule_count", false, medvqa::vqa::Combine::Majority}};
}

}  // namespace

TEST(TrainingEvaluation, SplitsAccuracyByClosedOpenAndPhrasing) {
  const std::vector<ScoredRow> rows = {
      {"effusion_presence", false, "yes", "yes", 0.9},
      {"effusion_presence", true, "no", "yes", 0.8},
      {"nodule_count", false, "2", "2", 0.7},
      {"nodule_count", true, "1", "1", 0.6},
  };
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.overall.correct, 3u);
  EXPECT_EQ(report.overall.total, 4u);
  EXPECT_DOUBLE_EQ(report.closed.value(), 0.5);
  EXPECT_DOUBLE_EQ(report.open.value(), 1.0);
  EXPECT_DOUBLE_EQ(report.seen.value(), 1.0);
  EXPECT_DOUBLE_EQ(report.heldout.value(), 0.5);
  ASSERT_EQ(report.perType.size(), 2u);
  EXPECT_EQ(report.perType[0].type, "effusion_presence");
  EXPECT_TRUE(report.perType[0].closed);
  EXPECT_EQ(report.perType[1].accuracy.correct, 2u);
}

TEST(TrainingEvaluation, CalibrationErrorIsTheWeightedGapPerBin) {
  // Bin 13 of 15 ([0.8667, 0.9333)): confidences 0.9 and 0.9, one right -> gap 0.4, weight 1/2.
  // Bin 14 ([0.9333, 1]): 1.0 and 0.95 both right -> mean 0.975, gap 0.025, weight 1/2.
  const std::vector<ScoredRow> rows = {
      {"effusion_presence", false, "yes", "yes", 0.9},
      {"effusion_presence", false, "yes", "no", 0.9},
      {"effusion_presence", false, "yes", "yes", 1.0},
      {"effusion_presence", false, "no", "no", 0.95},
  };
  const auto report = evaluate(rows, types());
  ASSERT_EQ(report.bins.size(), 15u);
  EXPECT_EQ(report.bins[13].count, 2u);
  EXPECT_EQ(report.bins[14].count, 2u);  // a confidence of exactly 1 goes to the last bin
  EXPECT_NEAR(report.ece, 0.5 * 0.4 + 0.5 * 0.025, 1e-12);
}

TEST(TrainingEvaluation, PerfectCalibrationHasNoError) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({"nodule_count", false, "1", i < 7 ? "1" : "2", 0.7});
  EXPECT_NEAR(evaluate(rows, types()).ece, 0.0, 1e-12);
}

TEST(TrainingEvaluation, RefusesATypeTheModelDoesNotKnow) {
  const std::vector<ScoredRow> rows = {{"spleen_size", false, "large", "large", 0.5}};
  EXPECT_THROW(evaluate(rows, types()), medvqa::Error);
}

TEST(TrainingEvaluation, AnEmptySetScoresZeroWithoutDividingByZero) {
  const auto report = evaluate({}, types());
  EXPECT_EQ(report.overall.total, 0u);
  EXPECT_EQ(report.overall.value(), 0.0);
  EXPECT_EQ(report.ece, 0.0);
  EXPECT_TRUE(report.perType.empty());
}

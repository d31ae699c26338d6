#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "common/error.h"
#include "training/evaluation.h"
#include "training/evaluation_report.h"

using medvqa::training::AnswerStatus;
using medvqa::training::evaluate;
using medvqa::training::parseExpectation;
using medvqa::training::riskAtCoverage;
using medvqa::training::ScoredRow;

namespace {

std::vector<medvqa::vqa::QuestionType> types() {
  medvqa::vqa::QuestionType effusion, nodules, liver;
  effusion.name = "effusion_presence";
  effusion.closed = true;
  effusion.combine = medvqa::vqa::Combine::MaxConfidence;
  nodules.name = "nodule_count";
  liver.name = "liver_lesion";
  liver.closed = true;
  return {effusion, nodules, liver};
}

// An in-scope row (expected answered) that the runtime answered.
ScoredRow answered(std::string type, std::string truth, std::string predicted, double confidence, bool heldout = false) {
  ScoredRow row;
  row.type = type;
  row.heldout = heldout;
  row.truth = std::move(truth);
  row.predicted = std::move(predicted);
  row.confidence = confidence;
  row.predictedType = std::move(type);
  return row;
}

// An in-scope row the runtime refused with `status` (a best guess only when Uncertain).
ScoredRow refused(std::string type, AnswerStatus status, std::string truth = "yes", std::string guess = "",
                  double confidence = 0.0) {
  ScoredRow row;
  row.type = std::move(type);
  row.truth = std::move(truth);
  row.status = status;
  if (status == AnswerStatus::Uncertain) {
    row.predicted = std::move(guess);
    row.confidence = confidence;
    row.predictedType = row.type;
  }
  return row;
}

// An out-of-scope question (expected unsupported) and what the runtime did with it.
ScoredRow outOfScope(AnswerStatus status, bool heldout, std::string predicted = "", double confidence = 0.0) {
  ScoredRow row;
  row.expected = AnswerStatus::Unsupported;
  row.heldout = heldout;
  row.status = status;
  row.predicted = std::move(predicted);
  row.confidence = confidence;
  return row;
}

ScoredRow notApplicable(std::string type, AnswerStatus status) {
  ScoredRow row;
  row.type = std::move(type);
  row.expected = AnswerStatus::NotApplicable;
  row.status = status;
  if (status == AnswerStatus::Answered) {
    row.predicted = "no";
    row.confidence = 0.9;
  }
  return row;
}

}  // namespace

// --- in-scope questions ------------------------------------------------------------------------

TEST(TrainingEvaluation, AccuracyIsOverTheAnsweredAndCoverageOverTheAsked) {
  const std::vector<ScoredRow> rows = {
      answered("effusion_presence", "yes", "yes", 0.9),
      answered("effusion_presence", "no", "yes", 0.8),  // wrong
      answered("nodule_count", "2", "2", 0.7),
      refused("nodule_count", AnswerStatus::Uncertain, "1", "1", 0.4),
      refused("effusion_presence", AnswerStatus::Unsupported),
  };
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.overall.asked, 5u);
  EXPECT_EQ(report.overall.answered, 3u);
  EXPECT_EQ(report.overall.correct, 2u);
  EXPECT_EQ(report.overall.wrong(), 1u);
  EXPECT_DOUBLE_EQ(report.overall.accuracy(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(report.overall.coverage(), 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(report.overall.falseRefusals(), 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(report.overall.correctRate(), 2.0 / 5.0);
  EXPECT_EQ(report.overall.statuses[AnswerStatus::Answered], 3u);
  EXPECT_EQ(report.overall.statuses[AnswerStatus::Uncertain], 1u);
  EXPECT_EQ(report.overall.statuses[AnswerStatus::Unsupported], 1u);
  EXPECT_EQ(report.overall.statuses[AnswerStatus::NotApplicable], 0u);
  EXPECT_EQ(report.overall.understood, 4u);  // the unsupported one was resolved to no type
  EXPECT_EQ(report.rows, 5u);
}

TEST(TrainingEvaluation, AnUncertainAnswerIsARefusalNeverAnError) {
  // The best guess is wrong, but it was not given as an answer.
  const std::vector<ScoredRow> rows = {refused("effusion_presence", AnswerStatus::Uncertain, "yes", "no", 0.55),
                                       answered("effusion_presence", "yes", "yes", 0.99)};
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.overall.wrong(), 0u);
  EXPECT_DOUBLE_EQ(report.overall.accuracy(), 1.0);
  EXPECT_DOUBLE_EQ(report.overall.falseRefusals(), 0.5);
  EXPECT_FALSE(rows[0].correct());
  EXPECT_FALSE(rows[0].wrong());
}

TEST(TrainingEvaluation, SplitsByClosedOpenPhrasingAndType) {
  const std::vector<ScoredRow> rows = {
      answered("effusion_presence", "yes", "yes", 0.9),
      answered("effusion_presence", "no", "yes", 0.8, true),
      answered("nodule_count", "2", "2", 0.7),
      answered("nodule_count", "1", "1", 0.6, true),
      refused("nodule_count", AnswerStatus::Uncertain, "1", "1", 0.3),  // held out (below)
  };
  auto withHeldout = rows;
  withHeldout[4].heldout = true;
  const auto report = evaluate(withHeldout, types());
  EXPECT_EQ(report.closed.asked, 2u);
  EXPECT_DOUBLE_EQ(report.closed.accuracy(), 0.5);
  EXPECT_EQ(report.open.asked, 3u);
  EXPECT_DOUBLE_EQ(report.open.accuracy(), 1.0);
  EXPECT_DOUBLE_EQ(report.open.coverage(), 2.0 / 3.0);
  EXPECT_EQ(report.seen.asked, 2u);
  EXPECT_DOUBLE_EQ(report.seen.accuracy(), 1.0);
  EXPECT_EQ(report.heldout.asked, 3u);
  EXPECT_EQ(report.heldout.answered, 2u);
  EXPECT_EQ(report.heldout.correct, 1u);
  EXPECT_DOUBLE_EQ(report.heldout.accuracy(), 0.5);
  EXPECT_DOUBLE_EQ(report.heldout.coverage(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(report.heldout.correctRate(), 1.0 / 3.0);
  ASSERT_EQ(report.perType.size(), 2u);  // liver_lesion has no row
  EXPECT_EQ(report.perType[0].type, "effusion_presence");
  EXPECT_TRUE(report.perType[0].closed);
  EXPECT_EQ(report.perType[1].type, "nodule_count");
  EXPECT_EQ(report.perType[1].inScope.asked, 3u);
  EXPECT_EQ(report.perType[1].inScope.correct, 2u);
}

TEST(TrainingEvaluation, InversePolarityCountsWrongAnswersOfTheAsked) {
  std::vector<ScoredRow> rows = {
      answered("effusion_presence", "no", "no", 0.95),   // inverse, right
      answered("effusion_presence", "no", "yes", 0.90),  // inverse, wrong (the polarity was not flipped)
      refused("effusion_presence", AnswerStatus::Uncertain, "yes", "no", 0.5),  // inverse, refused
      answered("liver_lesion", "yes", "yes", 0.99),      // inverse, right
      answered("effusion_presence", "yes", "yes", 0.99), // direct
  };
  for (std::size_t i = 0; i < 4; ++i) rows[i].inverse = true;
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.inverse.asked, 4u);
  EXPECT_EQ(report.inverse.answered, 3u);
  EXPECT_EQ(report.inverse.wrong(), 1u);
  EXPECT_DOUBLE_EQ(report.inverse.wrongRate(), 0.25);
  EXPECT_DOUBLE_EQ(report.inverse.accuracy(), 2.0 / 3.0);
  ASSERT_EQ(report.perType.size(), 2u);
  EXPECT_EQ(report.perType[0].inverse.asked, 3u);
  EXPECT_EQ(report.perType[0].inverse.wrong(), 1u);
  EXPECT_EQ(report.perType[0].inScope.asked, 4u);
  EXPECT_EQ(report.perType[1].inverse.asked, 1u);
  EXPECT_EQ(report.perType[1].inverse.wrong(), 0u);
}

// --- risk at coverage --------------------------------------------------------------------------

TEST(TrainingEvaluation, RiskAt95KeepsTheMostConfidentNineteenOfTwenty) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 20; ++i) rows.push_back(answered("nodule_count", "1", "1", 0.99 - 0.01 * i));
  rows[19].predicted = "2";  // the least confident is wrong: outside the top 95 %
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 0.0);
  rows[18].predicted = "2";  // the 19th is inside
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 1.0 / 19.0);
  EXPECT_DOUBLE_EQ(evaluate(rows, types()).overall.riskAt95, 1.0 / 19.0);
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows, 1.0), 2.0 / 20.0);
}

TEST(TrainingEvaluation, RiskAt95RoundsTheKeptRowsUp) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(answered("nodule_count", "1", "1", 0.9 - 0.01 * i));
  rows[9].predicted = "3";  // ceil(9.5) = 10 rows kept: the last one counts
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 0.1);
  const std::vector<ScoredRow> one = {answered("nodule_count", "1", "2", 0.9)};
  EXPECT_DOUBLE_EQ(riskAtCoverage(one), 1.0);
}

TEST(TrainingEvaluation, RiskRanksRowsWithoutAnyAnswerLastAndCountsBestGuesses) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 19; ++i) rows.push_back(answered("nodule_count", "1", "1", 0.5 + 0.01 * i));
  // Refused as unsupported with a (meaningless) high confidence: still ranked last, out of the top 19.
  auto unsupported = refused("nodule_count", AnswerStatus::Unsupported);
  unsupported.confidence = 0.99;
  rows.insert(rows.begin(), unsupported);
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 0.0);
  // An uncertain row is ranked by its best guess's confidence; a right guess is no error.
  rows[1] = refused("nodule_count", AnswerStatus::Uncertain, "1", "1", 0.2);
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 0.0);
  rows[2] = refused("nodule_count", AnswerStatus::Uncertain, "1", "2", 0.95);  // a wrong guess is
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 1.0 / 19.0);
}

TEST(TrainingEvaluation, RiskCountsARowWithoutAnswerWhenCoverageNeedsIt) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 18; ++i) rows.push_back(answered("effusion_presence", "yes", "yes", 0.99));
  rows.push_back(refused("effusion_presence", AnswerStatus::NotApplicable));
  rows.push_back(refused("effusion_presence", AnswerStatus::Unsupported));
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 1.0 / 19.0);
}

TEST(TrainingEvaluation, RiskIgnoresRowsOutOfScopeAndTiesKeepTheRowsOrder) {
  std::vector<ScoredRow> rows = {outOfScope(AnswerStatus::Answered, false, "yes", 1.0)};
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows), 0.0);  // no in-scope row
  // Two rows of one confidence: with coverage 0.5 only the first is kept.
  rows.push_back(answered("nodule_count", "1", "2", 0.8));
  rows.push_back(answered("nodule_count", "1", "1", 0.8));
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows, 0.5), 1.0);
  std::swap(rows[1], rows[2]);
  EXPECT_DOUBLE_EQ(riskAtCoverage(rows, 0.5), 0.0);
}

TEST(TrainingEvaluation, PerTypeRiskRanksWithinTheType) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 20; ++i) rows.push_back(answered("nodule_count", "1", "1", 0.9));
  rows.push_back(answered("effusion_presence", "yes", "no", 0.99));
  const auto report = evaluate(rows, types());
  ASSERT_EQ(report.perType.size(), 2u);
  EXPECT_DOUBLE_EQ(report.perType[0].inScope.riskAt95, 1.0);  // effusion: its only row is wrong
  EXPECT_DOUBLE_EQ(report.perType[1].inScope.riskAt95, 0.0);
  EXPECT_DOUBLE_EQ(report.overall.riskAt95, 1.0 / 20.0);  // ceil(0.95 * 21) = 20, the wrong one first
}

// --- out of scope and not applicable -----------------------------------------------------------

TEST(TrainingEvaluation, OutOfScopeRefusalsSplitBySeenAndHeldOut) {
  const std::vector<ScoredRow> rows = {
      outOfScope(AnswerStatus::Unsupported, false),
      outOfScope(AnswerStatus::Answered, false, "yes", 0.7),  // a bluff
      outOfScope(AnswerStatus::Unsupported, true),
      outOfScope(AnswerStatus::Uncertain, true, "no", 0.3),   // refused, though not as unsupported
      outOfScope(AnswerStatus::NotApplicable, true),
      answered("effusion_presence", "yes", "yes", 0.9),
  };
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.outOfScope.asked, 5u);
  EXPECT_EQ(report.outOfScope.refused, 4u);
  EXPECT_EQ(report.outOfScope.asExpected, 2u);
  EXPECT_DOUBLE_EQ(report.outOfScope.rate(), 0.8);
  EXPECT_DOUBLE_EQ(report.outOfScope.expectedRate(), 0.4);
  EXPECT_EQ(report.outOfScopeSeen.asked, 2u);
  EXPECT_EQ(report.outOfScopeSeen.refused, 1u);
  EXPECT_EQ(report.outOfScopeHeldout.asked, 3u);
  EXPECT_EQ(report.outOfScopeHeldout.refused, 3u);
  EXPECT_DOUBLE_EQ(report.outOfScopeHeldout.rate(), 1.0);
  EXPECT_EQ(report.outOfScopeHeldout.statuses[AnswerStatus::Uncertain], 1u);
  EXPECT_EQ(report.outOfScopeHeldout.statuses[AnswerStatus::NotApplicable], 1u);
  // Out-of-scope rows are in no in-scope figure.
  EXPECT_EQ(report.overall.asked, 1u);
  EXPECT_EQ(report.seen.asked, 1u);
  EXPECT_EQ(report.heldout.asked, 0u);
}

TEST(TrainingEvaluation, NoOutOfScopeRowsGiveEmptyRefusalFigures) {
  const std::vector<ScoredRow> rows = {answered("effusion_presence", "yes", "yes", 0.9)};
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.outOfScope.asked, 0u);
  EXPECT_EQ(report.outOfScope.rate(), 0.0);
  EXPECT_EQ(report.outOfScopeHeldout.expectedRate(), 0.0);
  EXPECT_EQ(report.notApplicable.asked, 0u);
  EXPECT_EQ(report.notApplicable.rate(), 0.0);
  EXPECT_EQ(report.inverse.asked, 0u);
  EXPECT_EQ(report.inverse.wrongRate(), 0.0);
}

TEST(TrainingEvaluation, NotApplicableCountsOnlyThatStatusAsExpected) {
  const std::vector<ScoredRow> rows = {
      notApplicable("liver_lesion", AnswerStatus::NotApplicable),
      notApplicable("liver_lesion", AnswerStatus::Unsupported),  // refused, for the wrong reason
      notApplicable("liver_lesion", AnswerStatus::Answered),     // answered from a chest radiograph
      notApplicable("effusion_presence", AnswerStatus::NotApplicable),
  };
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.notApplicable.asked, 4u);
  EXPECT_EQ(report.notApplicable.refused, 3u);
  EXPECT_EQ(report.notApplicable.asExpected, 2u);
  EXPECT_DOUBLE_EQ(report.notApplicable.expectedRate(), 0.5);
  EXPECT_DOUBLE_EQ(report.notApplicable.rate(), 0.75);
  EXPECT_EQ(report.overall.asked, 0u);
  ASSERT_EQ(report.perType.size(), 2u);  // listed for their not-applicable rows alone
  EXPECT_EQ(report.perType[0].type, "effusion_presence");
  EXPECT_EQ(report.perType[0].notApplicable.asExpected, 1u);
  EXPECT_EQ(report.perType[0].inScope.asked, 0u);
  EXPECT_EQ(report.perType[1].type, "liver_lesion");
  EXPECT_EQ(report.perType[1].notApplicable.asked, 3u);
  EXPECT_EQ(report.perType[1].notApplicable.asExpected, 1u);
  EXPECT_TRUE(report.bins[13].count == 0);  // the answered not-applicable row is not calibrated
}

// --- calibration -------------------------------------------------------------------------------

TEST(TrainingEvaluation, CalibrationErrorIsTheWeightedGapPerBin) {
  // Bin 13 of 15 ([0.8667, 0.9333)): confidences 0.9 and 0.9, one right -> gap 0.4, weight 1/2.
  // Bin 14 ([0.9333, 1]): 1.0 and 0.95 both right -> mean 0.975, gap 0.025, weight 1/2.
  const std::vector<ScoredRow> rows = {
      answered("effusion_presence", "yes", "yes", 0.9),
      answered("effusion_presence", "yes", "no", 0.9),
      answered("effusion_presence", "yes", "yes", 1.0),
      answered("effusion_presence", "no", "no", 0.95),
  };
  const auto report = evaluate(rows, types());
  ASSERT_EQ(report.bins.size(), 15u);
  EXPECT_EQ(report.bins[13].count, 2u);
  EXPECT_EQ(report.bins[14].count, 2u);  // a confidence of exactly 1 goes to the last bin
  EXPECT_NEAR(report.ece, 0.5 * 0.4 + 0.5 * 0.025, 1e-12);
}

TEST(TrainingEvaluation, CalibrationIsOverAnsweredInScopeQuestionsOnly) {
  std::vector<ScoredRow> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(answered("nodule_count", "1", i < 7 ? "1" : "2", 0.7));
  rows.push_back(refused("nodule_count", AnswerStatus::Uncertain, "1", "2", 0.2));
  rows.push_back(outOfScope(AnswerStatus::Answered, true, "yes", 0.99));
  rows.push_back(notApplicable("liver_lesion", AnswerStatus::Answered));
  const auto report = evaluate(rows, types());
  std::size_t binned = 0;
  for (const auto& bin : report.bins) binned += bin.count;
  EXPECT_EQ(binned, 10u);
  EXPECT_NEAR(report.ece, 0.0, 1e-12);
}

// --- edge cases --------------------------------------------------------------------------------

TEST(TrainingEvaluation, EverythingRefusedScoresWithoutDividingByZero) {
  const std::vector<ScoredRow> rows = {
      refused("effusion_presence", AnswerStatus::Unsupported),
      refused("nodule_count", AnswerStatus::NotApplicable, "2"),
      outOfScope(AnswerStatus::Unsupported, true),
  };
  const auto report = evaluate(rows, types());
  EXPECT_EQ(report.overall.answered, 0u);
  EXPECT_EQ(report.overall.accuracy(), 0.0);
  EXPECT_EQ(report.overall.coverage(), 0.0);
  EXPECT_EQ(report.overall.falseRefusals(), 1.0);
  EXPECT_EQ(report.overall.riskAt95, 1.0);  // every kept row has no answer
  EXPECT_EQ(report.ece, 0.0);
  EXPECT_DOUBLE_EQ(report.outOfScopeHeldout.rate(), 1.0);
}

TEST(TrainingEvaluation, AnEmptySetScoresZeroWithoutDividingByZero) {
  const auto report = evaluate({}, types());
  EXPECT_EQ(report.rows, 0u);
  EXPECT_EQ(report.overall.asked, 0u);
  EXPECT_EQ(report.overall.accuracy(), 0.0);
  EXPECT_EQ(report.overall.riskAt95, 0.0);
  EXPECT_EQ(report.ece, 0.0);
  EXPECT_TRUE(report.perType.empty());
}

TEST(TrainingEvaluation, CountsHeaderAnswers) {
  auto row = answered("effusion_presence", "yes", "yes", 1.0);
  row.fromHeader = true;
  EXPECT_EQ(evaluate(std::vector<ScoredRow>{row}, types()).headerAnswers, 1u);
}

TEST(TrainingEvaluation, RefusesATypeTheModelDoesNotKnow) {
  const std::vector<ScoredRow> inScope = {answered("spleen_size", "large", "large", 0.5)};
  EXPECT_THROW(evaluate(inScope, types()), medvqa::Error);
  const std::vector<ScoredRow> notApplicableRow = {notApplicable("spleen_size", AnswerStatus::NotApplicable)};
  EXPECT_THROW(evaluate(notApplicableRow, types()), medvqa::Error);
  // An out-of-scope question has no type at all.
  const std::vector<ScoredRow> oos = {outOfScope(AnswerStatus::Unsupported, false)};
  EXPECT_NO_THROW(evaluate(oos, types()));
}

TEST(TrainingEvaluation, RefusesATruthRowExpectingUncertainty) {
  auto row = answered("effusion_presence", "yes", "yes", 0.9);
  row.expected = AnswerStatus::Uncertain;
  EXPECT_THROW(evaluate(std::vector<ScoredRow>{row}, types()), medvqa::Error);
}

TEST(TrainingEvaluation, ParsesExpectations) {
  EXPECT_EQ(parseExpectation("answered"), AnswerStatus::Answered);
  EXPECT_EQ(parseExpectation("unsupported"), AnswerStatus::Unsupported);
  EXPECT_EQ(parseExpectation("not_applicable"), AnswerStatus::NotApplicable);
  EXPECT_THROW(parseExpectation("uncertain"), medvqa::Error);
  EXPECT_THROW(parseExpectation(""), medvqa::Error);
}

// --- the report as JSON and as a table ---------------------------------------------------------

TEST(TrainingEvaluationReport, JsonCarriesEveryFigure) {
  auto inverse = answered("effusion_presence", "no", "yes", 0.8);
  inverse.inverse = true;
  const std::vector<ScoredRow> rows = {
      answered("effusion_presence", "yes", "yes", 0.9),
      inverse,
      refused("nodule_count", AnswerStatus::Uncertain, "1", "1", 0.4),
      outOfScope(AnswerStatus::Unsupported, true),
      outOfScope(AnswerStatus::Answered, false, "yes", 0.6),
      notApplicable("liver_lesion", AnswerStatus::NotApplicable),
  };
  const auto json = medvqa::training::toJson(evaluate(rows, types()));
  EXPECT_EQ(json["rows"], 6);
  EXPECT_EQ(json["overall"]["asked"], 3);
  EXPECT_EQ(json["overall"]["answered"], 2);
  EXPECT_EQ(json["overall"]["correct"], 1);
  EXPECT_EQ(json["overall"]["wrong"], 1);
  EXPECT_DOUBLE_EQ(json["overall"]["accuracy"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(json["overall"]["coverage"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(json["overall"]["false_refusals"].get<double>(), 1.0 / 3.0);
  EXPECT_EQ(json["overall"]["statuses"]["uncertain"], 1);
  EXPECT_EQ(json["overall"]["statuses"]["not_applicable"], 0);
  EXPECT_TRUE(json["overall"].contains("risk_at_95"));
  EXPECT_EQ(json["inverse"]["wrong"], 1);
  EXPECT_DOUBLE_EQ(json["inverse"]["wrong_rate"].get<double>(), 1.0);
  EXPECT_EQ(json["out_of_scope"]["asked"], 2);
  EXPECT_EQ(json["out_of_scope"]["refused"], 1);
  EXPECT_EQ(json["out_of_scope"]["heldout"]["refused"], 1);
  EXPECT_EQ(json["out_of_scope"]["seen"]["statuses"]["answered"], 1);
  EXPECT_EQ(json["not_applicable"]["as_expected"], 1);
  ASSERT_EQ(json["per_type"].size(), 3u);
  EXPECT_EQ(json["per_type"][0]["type"], "effusion_presence");
  EXPECT_EQ(json["per_type"][0]["inverse"]["asked"], 1);
  EXPECT_EQ(json["per_type"][2]["type"], "liver_lesion");
  EXPECT_EQ(json["per_type"][2]["asked"], 0);
  EXPECT_EQ(json["per_type"][2]["not_applicable"]["as_expected"], 1);
  EXPECT_EQ(json["bins"].size(), 15u);
  EXPECT_TRUE(json.contains("ece"));
  EXPECT_EQ(json["header_answers"], 0);
}

TEST(TrainingEvaluationReport, TableShowsRefusalsAndDashesForEmptyGroups) {
  const std::vector<ScoredRow> rows = {answered("effusion_presence", "yes", "yes", 0.9),
                                       refused("effusion_presence", AnswerStatus::Uncertain, "yes", "yes", 0.4)};
  const auto table = medvqa::training::formatTable(evaluate(rows, types()));
  EXPECT_NE(table.find("overall"), std::string::npos);
  EXPECT_NE(table.find("50.00 %"), std::string::npos);  // coverage
  EXPECT_NE(table.find("uncertain 1"), std::string::npos);
  EXPECT_NE(table.find("held-out topics and wordings"), std::string::npos);
  EXPECT_NE(table.find("expected calibration error"), std::string::npos);
  // No inverse-polarity row: no percentage for it.
  const auto inverse = table.find("inverse polarity ");
  ASSERT_NE(inverse, std::string::npos);
  const auto line = table.substr(inverse, table.find('\n', inverse) - inverse);
  EXPECT_EQ(line.find('%'), std::string::npos) << line;
}

// The model card (`medvqa eval --write-model-card`), the scoring of the runtime's answers and the
// predictions file, from hand-made rows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/error.h"
#include "training/engine_answers.h"
#include "training/evaluation.h"
#include "training/model_card.h"
#include "training/predictions_file.h"

using medvqa::training::AnswerStatus;
using medvqa::training::ScoredRow;
using nlohmann::json;

namespace {

std::vector<medvqa::vqa::QuestionType> types() {
  medvqa::vqa::QuestionType effusion, liver;
  effusion.name = "effusion_presence";
  effusion.closed = true;
  liver.name = "liver_lesion";
  liver.closed = true;
  return {effusion, liver};
}

json manifest(bool format2) {
  json m = {{"format", format2 ? 2 : 1},
            {"name", "medvqa-demo"},
            {"version", "2.0.0"},
            {"module", "model.pt"},
            {"input", {{"channels", 1}, {"height", 128}, {"width", 128}, {"selection", {{"policy", "middle"}}}}},
            {"tokenizer", {{"vocabulary", {"<pad>", "<unk>", "is"}}, {"ngram", {{"n", 3}, {"buckets", 2048}}}}},
            {"answers", json::array({{{"text", "yes"}}, {{"text", "no"}}})},
            {"question_types", json::array({{{"name", "effusion_presence"}, {"closed", true}},
                                            {{"name", "liver_lesion"}, {"closed", true}}})},
            {"calibration", {{"temperature", 1.2}}},
            {"training", {{"seed", 1}}}};
  if (format2) {
    m["question_types"][0]["threshold"] = 0.875;
    m["understanding"] = {{"temperature", 1.5}, {"min_confidence", 0.6}};
    m["training"]["thresholds"] = {{"rule", "smallest cut with risk <= 0.01"}};
    m["training"]["understanding"] = {
        {"rule", "refuse most out-of-scope texts"},
        {"validation", {{"understood", 0.99}, {"false_refusals", 0.01}, {"out_of_scope_refused", 0.98}, {"polarity_accuracy", 1.0}}}};
  }
  return m;
}

ScoredRow row(std::string type, AnswerStatus expected, AnswerStatus status, std::string truth, std::string predicted,
              double confidence, bool heldout = false, bool inverse = false) {
  ScoredRow r;
  r.type = std::move(type);
  r.expected = expected;
  r.status = status;
  r.truth = std::move(truth);
  r.predicted = std::move(predicted);
  r.confidence = confidence;
  r.heldout = heldout;
  r.inverse = inverse;
  return r;
}

// The card's line that starts with `start` (empty when there is none).
std::string lineStarting(const std::string& card, const std::string& start) {
  const auto at = card.find("\n" + start);
  if (at == std::string::npos) return "";
  return card.substr(at + 1, card.find('\n', at + 1) - at - 1);
}

medvqa::training::ModelCardInputs inputs(const std::vector<ScoredRow>& rows, bool format2 = true) {
  medvqa::training::ModelCardInputs in;
  in.manifest = manifest(format2);
  in.moduleSha256 = "abc";
  in.moduleBytes = 1234;
  in.evaluationData = "build/demo/test";
  in.evaluationStudies = 2;
  in.report = medvqa::training::evaluate(rows, types());
  return in;
}

const auto A = AnswerStatus::Answered;
const auto U = AnswerStatus::Unsupported;
const auto N = AnswerStatus::NotApplicable;
const auto Q = AnswerStatus::Uncertain;

}  // namespace

TEST(TrainingModelCard, ShowsTheTargetsNextToTheMeasuredFigures) {
  std::vector<ScoredRow> rows;
  // 40 in-scope: 38 answered right, 1 answered wrong, 1 uncertain (a false refusal).
  for (int i = 0; i < 38; ++i) rows.push_back(row("effusion_presence", A, A, "yes", "yes", 0.99, i % 2 == 0));
  rows.push_back(row("effusion_presence", A, A, "no", "yes", 0.9, false, /*inverse=*/true));
  rows.push_back(row("effusion_presence", A, Q, "no", "no", 0.5, true));
  // Out of scope: 2 held-out refused, 1 seen answered.
  rows.push_back(row("", U, U, "", "", 0.0, true));
  rows.push_back(row("", U, N, "", "", 0.0, true));
  rows.push_back(row("", U, A, "", "yes", 0.7, false));
  // Not applicable: one right, one refused as unsupported.
  rows.push_back(row("liver_lesion", N, N, "", "", 0.0));
  rows.push_back(row("liver_lesion", N, U, "", "", 0.0));
  const auto card = medvqa::training::renderModelCard(inputs(rows));

  EXPECT_NE(card.find("Not for clinical use"), std::string::npos);
  EXPECT_EQ(lineStarting(card, "| out-of-scope questions refused (held-out topics and wordings)"),
            "| out-of-scope questions refused (held-out topics and wordings) | 100.00 % | 2 / 2 out-of-scope | ≥ 97 % | yes |");
  EXPECT_EQ(lineStarting(card, "| not-applicable questions refused"),
            "| not-applicable questions refused (as not applicable) | 50.00 % | 1 / 2 not-applicable | 100 % | **no** |");
  EXPECT_EQ(lineStarting(card, "| in-scope questions refused (false refusals)"),
            "| in-scope questions refused (false refusals) | 2.50 % | 1 / 40 in-scope | ≤ 3 % | yes |");
  EXPECT_EQ(lineStarting(card, "| accuracy on answered in-scope questions"),
            "| accuracy on answered in-scope questions | 97.44 % | 38 / 39 answered | ≥ 98 % | **no** |");
  EXPECT_EQ(lineStarting(card, "| inverse-polarity phrasings: wrong answers"),
            "| inverse-polarity phrasings: wrong answers | 100.00 % | 1 / 1 inverse | ≤ 2 % | **no** |");
  EXPECT_EQ(lineStarting(card, "| held-out phrasings of in-scope types answered right"),
            "| held-out phrasings of in-scope types answered right | 95.00 % | 19 / 20 held-out | ≥ 95 % | yes |");
  EXPECT_NE(lineStarting(card, "| ECE on answered questions").find("39 answered | ≤ 0.03"), std::string::npos);
  // Refusals by status, per expectation.
  EXPECT_EQ(lineStarting(card, "| in scope (should be answered)"), "| in scope (should be answered) | 40 | 39 | 0 | 0 | 1 |");
  EXPECT_EQ(lineStarting(card, "| out of scope, seen"), "| out of scope, seen topics and wordings | 1 | 1 | 0 | 0 | 0 |");
  EXPECT_EQ(lineStarting(card, "| out of scope, held-out"), "| out of scope, held-out topics and wordings | 2 | 0 | 1 | 1 | 0 |");
  EXPECT_EQ(lineStarting(card, "| not applicable to the study"), "| not applicable to the study | 2 | 0 | 1 | 1 | 0 |");
}

TEST(TrainingModelCard, PerTypeTableShowsEachTypesThreshold) {
  std::vector<ScoredRow> rows = {row("effusion_presence", A, A, "yes", "yes", 0.99),
                                 row("effusion_presence", A, Q, "yes", "no", 0.5),
                                 row("liver_lesion", N, N, "", "", 0.0)};
  const auto card = medvqa::training::renderModelCard(inputs(rows));
  EXPECT_EQ(lineStarting(card, "| `effusion_presence` (closed)"),
            "| `effusion_presence` (closed) | 2 | 1 | 50.00 % | 100.00 % | 50.00 % | - | - | 0.875 |");
  EXPECT_EQ(lineStarting(card, "| `liver_lesion` (closed)"),
            "| `liver_lesion` (closed) | 0 | 0 | n/a | n/a | n/a | - | 1 / 1 | - |");
  EXPECT_NE(card.find("refused as unsupported below a confidence of 0.600"), std::string::npos);
}

TEST(TrainingModelCard, TrainingShowsTheThresholdAndUnderstandingRulesWhenRecorded) {
  const std::vector<ScoredRow> rows = {row("effusion_presence", A, A, "yes", "yes", 0.99)};
  const auto card = medvqa::training::renderModelCard(inputs(rows));
  EXPECT_EQ(lineStarting(card, "| per-type thresholds"), "| per-type thresholds | smallest cut with risk <= 0.01 |");
  EXPECT_EQ(lineStarting(card, "| understanding calibration"), "| understanding calibration | refuse most out-of-scope texts |");
  EXPECT_EQ(lineStarting(card, "| validation understanding"),
            "| validation understanding | types understood 0.99, false refusals 0.01, out-of-scope refused 0.98, "
            "polarity accuracy 1 |");
  // A format-1 manifest recorded none of them: no such rows.
  const auto old = medvqa::training::renderModelCard(inputs(rows, false));
  EXPECT_EQ(lineStarting(old, "| per-type thresholds"), "");
  EXPECT_EQ(lineStarting(old, "| validation understanding"), "");
}

TEST(TrainingModelCard, SaysNotApplicableWhenASetHasNoSuchQuestions) {
  // A set without out-of-scope, not-applicable or inverse rows (an old truth file), format 1.
  const std::vector<ScoredRow> rows = {row("effusion_presence", A, A, "yes", "yes", 0.99)};
  const auto card = medvqa::training::renderModelCard(inputs(rows, false));
  EXPECT_EQ(lineStarting(card, "| out-of-scope questions refused (held-out topics and wordings)"),
            "| out-of-scope questions refused (held-out topics and wordings) | n/a | 0 / 0 out-of-scope | ≥ 97 % | n/a |");
  EXPECT_NE(lineStarting(card, "| inverse-polarity phrasings: wrong answers").find("| n/a |"), std::string::npos);
  EXPECT_NE(card.find("none (format 1"), std::string::npos);
  EXPECT_NE(lineStarting(card, "| `effusion_presence` (closed)").find("| - |"), std::string::npos);  // no threshold
}

TEST(TrainingModelCard, EverythingRefusedStillRenders) {
  const std::vector<ScoredRow> rows = {row("effusion_presence", A, U, "yes", "", 0.0),
                                       row("", U, U, "", "", 0.0, true)};
  const auto card = medvqa::training::renderModelCard(inputs(rows));
  EXPECT_EQ(lineStarting(card, "| accuracy on answered in-scope questions"),
            "| accuracy on answered in-scope questions | n/a | 0 / 0 answered | ≥ 98 % | n/a |");
  EXPECT_EQ(lineStarting(card, "| in-scope questions refused (false refusals)"),
            "| in-scope questions refused (false refusals) | 100.00 % | 1 / 1 in-scope | ≤ 3 % | **no** |");
  EXPECT_NE(lineStarting(card, "| ECE on answered questions").find("| n/a |"), std::string::npos);
  EXPECT_NE(card.find("## Calibration"), std::string::npos);
}

// --- scoring the runtime's answers -------------------------------------------------------------

TEST(TrainingScoring, TakesTheTruthsExpectationAndTheAnswersStatus) {
  medvqa::training::TruthRow truth;
  truth.studyDir = "study-0001";
  truth.type = "cardiomegaly";
  truth.question = "Is the heart normal in size?";
  truth.answer = "no";
  truth.heldout = true;
  truth.inverse = true;
  truth.expect = "answered";
  medvqa::vqa::Answer answer;
  answer.status = AnswerStatus::Uncertain;
  answer.text = "no";  // the best guess
  answer.confidence = 0.6;
  answer.questionType = "cardiomegaly";
  answer.inverse = true;
  answer.reason = "confidence 0.60 is below 0.90";
  const auto scored = medvqa::training::scoreAnswer(truth, answer);
  EXPECT_EQ(scored.type, "cardiomegaly");
  EXPECT_TRUE(scored.heldout);
  EXPECT_TRUE(scored.inverse);
  EXPECT_EQ(scored.expected, AnswerStatus::Answered);
  EXPECT_EQ(scored.status, AnswerStatus::Uncertain);
  EXPECT_EQ(scored.truth, "no");
  EXPECT_EQ(scored.predicted, "no");
  EXPECT_DOUBLE_EQ(scored.confidence, 0.6);
  EXPECT_EQ(scored.predictedType, "cardiomegaly");
  EXPECT_TRUE(scored.predictedInverse);
  EXPECT_EQ(scored.reason, "confidence 0.60 is below 0.90");
  EXPECT_FALSE(scored.correct());  // not answered

  truth.expect = "unsupported";
  answer = {};
  answer.status = AnswerStatus::Unsupported;
  answer.text = "ignored";
  answer.source = medvqa::vqa::AnswerSource::Model;
  const auto oos = medvqa::training::scoreAnswer(truth, answer);
  EXPECT_EQ(oos.expected, AnswerStatus::Unsupported);
  EXPECT_EQ(oos.predicted, "");  // a refusal without a best guess carries no answer
  EXPECT_FALSE(oos.fromHeader);

  truth.expect = "maybe";
  EXPECT_THROW(medvqa::training::scoreAnswer(truth, answer), medvqa::Error);
  EXPECT_THROW(medvqa::training::scoreAnswers({truth}, {}), medvqa::Error);
}

TEST(TrainingScoring, PredictionLinesCarryStatusAndReason) {
  medvqa::training::TruthRow truth;
  truth.studyUid = "1.2.3";
  truth.question = "Is there a liver lesion?";
  truth.type = "liver_lesion";
  truth.expect = "not_applicable";
  ScoredRow scored;
  scored.type = "liver_lesion";
  scored.expected = AnswerStatus::NotApplicable;
  scored.status = AnswerStatus::NotApplicable;
  scored.predictedType = "liver_lesion";
  scored.reason = "the study is CR of the CHEST";
  const auto line = medvqa::training::predictionLine(7, truth, scored);
  EXPECT_EQ(line["truth_row"], 7);
  EXPECT_EQ(line["study_uid"], "1.2.3");
  EXPECT_EQ(line["expect"], "not_applicable");
  EXPECT_EQ(line["status"], "not_applicable");
  EXPECT_EQ(line["answer"], "");
  EXPECT_EQ(line["question_type"], "liver_lesion");
  EXPECT_EQ(line["polarity"], "direct");
  EXPECT_EQ(line["inverse"], false);
  EXPECT_EQ(line["reason"], "the study is CR of the CHEST");
  EXPECT_EQ(line["source"], "model");
}

#pragma once

// The figures a VQA model is judged by on a labelled set, as selective prediction (a model that
// may refuse): on in-scope questions, how often it answers (coverage), how often its answers are
// right (accuracy when answered), the risk at 95 % coverage, and how its refusals split; on
// out-of-scope questions, how often it refuses; on questions of a type the study cannot show, how
// often it says so; on inverse-polarity phrasings, how often it answers wrong; and the expected
// calibration error of its answered questions. models/train/selective_metrics.py computes the same
// figures the same way.
//
// Every truth row carries what the runtime should do with it (`expected`):
// - Answered: an in-scope question (a question type of the model that applies to the study);
//   right when the runtime answered it (status Answered) with the truth. Any other status is a
//   refusal (a false refusal); Uncertain is a refusal too, never an error.
// - Unsupported: an out-of-scope question; right when it is not answered (any refusal counts;
//   how many were refused as Unsupported is reported too).
// - NotApplicable: a known type the study cannot show; right when refused as NotApplicable.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vqa/answer.h"
#include "vqa/manifest.h"

namespace medvqa::training {

using vqa::AnswerStatus;

// One truth row as the runtime answered it.
struct ScoredRow {
  std::string type;       // the truth's question type; "" for an out-of-scope question
  bool heldout = false;   // phrasing (or out-of-scope topic / wording) held out of training
  std::string truth;      // the answer to the question as asked; "" unless expected is Answered
  std::string predicted;  // the answer (Answered), the best guess (Uncertain), else ""
  double confidence = 0.0;  // of `predicted`, 0..1
  bool fromHeader = false;  // the runtime's router sent the question to the DICOM header
  AnswerStatus status = AnswerStatus::Answered;    // what the runtime did
  AnswerStatus expected = AnswerStatus::Answered;  // what it should do (never Uncertain)
  bool inverse = false;        // the phrasing is of inverse polarity ("Is the heart normal in size?")
  std::string predictedType;   // the question type the runtime resolved the question to ("" if none)
  bool predictedInverse = false;  // the polarity the runtime resolved it to
  std::string reason;          // the runtime's reason for a refusal

  bool inScope() const { return expected == AnswerStatus::Answered; }
  bool answered() const { return status == AnswerStatus::Answered; }
  bool correct() const { return answered() && predicted == truth; }
  bool wrong() const { return answered() && predicted != truth; }
};

// A truth row's "expect" ("answered", "unsupported", "not_applicable") as a status.
// Error(InvalidArgument) for anything else (an expectation of "uncertain" included).
AnswerStatus parseExpectation(std::string_view expect);

struct Accuracy {
  std::size_t correct = 0;
  std::size_t total = 0;

  void add(bool isCorrect) {
    ++total;
    if (isCorrect) ++correct;
  }
  double value() const { return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total); }
};

// How many rows came out with each status.
struct StatusCounts {
  std::array<std::size_t, 4> counts{};  // indexed by AnswerStatus

  void add(AnswerStatus status) { ++counts[static_cast<std::size_t>(status)]; }
  std::size_t operator[](AnswerStatus status) const { return counts[static_cast<std::size_t>(status)]; }
  std::size_t total() const { return counts[0] + counts[1] + counts[2] + counts[3]; }
  std::size_t refused() const { return total() - (*this)[AnswerStatus::Answered]; }
};

// Selective-prediction figures of a group of in-scope rows (expected Answered).
struct SelectiveFigures {
  std::size_t asked = 0;       // rows in the group
  std::size_t answered = 0;    // status Answered
  std::size_t correct = 0;     // answered with the truth
  std::size_t understood = 0;  // resolved to the row's own question type
  StatusCounts statuses;       // how the asked rows came out (the refusals by status)
  double riskAt95 = 0.0;       // riskAtCoverage(rows, 0.95); 0 when nothing was asked

  std::size_t wrong() const { return answered - correct; }
  std::size_t refused() const { return asked - answered; }
  double accuracy() const { return ratio(correct, answered); }        // accuracy when answered
  double coverage() const { return ratio(answered, asked); }          // answered / asked
  double falseRefusals() const { return ratio(refused(), asked); }    // refused / asked
  double wrongRate() const { return ratio(wrong(), asked); }          // answered wrong / asked
  double correctRate() const { return ratio(correct, asked); }        // answered right / asked

  static double ratio(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
  }
};

// Refusals of a group of rows that should not be answered (out of scope, or not applicable).
struct RefusalFigures {
  std::size_t asked = 0;
  std::size_t refused = 0;     // any status but Answered
  std::size_t asExpected = 0;  // refused with the expected status (Unsupported / NotApplicable)
  StatusCounts statuses;

  double rate() const { return SelectiveFigures::ratio(refused, asked); }
  double expectedRate() const { return SelectiveFigures::ratio(asExpected, asked); }
};

struct CalibrationBin {
  double lower = 0.0;  // confidence range [lower, upper)
  double upper = 0.0;
  std::size_t count = 0;
  double meanConfidence = 0.0;
  double accuracy = 0.0;
};

struct TypeFigures {
  std::string type;
  bool closed = false;
  SelectiveFigures inScope;       // the type's in-scope rows
  SelectiveFigures inverse;       // of which inverse-polarity phrasings
  RefusalFigures notApplicable;   // the type asked about studies it does not apply to
};

struct EvaluationReport {
  std::size_t rows = 0;
  // In-scope rows: all, of closed (yes/no) and open types, seen and held-out phrasings, and
  // phrasings of inverse polarity.
  SelectiveFigures overall, closed, open, seen, heldout, inverse;
  std::vector<TypeFigures> perType;  // the manifest's order; types without any row omitted
  RefusalFigures outOfScope, outOfScopeSeen, outOfScopeHeldout;
  RefusalFigures notApplicable;
  std::vector<CalibrationBin> bins;  // answered in-scope rows
  double ece = 0.0;                  // of `bins`
  std::size_t headerAnswers = 0;     // rows the runtime answered from the DICOM header
};

constexpr int kCalibrationBins = 15;
constexpr double kRiskCoverage = 0.95;

// Risk at a coverage over the in-scope rows of `rows` (other rows are ignored): the rows ranked by
// confidence, highest first (ties keep the rows' order), a row refused as Unsupported or
// NotApplicable (which has no answer) ranked last; the top k = ceil(coverage * n) rows kept; the
// risk is the share of them whose answer (or best guess, for Uncertain) is not the truth, a row
// without an answer counting as an error. 0 when there is no in-scope row.
double riskAtCoverage(std::span<const ScoredRow> rows, double coverage = kRiskCoverage);

// Equal-width bins over [0, 1] of the answered in-scope rows (other rows are ignored); a confidence
// c falls in bin min(floor(c * bins), bins - 1).
// ECE = sum over bins of |bin| / n * |accuracy(bin) - mean confidence(bin)|.
std::vector<CalibrationBin> calibrationBins(std::span<const ScoredRow> rows, int bins = kCalibrationBins);
double expectedCalibrationError(std::span<const CalibrationBin> bins);

// Error(InvalidArgument) for an in-scope or not-applicable row whose type the manifest does not
// list, or a row expected to be Uncertain.
EvaluationReport evaluate(std::span<const ScoredRow> rows, const std::vector<vqa::QuestionType>& types);

}  // namespace medvqa::training

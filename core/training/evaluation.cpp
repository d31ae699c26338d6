#include "training/evaluation.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace medvqa::training {

namespace {

std::size_t typeIndex(const ScoredRow& row, const std::vector<vqa::QuestionType>& types) {
  const auto it = std::find_if(types.begin(), types.end(), [&](const auto& type) { return type.name == row.type; });
  if (it == types.end()) {
    throw Error(ErrorCode::InvalidArgument, "question type \"" + row.type + "\" is not in the model's manifest");
  }
  return static_cast<std::size_t>(it - types.begin());
}

// A row that has no answer at all (not even a best guess): ranked after every other.
bool withoutAnswer(const ScoredRow& row) {
  return row.status == AnswerStatus::Unsupported || row.status == AnswerStatus::NotApplicable;
}

double riskOf(std::vector<const ScoredRow*> rows, double coverage) {
  if (rows.empty()) return 0.0;
  std::stable_sort(rows.begin(), rows.end(), [](const ScoredRow* a, const ScoredRow* b) {
    if (withoutAnswer(*a) != withoutAnswer(*b)) return withoutAnswer(*b);
    if (withoutAnswer(*a)) return false;
    return a->confidence > b->confidence;
  });
  // ceil(coverage * n), without 0.95 * 20 = 19.000000000000004 becoming 20.
  const double wanted = coverage * static_cast<double>(rows.size());
  auto kept = static_cast<std::size_t>(std::ceil(wanted - 1e-9));
  kept = std::clamp<std::size_t>(kept, 1, rows.size());
  std::size_t errors = 0;
  for (std::size_t i = 0; i < kept; ++i) {
    if (withoutAnswer(*rows[i]) || rows[i]->predicted != rows[i]->truth) ++errors;
  }
  return static_cast<double>(errors) / static_cast<double>(kept);
}

// Collects a group's rows, then computes its figures.
struct SelectiveGroup {
  SelectiveFigures figures;
  std::vector<const ScoredRow*> rows;

  void add(const ScoredRow& row) {
    rows.push_back(&row);
    ++figures.asked;
    figures.statuses.add(row.status);
    if (row.answered()) ++figures.answered;
    if (row.correct()) ++figures.correct;
    if (!row.predictedType.empty() && row.predictedType == row.type) ++figures.understood;
  }
  SelectiveFigures finish() {
    figures.riskAt95 = riskOf(rows, kRiskCoverage);
    return figures;
  }
};

void addRefusal(RefusalFigures& figures, const ScoredRow& row) {
  ++figures.asked;
  figures.statuses.add(row.status);
  if (!row.answered()) ++figures.refused;
  if (row.status == row.expected) ++figures.asExpected;
}

}  // namespace

AnswerStatus parseExpectation(std::string_view expect) {
  if (expect == "answered") return AnswerStatus::Answered;
  if (expect == "unsupported") return AnswerStatus::Unsupported;
  if (expect == "not_applicable") return AnswerStatus::NotApplicable;
  throw Error(ErrorCode::InvalidArgument,
              "expect: answered, unsupported or not_applicable, got \"" + std::string(expect) + "\"");
}

double riskAtCoverage(std::span<const ScoredRow> rows, double coverage) {
  std::vector<const ScoredRow*> inScope;
  for (const auto& row : rows) {
    if (row.inScope()) inScope.push_back(&row);
  }
  return riskOf(std::move(inScope), coverage);
}

std::vector<CalibrationBin> calibrationBins(std::span<const ScoredRow> rows, int bins) {
  std::vector<CalibrationBin> result(static_cast<std::size_t>(bins));
  std::vector<double> confidenceSum(result.size(), 0.0);
  std::vector<std::size_t> correct(result.size(), 0);
  for (const auto& row : rows) {
    if (!row.inScope() || !row.answered()) continue;
    const auto bin = static_cast<std::size_t>(std::clamp(static_cast<int>(std::floor(row.confidence * bins)), 0, bins - 1));
    ++result[bin].count;
    confidenceSum[bin] += row.confidence;
    if (row.correct()) ++correct[bin];
  }
  for (std::size_t b = 0; b < result.size(); ++b) {
    auto& bin = result[b];
    bin.lower = static_cast<double>(b) / bins;
    bin.upper = static_cast<double>(b + 1) / bins;
    if (bin.count == 0) continue;
    bin.meanConfidence = confidenceSum[b] / static_cast<double>(bin.count);
    bin.accuracy = static_cast<double>(correct[b]) / static_cast<double>(bin.count);
  }
  return result;
}

double expectedCalibrationError(std::span<const CalibrationBin> bins) {
  std::size_t total = 0;
  for (const auto& bin : bins) total += bin.count;
  if (total == 0) return 0.0;
  double ece = 0.0;
  for (const auto& bin : bins) {
    ece += static_cast<double>(bin.count) / static_cast<double>(total) * std::abs(bin.accuracy - bin.meanConfidence);
  }
  return ece;
}

EvaluationReport evaluate(std::span<const ScoredRow> rows, const std::vector<vqa::QuestionType>& types) {
  EvaluationReport report;
  report.rows = rows.size();
  SelectiveGroup overall, closed, open, seen, heldout, inverse;
  std::vector<SelectiveGroup> typeInScope(types.size()), typeInverse(types.size());
  std::vector<RefusalFigures> typeNotApplicable(types.size());
  for (const auto& row : rows) {
    if (row.fromHeader) ++report.headerAnswers;
    switch (row.expected) {
      case AnswerStatus::Answered: {
        const auto t = typeIndex(row, types);
        overall.add(row);
        (types[t].closed ? closed : open).add(row);
        (row.heldout ? heldout : seen).add(row);
        typeInScope[t].add(row);
        if (row.inverse) {
          inverse.add(row);
          typeInverse[t].add(row);
        }
        break;
      }
      case AnswerStatus::Unsupported:
        addRefusal(report.outOfScope, row);
        addRefusal(row.heldout ? report.outOfScopeHeldout : report.outOfScopeSeen, row);
        break;
      case AnswerStatus::NotApplicable: {
        const auto t = typeIndex(row, types);
        addRefusal(report.notApplicable, row);
        addRefusal(typeNotApplicable[t], row);
        break;
      }
      case AnswerStatus::Uncertain:
        throw Error(ErrorCode::InvalidArgument, "a truth row cannot expect an uncertain answer");
    }
  }
  report.overall = overall.finish();
  report.closed = closed.finish();
  report.open = open.finish();
  report.seen = seen.finish();
  report.heldout = heldout.finish();
  report.inverse = inverse.finish();
  for (std::size_t t = 0; t < types.size(); ++t) {
    if (typeInScope[t].figures.asked == 0 && typeNotApplicable[t].asked == 0) continue;
    report.perType.push_back(
        {types[t].name, types[t].closed, typeInScope[t].finish(), typeInverse[t].finish(), typeNotApplicable[t]});
  }
  report.bins = calibrationBins(rows);
  report.ece = expectedCalibrationError(report.bins);
  return report;
}

}  // namespace medvqa::training

#include "training/evaluation.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace medvqa::training {

namespace {

const vqa::QuestionType& typeOf(const std::string& name, const std::vector<vqa::QuestionType>& types) {
  const auto it = std::find_if(types.begin(), types.end(), [&](const auto& type) { return type.name == name; });
  if (it == types.end()) throw Error(ErrorCode::InvalidArgument, "question type \"" + name + "\" is not in the model's manifest");
  return *it;
}

}  // namespace

std::vector<CalibrationBin> calibrationBins(std::span<const ScoredRow> rows, int bins) {
  std::vector<CalibrationBin> result(static_cast<std::size_t>(bins));
  std::vector<double> confidenceSum(result.size(), 0.0);
  std::vector<std::size_t> correct(result.size(), 0);
  for (const auto& row : rows) {
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
  std::vector<Accuracy> perType(types.size());
  for (const auto& row : rows) {
    const auto& type = typeOf(row.type, types);
    const bool correct = row.correct();
    report.overall.add(correct);
    (type.closed ? report.closed : report.open).add(correct);
    (row.heldout ? report.heldout : report.seen).add(correct);
    perType[static_cast<std::size_t>(&type - types.data())].add(correct);
    if (row.fromHeader) ++report.headerAnswers;
  }
  for (std::size_t t = 0; t < types.size(); ++t) {
    if (perType[t].total > 0) report.perType.push_back({types[t].name, types[t].closed, perType[t]});
  }
  report.bins = calibrationBins(rows);
  report.ece = expectedCalibrationError(report.bins);
  return report;
}

}  // namespace medvqa::training

#include "training/evaluation_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace medvqa::training {

namespace {

std::string line(const std::string& label, const Accuracy& accuracy) {
  char text[128];
  std::snprintf(text, sizeof text, "%-28s %7.2f %%  %6zu / %-6zu\n", label.c_str(), 100.0 * accuracy.value(),
                accuracy.correct, accuracy.total);
  return text;
}

nlohmann::json toJson(const Accuracy& accuracy) {
  return {{"correct", accuracy.correct}, {"total", accuracy.total}, {"accuracy", accuracy.value()}};
}

}  // namespace

std::string formatTable(const EvaluationReport& report) {
  std::string table = "                               accuracy   correct / rows\n";
  table += line("overall", report.overall);
  table += line("closed (yes/no)", report.closed);
  table += line("open", report.open);
  table += line("seen phrasings", report.seen);
  table += line("held-out phrasings", report.heldout);
  for (const auto& type : report.perType) table += line("  " + type.type, type.accuracy);
  char ece[96];
  std::snprintf(ece, sizeof ece, "%-28s %7.4f  (%d bins)\n", "expected calibration error", report.ece,
                static_cast<int>(report.bins.size()));
  table += ece;
  if (report.headerAnswers > 0) {
    table += "(" + std::to_string(report.headerAnswers) + " questions answered from the DICOM header, not the model)\n";
  }
  return table;
}

nlohmann::json toJson(const EvaluationReport& report) {
  auto perType = nlohmann::json::array();
  for (const auto& type : report.perType) {
    auto entry = toJson(type.accuracy);
    entry["type"] = type.type;
    entry["closed"] = type.closed;
    perType.push_back(std::move(entry));
  }
  auto bins = nlohmann::json::array();
  for (const auto& bin : report.bins) {
    bins.push_back({{"lower", bin.lower}, {"upper", bin.upper}, {"count", bin.count},
                    {"confidence", bin.meanConfidence}, {"accuracy", bin.accuracy}});
  }
  return {{"overall", toJson(report.overall)}, {"closed", toJson(report.closed)}, {"open", toJson(report.open)},
          {"seen", toJson(report.seen)},       {"heldout", toJson(report.heldout)}, {"per_type", std::move(perType)},
          {"ece", report.ece},                 {"bins", std::move(bins)},
          {"header_answers", report.headerAnswers}};
}

}  // namespace medvqa::training

#include "training/evaluation_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace medvqa::training {

namespace {

constexpr AnswerStatus kStatuses[] = {AnswerStatus::Answered, AnswerStatus::Unsupported, AnswerStatus::NotApplicable,
                                      AnswerStatus::Uncertain};

// "97.50 %", or "-" when there is nothing to divide by.
std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f %%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

std::string percent(double value, bool defined) {
  if (!defined) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f %%", 100.0 * value);
  return text;
}

std::string line(const std::string& label, const SelectiveFigures& f) {
  char text[192];
  std::snprintf(text, sizeof text, "%-30s %7zu %9zu %10s %10s %10s\n", label.c_str(), f.asked, f.answered,
                percent(f.answered, f.asked).c_str(), percent(f.correct, f.answered).c_str(),
                percent(f.riskAt95, f.asked > 0).c_str());
  return text;
}

std::string refusalLine(const std::string& label, const RefusalFigures& f, const char* expectedName) {
  char text[192];
  std::snprintf(text, sizeof text, "%-30s %7zu %9zu %10s   (%zu as %s)\n", label.c_str(), f.asked, f.refused,
                percent(f.refused, f.asked).c_str(), f.asExpected, expectedName);
  return text;
}

nlohmann::json toJson(const StatusCounts& counts) {
  auto result = nlohmann::json::object();
  for (const auto status : kStatuses) result[std::string(vqa::toString(status))] = counts[status];
  return result;
}

nlohmann::json toJson(const SelectiveFigures& f) {
  return {{"asked", f.asked},
          {"answered", f.answered},
          {"correct", f.correct},
          {"wrong", f.wrong()},
          {"understood", f.understood},
          {"accuracy", f.accuracy()},
          {"coverage", f.coverage()},
          {"false_refusals", f.falseRefusals()},
          {"wrong_rate", f.wrongRate()},
          {"correct_rate", f.correctRate()},
          {"risk_at_95", f.riskAt95},
          {"statuses", toJson(f.statuses)}};
}

nlohmann::json toJson(const RefusalFigures& f) {
  return {{"asked", f.asked},
          {"refused", f.refused},
          {"as_expected", f.asExpected},
          {"rate", f.rate()},
          {"expected_rate", f.expectedRate()},
          {"statuses", toJson(f.statuses)}};
}

}  // namespace

std::string formatTable(const EvaluationReport& report) {
  std::string table = "in-scope questions               asked  answered   coverage   accuracy    risk@95\n";
  table += line("overall", report.overall);
  table += line("closed (yes/no)", report.closed);
  table += line("open", report.open);
  table += line("seen phrasings", report.seen);
  table += line("held-out phrasings", report.heldout);
  table += line("inverse polarity", report.inverse);
  for (const auto& type : report.perType) {
    if (type.inScope.asked > 0) table += line("  " + type.type, type.inScope);
  }
  const auto& statuses = report.overall.statuses;
  char text[256];
  std::snprintf(text, sizeof text,
                "false refusals                 %7zu %9s %10s   (unsupported %zu, not applicable %zu, uncertain %zu)\n",
                report.overall.refused(), "", percent(report.overall.refused(), report.overall.asked).c_str(),
                statuses[AnswerStatus::Unsupported], statuses[AnswerStatus::NotApplicable],
                statuses[AnswerStatus::Uncertain]);
  table += text;
  std::snprintf(text, sizeof text, "inverse polarity, wrong        %7zu %9s %10s   (of %zu asked)\n",
                report.inverse.wrong(), "", percent(report.inverse.wrong(), report.inverse.asked).c_str(),
                report.inverse.asked);
  table += text;
  table += "\nshould be refused                asked   refused       rate\n";
  table += refusalLine("out of scope", report.outOfScope, "unsupported");
  table += refusalLine("  seen topics and wordings", report.outOfScopeSeen, "unsupported");
  table += refusalLine("  held-out topics and wordings", report.outOfScopeHeldout, "unsupported");
  table += refusalLine("not applicable to the study", report.notApplicable, "not_applicable");
  std::snprintf(text, sizeof text, "\n%-30s %7.4f  (%d bins, %zu answered in-scope questions)\n",
                "expected calibration error", report.ece, static_cast<int>(report.bins.size()), report.overall.answered);
  table += text;
  if (report.headerAnswers > 0) {
    table += "(" + std::to_string(report.headerAnswers) + " questions answered from the DICOM header, not the model)\n";
  }
  return table;
}

nlohmann::json toJson(const EvaluationReport& report) {
  auto perType = nlohmann::json::array();
  for (const auto& type : report.perType) {
    auto entry = toJson(type.inScope);
    entry["type"] = type.type;
    entry["closed"] = type.closed;
    entry["inverse"] = toJson(type.inverse);
    entry["not_applicable"] = toJson(type.notApplicable);
    perType.push_back(std::move(entry));
  }
  auto bins = nlohmann::json::array();
  for (const auto& bin : report.bins) {
    bins.push_back({{"lower", bin.lower}, {"upper", bin.upper}, {"count", bin.count},
                    {"confidence", bin.meanConfidence}, {"accuracy", bin.accuracy}});
  }
  auto outOfScope = toJson(report.outOfScope);
  outOfScope["seen"] = toJson(report.outOfScopeSeen);
  outOfScope["heldout"] = toJson(report.outOfScopeHeldout);
  return {{"rows", report.rows},
          {"overall", toJson(report.overall)},
          {"closed", toJson(report.closed)},
          {"open", toJson(report.open)},
          {"seen", toJson(report.seen)},
          {"heldout", toJson(report.heldout)},
          {"inverse", toJson(report.inverse)},
          {"per_type", std::move(perType)},
          {"out_of_scope", std::move(outOfScope)},
          {"not_applicable", toJson(report.notApplicable)},
          {"ece", report.ece},
          {"bins", std::move(bins)},
          {"header_answers", report.headerAnswers}};
}

}  // namespace medvqa::training

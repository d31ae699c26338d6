#include "metrics.h"

#include <iterator>
#include <sstream>

namespace medvqa::plugin {
namespace {

using pipeline::StableDecision;

constexpr StableDecision kAllDecisions[] = {StableDecision::Queued,    StableDecision::AlreadyAnswered,
                                            StableDecision::NoRule,    StableDecision::Waiting,
                                            StableDecision::Discarded, StableDecision::Unknown,
                                            StableDecision::Disabled};

void family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

std::string escapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void PluginMetrics::stableDecision(StableDecision decision) {
  static_assert(std::size(kAllDecisions) == kDecisions && static_cast<std::size_t>(StableDecision::Disabled) + 1 == kDecisions);
  const auto index = static_cast<std::size_t>(decision);
  if (index < kDecisions) ++decisions_[index];
}

void PluginMetrics::answerGiven(vqa::AnswerSource source) {
  ++(source == vqa::AnswerSource::Header ? headerAnswers_ : modelAnswers_);
}

std::string PluginMetrics::render(const Gauges& g) const {
  std::ostringstream out;
  family(out, "medvqa_stable_studies_total", "counter",
         "Stable-study events handed to the answer pipeline, by what the pipeline decided.");
  for (StableDecision d : kAllDecisions) {
    out << "medvqa_stable_studies_total{decision=\"" << pipeline::toString(d) << "\"} "
        << decisions_[static_cast<std::size_t>(d)].load() << '\n';
  }
  family(out, "medvqa_stable_studies_waiting", "gauge",
         "Stable studies Orthanc reported that are not yet handed to the answer pipeline.");
  out << "medvqa_stable_studies_waiting " << g.stableStudiesWaiting << '\n';
  family(out, "medvqa_jobs", "gauge", "Answer jobs in the plugin's durable queue, by state.");
  for (const auto& [state, count] : g.jobs) {
    out << "medvqa_jobs{state=\"" << pipeline::toString(state) << "\"} " << count << '\n';
  }
  family(out, "medvqa_questions_total", "counter", "Questions asked through POST /medvqa/studies/{id}/questions.");
  out << "medvqa_questions_total " << questions_.load() << '\n';
  family(out, "medvqa_answers_total", "counter", "Answers given to asked questions, by where the answer came from.");
  out << "medvqa_answers_total{source=\"model\"} " << modelAnswers_.load() << '\n';
  out << "medvqa_answers_total{source=\"header\"} " << headerAnswers_.load() << '\n';
  family(out, "medvqa_srs_stored_total", "counter", "Answer SRs stored into Orthanc (standing and asked).");
  out << "medvqa_srs_stored_total " << srsStored_.load() << '\n';
  family(out, "medvqa_sr_store_failures_total", "counter", "Answer SRs Orthanc did not store.");
  out << "medvqa_sr_store_failures_total " << srStoreFailures_.load() << '\n';
  family(out, "medvqa_model_loaded", "gauge", "1 when a model is loaded and studies are answered, else 0.");
  out << "medvqa_model_loaded " << (g.model ? 1 : 0) << '\n';
  if (g.model) {
    family(out, "medvqa_model_info", "gauge", "The loaded model (always 1).");
    out << "medvqa_model_info{name=\"" << escapeLabel(g.model->name) << "\",version=\""
        << escapeLabel(g.model->version) << "\",device=\"" << escapeLabel(g.model->device) << "\"} 1\n";
  }
  return out.str();
}

}  // namespace medvqa::plugin

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "pipeline/answer_pipeline.h"
#include "pipeline/job_queue.h"

namespace medvqa::plugin {

// What the plugin counts itself, since Orthanc started it. Lock-free: bumped from Orthanc's HTTP
// threads, the stable-study thread and the pipeline's workers.
class PluginMetrics {
 public:
  void stableDecision(pipeline::StableDecision decision);
  void questionAsked() { ++questions_; }
  void answerGiven(vqa::AnswerSource source);
  void srStored(bool ok) { ++(ok ? srsStored_ : srStoreFailures_); }

  // What is read at scrape time from elsewhere.
  struct Gauges {
    std::map<pipeline::JobState, std::int64_t> jobs;  // the durable queue's jobs by state
    std::size_t stableStudiesWaiting = 0;  // queued by Orthanc's callback, not yet handed over
    struct Model {
      std::string name, version, device;
    };
    std::optional<Model> model;  // none when no model is loaded
  };
  // Prometheus text exposition format 0.0.4: HELP and TYPE for every family, escaped labels.
  std::string render(const Gauges& gauges) const;

 private:
  static constexpr std::size_t kDecisions = 7;  // pipeline::StableDecision's values
  std::array<std::atomic<std::uint64_t>, kDecisions> decisions_{};
  std::atomic<std::uint64_t> questions_{0};
  std::atomic<std::uint64_t> modelAnswers_{0};
  std::atomic<std::uint64_t> headerAnswers_{0};
  std::atomic<std::uint64_t> srsStored_{0};
  std::atomic<std::uint64_t> srStoreFailures_{0};
};

// A Prometheus label value: backslash, double quote and line feed escaped.
std::string escapeLabel(const std::string& value);

}  // namespace medvqa::plugin

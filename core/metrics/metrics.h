#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace medvqa::metrics {

// Every metric MedVQA exports, named in one place so the node's GET /metrics and the plugin's
// GET /medvqa/metrics say the same thing. Built on prometheus-cpp (Debian's prometheus-cpp-dev);
// exposition() is the Prometheus text format 0.0.4.
//
// Thread-safe: the recording calls are made from association, worker and HTTP threads at once.
// Parts that record take a Metrics* that may be null (unit tests, tools), so recording is never
// in the way of the work itself.
class Metrics {
 public:
  using Seconds = std::chrono::duration<double>;

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // DICOM
  void associationAccepted();
  void associationRejected();
  void associationEnded();
  void instanceReceived(std::uint64_t bytes);
  void instanceRefused();
  void queryAnswered(std::string_view level, Seconds elapsed);
  void instancesRetrieved(std::string_view service, std::uint64_t count);

  // Answering
  void stableStudy(std::string_view decision);  // what the pipeline decided (pipeline::toString)
  void inferenceRan(std::size_t batchSize, Seconds elapsed);
  void answered(std::string_view source);  // "model" | "header"; standing and asked questions
  void refused(std::string_view status);   // "unsupported" | "not_applicable" | "uncertain"
  void questionAsked();                    // accepted by the API (refused requests are not)
  void reportStored(bool ok);              // an answer SR into the front door's own store
  void reportSent(const std::string& destination);
  void reportSendFailed(const std::string& destination);

  // Audit trail (core/audit): sink "file" | "syslog", outcome "written" | "failed" | "dropped".
  void auditMessage(std::string_view sink, std::string_view outcome);

  // Set just before a scrape: the owners' own counts are the truth, not a running tally.
  void setJobCounts(const std::map<std::string, std::int64_t>& countsByState);
  void setStableStudiesWaiting(std::size_t count);
  void setModel(const std::string& name, const std::string& version, const std::string& device);
  void setNoModel();

  std::string exposition() const;

 private:
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> f_;
  mutable std::mutex modelMutex_;
  prometheus::Gauge* modelInfo_ = nullptr;
};

// Records how long a scope took into `record(elapsed)` when it ends, whatever way it ends.
template <typename Record>
class ScopeTimer {
 public:
  explicit ScopeTimer(Record record) : record_(std::move(record)) {}
  ~ScopeTimer() { record_(Metrics::Seconds(std::chrono::steady_clock::now() - start_)); }
  ScopeTimer(const ScopeTimer&) = delete;
  ScopeTimer& operator=(const ScopeTimer&) = delete;

 private:
  Record record_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace medvqa::metrics

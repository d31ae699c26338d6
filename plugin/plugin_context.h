#pragma once

#include <orthanc/OrthancCPlugin.h>

#include <memory>
#include <optional>
#include <string>

#include "audit/audit_trail.h"
#include "metrics/metrics.h"
#include "orthanc_report_sink.h"
#include "orthanc_rest.h"
#include "orthanc_study_source.h"
#include "pipeline/answering.h"
#include "plugin_config.h"
#include "stable_study_inbox.h"

namespace medvqa::plugin {

// Routes core's log lines into Orthanc's log for as long as it lives.
class OrthancLogSink {
 public:
  explicit OrthancLogSink(OrthancPluginContext* context);
  ~OrthancLogSink();
  OrthancLogSink(const OrthancLogSink&) = delete;
  OrthancLogSink& operator=(const OrthancLogSink&) = delete;
};

// Everything the plugin owns, built in Initialize and destroyed in Finalize (the plugin's only
// global holds one). Members are declared in dependency order, so destruction stops the threads
// (stable-study inbox, pipeline workers, outbox sender) before what they use goes away.
//
// A model that cannot be loaded leaves Orthanc running and the routes answering 503 with the
// reason, as the node does.
class PluginContext {
 public:
  PluginContext(OrthancPluginContext* orthanc, PluginConfig config);
  ~PluginContext();
  PluginContext(const PluginContext&) = delete;
  PluginContext& operator=(const PluginContext&) = delete;

  // On OrthancStarted (Orthanc's REST API is usable from then on): starts the threads and audits
  // the start (Application Activity, as the node's).
  void start();
  // On OrthancStopped and in Finalize: stops and joins them, audits the stop. Idempotent.
  void stop();
  // From Orthanc's change callback: queues only, never calls Orthanc. Without a model nothing is
  // queued: Orthanc's change log keeps the event for the next start.
  void onStableStudy(const std::string& orthancStudyId) {
    if (answering_.pipeline()) inbox_.push(orthancStudyId);
  }

  const OrthancApi& api() const { return api_; }
  const PluginConfig& config() const { return config_; }
  metrics::Metrics& metrics() { return metrics_; }
  // The ATNA audit trail ("MedVQA.audit"); nullptr when audit is off.
  audit::AuditTrail* audit() { return audit_.get(); }
  pipeline::AnswerPipeline* pipeline() { return answering_.pipeline(); }
  const pipeline::DeliveryQueue& outbox() const { return answering_.outbox(); }
  const std::string& unavailable() const { return answering_.unavailable(); }  // why pipeline() is null
  // The Prometheus exposition, with the queue's and the inbox's counts read now.
  std::string scrape();

 private:
  void handOver(const std::string& orthancStudyId);

  OrthancLogSink logSink_;
  OrthancApi api_;
  PluginConfig config_;
  metrics::Metrics metrics_;  // before the pipeline, whose engine records into it
  std::unique_ptr<audit::AuditTrail> audit_;  // null when off; outlives all who record
  OrthancStudySource source_;
  OrthancReportSink sink_;
  pipeline::Answering answering_;  // queues, sender, model and pipeline: core's one start-up
  StableStudyInbox inbox_;
  bool started_ = false;
};

}  // namespace medvqa::plugin

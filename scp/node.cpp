#include "node.h"

#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "audit/audit_setup.h"
#include "audit/dicom_events.h"
#include "common/clock.h"
#include "common/log.h"
#include "dicom_server.h"
#include "http_api.h"
#include "index/index.h"
#include "metrics/metrics.h"
#include "node/device_identity.h"
#include "node/ingest.h"
#include "node/node_report_sink.h"
#include "node/node_study_source.h"
#include "node/node_transports.h"
#include "node/recovery.h"
#include "pipeline/answer_pipeline.h"
#include "pipeline/delivery_sender.h"
#include "vqa/engine.h"
#include "vqa/model.h"
#include "node/stable_study_monitor.h"
#include "node/study_activity.h"
#include "store/file_store.h"

namespace medvqa::scp {

// Declaration order is construction order; destruction runs backwards, so the front doors stop
// before the core they use goes away.
struct Node::Parts {
  explicit Parts(const config::NodeConfig& c)
      : auditTrail(audit::makeAuditTrail(c.audit, "audit", c.aet, &metrics)),
        files(c.storage),
        marker(c.storage),
        // The files are the truth and the index is rebuilt from them after an unclean stop, so
        // an index commit need not wait for its own fsync (the instance file had one).
        index(c.storage / "index.sqlite", Index::Durability::RebuildableFromFiles),
        ingestor(files, index, c.duplicatePolicy, c.maxDatasetBytes),
        jobs(c.storage / "jobs.sqlite", c.answering.jobRetry),
        outbox(c.storage / "outbox.sqlite", c.answering.deliveryRetry),
        source(index, files),
        sink(files, ingestor, c.aet, &metrics),
        monitor(index, activity, std::chrono::seconds(c.stableAgeSeconds),
                [this](const std::string& study) { onStable(study); }),
        services{c, files, index, ingestor, activity, metrics, auditTrail.get()} {
    createDicomListeners(c);
    startAnswering(c);
    if (c.httpPort != 0) {
      http = std::make_unique<HttpApi>(index, c.httpHost, c.httpPort, c.http, pipeline.get(), answeringUnavailable,
                                       NodeProbes{[this] { return scrape(); }, [this] { return readiness(); }},
                                       HttpAudit{auditTrail.get(), c.aet});
    }
  }

  // Before the model loads: a TLS certificate that cannot be used stops the start at once.
  void createDicomListeners(const config::NodeConfig& c) {
    if (c.port != 0) dicom.push_back(std::make_unique<DicomServer>(services, plainListener(c), associations));
    if (c.tls.enabled()) {
      dicom.push_back(std::make_unique<DicomServer>(services, tlsListener(services), associations));
    }
  }

  std::string describeDicom(const config::NodeConfig& c) const {
    std::string text;
    for (const auto& server : dicom) text += (text.empty() ? "" : ", ") + server->describe();
    if (c.tls.enabled()) {
      text += " (" + config::toString(c.tls.profile) + ", client certificates: " +
              config::toString(c.tls.clientVerification()) + ")";
    }
    return text;
  }

  // Loads the model (warm-up included) before the node says it is ready. A node whose model
  // cannot load still stores and serves studies; the API says why it does not answer.
  void startAnswering(const config::NodeConfig& c) {
    if (!c.answering.enabled) {
      answeringUnavailable = "answering is off (--answering off)";
      return;
    }
    const auto folder = config::resolveModelFolder(c.answering.model);
    std::shared_ptr<vqa::Engine> engine;
    try {
      vqa::EngineConfig engineConfig;
      engineConfig.batcher.maxBatch = c.answering.maxBatch;
      engineConfig.batcher.maxWait = std::chrono::milliseconds(c.answering.maxBatchWaitMs);
      engineConfig.batcher.metrics = &metrics;
      engine = std::make_shared<vqa::Engine>(vqa::Model::load(folder, {.device = vqa::DeviceSpec::parse(c.answering.device)}), engineConfig);
    } catch (const std::exception& e) {
      answeringUnavailable = "model " + folder.string() + " not loaded: " + e.what();
      log::error(answeringUnavailable + "; the node stores and serves studies but does not answer them");
      return;
    }
    jobs.releaseAbandoned(nowUnixMs());
    sender = std::make_unique<pipeline::DeliverySender>(
        outbox,
        node::nodeTransports(index, files, {c.destinations, c.answering.s3, c.aet, c.dimseTimeoutSeconds},
                             auditTrail != nullptr),
        c.aet, &metrics, auditTrail.get());
    pipeline = std::make_unique<pipeline::AnswerPipeline>(pipeline::AnswerPipeline::Parts{
        c.answering, jobs, &outbox, source, sink, std::move(engine), c.storage / "tmp" / "pipeline",
        node::deviceObserverUid(c.storage), [this] { sender->wake(); }, auditTrail.get()});
  }

  void onStable(const std::string& study) {
    if (!pipeline) return;
    try {
      metrics.stableStudy(pipeline::toString(pipeline->onStudyStable(study)));
    } catch (const std::exception& e) {
      log::error("study " + study + " went stable but could not be queued: " + e.what());
    }
  }

  // The gauges a scrape reads from their owners, then the exposition.
  std::string scrape() {
    std::map<std::string, std::int64_t> counts;
    for (const auto& [state, n] : jobs.countByState()) counts[pipeline::toString(state)] = n;
    metrics.setJobCounts(counts);
    if (pipeline) {
      const auto& model = pipeline->engine().model();
      metrics.setModel(model.manifest().name, model.manifest().version, model.device());
    } else {
      metrics.setNoModel();
    }
    return metrics.exposition();
  }

  // Ready: the model answers, a file can be written where instances land, the job queue answers.
  std::map<std::string, std::string> readiness() {
    std::map<std::string, std::string> checks;
    checks["model"] = pipeline ? "ok" : answeringUnavailable;
    checks["storage"] = files.writable() ? "ok" : "storage folder is not writable";
    try {
      jobs.countByState();
      checks["queue"] = "ok";
    } catch (const std::exception& e) {
      checks["queue"] = std::string("job queue unreachable: ") + e.what();
    }
    return checks;
  }

  // A stop (or kill) between "stable" and "queued" must not lose a study: at start every stable
  // study is offered again; the job key makes this idempotent.
  void catchUp() {
    for (std::size_t offset = 0;; offset += 500) {
      const auto page = index.studies(500, offset);
      for (const auto& study : page) {
        if (study.stable) onStable(study.studyUid);
      }
      if (page.size() < 500) return;
    }
  }

  metrics::Metrics metrics;  // first: everything below may record into it until it is gone
  std::unique_ptr<audit::AuditTrail> auditTrail;  // next: null when audit is off; outlives all who record
  store::FileStore files;
  node::CleanStopMarker marker;
  Index index;
  node::Ingestor ingestor;
  node::StudyActivity activity;
  pipeline::JobQueue jobs;
  pipeline::DeliveryQueue outbox;
  node::NodeStudySource source;
  node::NodeReportSink sink;
  std::string answeringUnavailable;
  std::unique_ptr<pipeline::DeliverySender> sender;
  std::unique_ptr<pipeline::AnswerPipeline> pipeline;
  std::thread catchUpThread;
  node::StableStudyMonitor monitor;
  NodeServices services;
  NodeAssociations associations;
  std::vector<std::unique_ptr<DicomServer>> dicom;  // plain, TLS, or both (the TLS one last)
  std::unique_ptr<HttpApi> http;
  std::vector<std::thread> dicomThreads;
};

Node::Node(config::NodeConfig config) : config_(std::move(config)) {}

Node::~Node() { stop(); }

void Node::start() {
  parts_ = std::make_unique<Parts>(config_);
  node::RecoveryReport report;
  if (parts_->marker.consume()) {
    report.tempFilesRemoved = parts_->files.purgeTemp();
  } else {
    log::info("last stop was not clean (or first start): reconciling files and index");
    report = node::recoverStorage(parts_->files, parts_->index);
  }
  if (report.tempFilesRemoved || report.filesReindexed || report.rowsWithoutFile) {
    log::warn("storage recovery: " + std::to_string(report.tempFilesRemoved) + " unfinished transfer(s) removed, " +
              std::to_string(report.filesReindexed) + " file(s) reindexed, " +
              std::to_string(report.rowsWithoutFile) + " index row(s) without a file");
  }
  for (auto& server : parts_->dicom) server->open();
  if (parts_->http) parts_->http->start();
  if (parts_->pipeline) {
    parts_->sender->start();
    parts_->pipeline->start();
    parts_->catchUpThread = std::thread([this] { parts_->catchUp(); });
  }
  parts_->monitor.start();
  for (auto& server : parts_->dicom) parts_->dicomThreads.emplace_back([s = server.get()] { s->run(); });
  if (parts_->auditTrail) parts_->auditTrail->record(audit::applicationActivity(true, config_.aet));
  log::info("medvqa-scp ready: AE " + config_.aet + ", " + parts_->describeDicom(config_) + ", HTTP " +
            (parts_->http ? parts_->http->describe() : std::string("off")) +
            ", storage " + config_.storage.string() + ", answering " +
            (parts_->pipeline ? "on (" + std::to_string(config_.answering.rules.size()) + " rules)"
                              : "off: " + parts_->answeringUnavailable));
}

void Node::stop() {
  if (!parts_) return;
  for (auto& server : parts_->dicom) server->stop();
  for (auto& thread : parts_->dicomThreads) thread.join();
  if (parts_->http) parts_->http->stop();
  if (parts_->catchUpThread.joinable()) parts_->catchUpThread.join();
  if (parts_->pipeline) parts_->pipeline->stop();
  if (parts_->auditTrail) parts_->auditTrail->record(audit::applicationActivity(false, config_.aet));
  node::CleanStopMarker marker = parts_->marker;
  parts_.reset();  // joins every thread and closes the index
  marker.write();
  log::info("medvqa-scp stopped");
}

}  // namespace medvqa::scp

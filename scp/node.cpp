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
#include "node/stable_study_monitor.h"
#include "node/study_activity.h"
#include "pipeline/answering.h"
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
        source(index, files),
        sink(files, ingestor, c.aet, &metrics),
        monitor(index, activity, std::chrono::seconds(c.stableAgeSeconds),
                [this](const std::string& study) { onStable(study); }),
        services{c, files, index, ingestor, activity, metrics, auditTrail.get()} {
    createDicomListeners(c);
    startAnswering(c);
    if (c.httpPort) {
      http = std::make_unique<HttpApi>(index, c.httpHost, *c.httpPort, c.http, answering->pipeline(),
                                       answering->unavailable(),
                                       NodeProbes{[this] { return scrape(); }, [this] { return readiness(); }},
                                       HttpAudit{auditTrail.get(), c.aet}, config::resolveModelFolder(c.answering.model),
                                       &metrics);
    }
  }

  // Before the model loads: a TLS certificate that cannot be used stops the start at once.
  void createDicomListeners(const config::NodeConfig& c) {
    if (c.port) {
      dicom.push_back(std::make_unique<DicomServer>(services, plainListener(c), associations));
      plainDicom = dicom.back().get();
    }
    if (c.tls.enabled()) {
      dicom.push_back(std::make_unique<DicomServer>(services, tlsListener(services), associations));
      tlsDicom = dicom.back().get();
    }
  }

  std::string describeDicom(const config::NodeConfig& c) const {
    std::string text;
    for (const auto& server : dicom) text += (text.empty() ? "" : ", ") + server->describe();
    if (c.tls.enabled()) {
      text += " (" + net::toString(c.tls.profile) + ", client certificates: " +
              net::toString(c.tls.clientVerification()) + ")";
    }
    return text;
  }

  // Loads the model (warm-up included) before the node says it is ready. A node whose model
  // cannot load still stores and serves studies; the API says why it does not answer.
  void startAnswering(const config::NodeConfig& c) {
    answering = std::make_unique<pipeline::Answering>(pipeline::Answering::Setup{
        .config = c.answering,
        .modelFolder = config::resolveModelFolder(c.answering.model),
        .stateFolder = c.storage,
        .scratch = c.storage / "tmp" / "pipeline",
        .source = source,
        .sink = sink,
        .transports = node::nodeTransports(index, files, {c.destinations, c.answering.s3, c.aet, c.dimseTimeoutSeconds},
                                           auditTrail != nullptr),
        .aet = c.aet,
        .deviceObserverUid = node::deviceObserverUid(c.storage),
        .metrics = metrics,
        .audit = auditTrail.get(),
        .off = c.answering.enabled ? std::nullopt : std::optional<std::string>("answering is off (--answering off)")});
  }

  void onStable(const std::string& study) {
    auto* answerer = answering->pipeline();
    if (!answerer) return;
    try {
      metrics.stableStudy(pipeline::toString(answerer->onStudyStable(study)));
    } catch (const std::exception& e) {
      log::error("study " + study + " went stable but could not be queued: " + e.what());
    }
  }

  // The gauges a scrape reads from their owners, then the exposition.
  std::string scrape() {
    answering->updateGauges();
    return metrics.exposition();
  }

  // Ready: the model answers, a file can be written where instances land, the job queue answers.
  std::map<std::string, std::string> readiness() {
    std::map<std::string, std::string> checks;
    checks["model"] = answering->pipeline() ? "ok" : answering->unavailable();
    checks["storage"] = files.writable() ? "ok" : "storage folder is not writable";
    try {
      answering->jobs().countByState();
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
  node::NodeStudySource source;
  node::NodeReportSink sink;
  // Core's one start-up of answering (queues, sender, model, pipeline); made after the DICOM
  // listeners, so that a TLS certificate that cannot be used stops the start before the model loads.
  std::unique_ptr<pipeline::Answering> answering;
  std::thread catchUpThread;
  node::StableStudyMonitor monitor;
  NodeServices services;
  NodeAssociations associations;
  std::vector<std::unique_ptr<DicomServer>> dicom;  // plain, TLS, or both (the TLS one last)
  DicomServer* plainDicom = nullptr;                // in `dicom`, or null when off
  DicomServer* tlsDicom = nullptr;
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
  if (parts_->answering->pipeline()) {
    parts_->answering->start();
    parts_->catchUpThread = std::thread([this] { parts_->catchUp(); });
  }
  parts_->monitor.start();
  for (auto& server : parts_->dicom) parts_->dicomThreads.emplace_back([s = server.get()] { s->run(); });
  if (parts_->auditTrail) parts_->auditTrail->record(audit::applicationActivity(true, config_.aet));
  log::info("medvqa-scp ready: AE " + config_.aet + ", " + parts_->describeDicom(config_) + ", HTTP " +
            (parts_->http ? parts_->http->describe() : std::string("off")) +
            ", storage " + config_.storage.string() + ", answering " +
            (parts_->answering->pipeline() ? "on (" + std::to_string(config_.answering.rules.size()) + " rules)"
                                           : "off: " + parts_->answering->unavailable()));
}

ListeningPorts Node::ports() const {
  ListeningPorts ports;
  if (!parts_) return ports;
  if (parts_->plainDicom) ports.dicom = parts_->plainDicom->port();
  if (parts_->tlsDicom) ports.tls = parts_->tlsDicom->port();
  if (parts_->http) ports.http = static_cast<std::uint16_t>(parts_->http->port());
  return ports;
}

void Node::stop() {
  if (!parts_) return;
  for (auto& server : parts_->dicom) server->stop();
  for (auto& thread : parts_->dicomThreads) thread.join();
  if (parts_->http) parts_->http->stop();
  if (parts_->catchUpThread.joinable()) parts_->catchUpThread.join();
  parts_->answering->stop();
  if (parts_->auditTrail) parts_->auditTrail->record(audit::applicationActivity(false, config_.aet));
  node::CleanStopMarker marker = parts_->marker;
  parts_.reset();  // joins every thread and closes the index
  marker.write();
  log::info("medvqa-scp stopped");
}

}  // namespace medvqa::scp

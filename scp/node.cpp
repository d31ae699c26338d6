#include "node.h"

#include <thread>

#include "common/log.h"
#include "dicom_server.h"
#include "http_api.h"
#include "index/index.h"
#include "node/ingest.h"
#include "node/recovery.h"
#include "node/stable_study_monitor.h"
#include "node/study_activity.h"
#include "store/file_store.h"

namespace medvqa::scp {

// Declaration order is construction order; destruction runs backwards, so the front doors stop
// before the core they use goes away.
struct Node::Parts {
  explicit Parts(const config::NodeConfig& c)
      : files(c.storage),
        marker(c.storage),
        // The files are the truth and the index is rebuilt from them after an unclean stop, so
        // an index commit need not wait for its own fsync (the instance file had one).
        index(c.storage / "index.sqlite", Index::Durability::RebuildableFromFiles),
        ingestor(files, index, c.duplicatePolicy, c.maxDatasetBytes),
        monitor(index, activity, std::chrono::seconds(c.stableAgeSeconds)),
        services{c, files, index, ingestor, activity},
        dicom(services) {
    if (c.httpPort != 0) http = std::make_unique<HttpApi>(index, c.httpHost, c.httpPort);
  }

  store::FileStore files;
  node::CleanStopMarker marker;
  Index index;
  node::Ingestor ingestor;
  node::StudyActivity activity;
  node::StableStudyMonitor monitor;
  NodeServices services;
  DicomServer dicom;
  std::unique_ptr<HttpApi> http;
  std::thread dicomThread;
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
  parts_->dicom.open();
  if (parts_->http) parts_->http->start();
  parts_->monitor.start();
  parts_->dicomThread = std::thread([this] { parts_->dicom.run(); });
  log::info("medvqa-scp ready: AE " + config_.aet + ", DICOM port " + std::to_string(config_.port) + ", HTTP " +
            (parts_->http ? config_.httpHost + ":" + std::to_string(config_.httpPort) : std::string("off")) +
            ", storage " + config_.storage.string());
}

void Node::stop() {
  if (!parts_) return;
  parts_->dicom.stop();
  if (parts_->dicomThread.joinable()) parts_->dicomThread.join();
  if (parts_->http) parts_->http->stop();
  node::CleanStopMarker marker = parts_->marker;
  parts_.reset();  // joins every thread and closes the index
  marker.write();
  log::info("medvqa-scp stopped");
}

}  // namespace medvqa::scp

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
        index(c.storage / "index.sqlite"),
        ingestor(files, index, c.duplicatePolicy, c.maxDatasetBytes),
        monitor(index, activity, std::chrono::seconds(c.stableAgeSeconds)),
        services{c, files, index, ingestor, activity},
        dicom(services) {
    if (c.httpPort != 0) http = std::make_unique<HttpApi>(index, c.httpHost, c.httpPort);
  }

  store::FileStore files;
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
  const node::RecoveryReport report = node::recoverStorage(parts_->files, parts_->index);
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
  parts_.reset();
  log::info("medvqa-scp stopped");
}

}  // namespace medvqa::scp

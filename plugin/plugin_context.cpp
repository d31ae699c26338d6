#include "plugin_context.h"

#include <nlohmann/json.hpp>

#include "audit/audit_setup.h"
#include "audit/dicom_events.h"
#include "common/error.h"
#include "common/log.h"
#include "node/device_identity.h"
#include "orthanc_transport.h"
#include "pipeline/s3_transport.h"
#include "rest_routes.h"
#include "vqa/engine.h"
#include "vqa/model.h"

namespace medvqa::plugin {
namespace {

namespace fs = std::filesystem;

// The state folder, made before anything reads or writes in it (braced initialisers run in
// order: the device UID below is read from it).
const std::filesystem::path& prepared(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  return folder;
}

// Orthanc's modalities, then the buckets: the plugin's doors out, behind core's one sender.
std::vector<std::unique_ptr<pipeline::DeliveryTransport>> transports(const OrthancApi& api,
                                                                     const pipeline::AnsweringConfig& answering) {
  std::vector<std::unique_ptr<pipeline::DeliveryTransport>> out;
  out.push_back(std::make_unique<OrthancModalityTransport>(api));
  out.push_back(std::make_unique<pipeline::S3Transport>(answering.s3, orthancUploads(api)));
  return out;
}

}  // namespace

OrthancLogSink::OrthancLogSink(OrthancPluginContext* context) {
  log::setSink([context](log::Level level, std::string_view message) {
    // Orthanc does not say which plugin a line comes from.
    const std::string line = "MedVQA: " + std::string(message);
    switch (level) {
      case log::Level::Error: return OrthancPluginLogError(context, line.c_str());
      case log::Level::Warn: return OrthancPluginLogWarning(context, line.c_str());
      default: return OrthancPluginLogInfo(context, line.c_str());
    }
  });
}

OrthancLogSink::~OrthancLogSink() { log::setSink({}); }

PluginContext::PluginContext(OrthancPluginContext* orthanc, PluginConfig config)
    : logSink_(orthanc),
      api_(orthanc),
      config_(std::move(config)),
      audit_(audit::makeAuditTrail(config_.audit, "MedVQA.audit", config_.aet, &metrics_, "OrthancMedVQA")),
      source_(api_),
      sink_(api_, [this](bool stored) { metrics_.reportStored(stored); }),
      // Loads the model (warm-up included) in Initialize, so Orthanc says it has started only once
      // the plugin can answer.
      answering_({.config = config_.answering,
                  .modelFolder = config_.modelFolder,
                  .stateFolder = prepared(config_.stateFolder),
                  .scratch = config_.stateFolder / "tmp",
                  .source = source_,
                  .sink = sink_,
                  .transports = transports(api_, config_.answering),
                  .aet = config_.aet,
                  .deviceObserverUid = node::deviceObserverUid(config_.stateFolder),
                  .metrics = metrics_,
                  .audit = audit_.get(),
                  .deliveriesPerPass = 64}),
      inbox_(api_, config_.stateFolder / "changes-cursor", [this](const std::string& id) { handOver(id); }) {
  if (auto* pipeline = answering_.pipeline()) {
    const auto& model = pipeline->engine().model();
    // Orthanc shows warnings by default and info lines only with --verbose: this one line says, in
    // every log, which model answers.
    log::warn("answering with model " + model.manifest().name + " " + model.manifest().version + " on " +
              model.device() + " (" + std::to_string(config_.answering.rules.size()) + " rules, auto-answering " +
              (config_.answering.enabled ? "on" : "off") + ")");
  }
}

PluginContext::~PluginContext() { stop(); }

void PluginContext::start() {
  if (started_) return;
  started_ = true;
  if (audit_) audit_->record(audit::applicationActivity(true, config_.aet));
  if (!answering_.pipeline()) return;  // without a model the change log is kept for a later start
  answering_.start();
  inbox_.start();
}

void PluginContext::stop() {
  if (!started_) return;
  started_ = false;
  inbox_.stop();
  answering_.stop();
  if (audit_) audit_->record(audit::applicationActivity(false, config_.aet));
}

void PluginContext::handOver(const std::string& orthancStudyId) {
  std::string uid;
  try {
    uid = OrthancStudies(api_).find(orthancStudyId).uid;  // the REST routes' lookup
  } catch (const Error& e) {
    // Deleted since it went stable: nothing to answer.
    if (e.code() == ErrorCode::NotFound || e.code() == ErrorCode::InvalidArgument) return;
    throw;
  }
  metrics_.stableStudy(pipeline::toString(answering_.pipeline()->onStudyStable(uid)));
}

std::string PluginContext::scrape() {
  metrics_.setStableStudiesWaiting(inbox_.waiting());
  answering_.updateGauges();
  return metrics_.exposition();
}

}  // namespace medvqa::plugin

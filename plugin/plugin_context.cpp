#include "plugin_context.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "audit/audit_setup.h"
#include "audit/dicom_events.h"
#include "common/clock.h"
#include "common/log.h"
#include "node/device_identity.h"
#include "orthanc_transport.h"
#include "pipeline/s3_transport.h"
#include "vqa/device.h"
#include "vqa/engine.h"
#include "vqa/model.h"

namespace medvqa::plugin {
namespace {

namespace fs = std::filesystem;

// The state folder, made before anything opens a file in it.
const fs::path& prepared(const fs::path& folder) {
  fs::create_directories(folder);
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
      jobs_(prepared(config_.stateFolder) / "jobs.sqlite", config_.answering.jobRetry),
      outbox_(config_.stateFolder / "outbox.sqlite", config_.answering.deliveryRetry),
      source_(api_),
      sink_(api_, [this](bool stored) { metrics_.reportStored(stored); }),
      sender_(outbox_, transports(api_, config_.answering), config_.aet, &metrics_, audit_.get(), 64),
      inbox_(api_, config_.stateFolder / "changes-cursor", [this](const std::string& id) { handOver(id); }) {
  loadPipeline();
}

PluginContext::~PluginContext() { stop(); }

// Loads the model (warm-up included) in Initialize, so Orthanc says it has started only once the
// plugin can answer.
void PluginContext::loadPipeline() {
  std::shared_ptr<vqa::Engine> engine;
  try {
    vqa::EngineConfig engineConfig;
    engineConfig.batcher.maxBatch = config_.answering.maxBatch;
    engineConfig.batcher.maxWait = std::chrono::milliseconds(config_.answering.maxBatchWaitMs);
    engineConfig.batcher.metrics = &metrics_;
    engine = std::make_shared<vqa::Engine>(
        vqa::Model::load(config_.modelFolder, {.device = vqa::DeviceSpec::parse(config_.answering.device)}), engineConfig);
  } catch (const std::exception& e) {
    unavailable_ = "model " + config_.modelFolder.string() + " not loaded: " + e.what();
    log::error(unavailable_ + "; Orthanc runs on, but MedVQA answers nothing");
    return;
  }
  jobs_.releaseAbandoned(nowUnixMs());  // this Orthanc is the only process using the state folder
  pipeline_ = std::make_unique<pipeline::AnswerPipeline>(pipeline::AnswerPipeline::Parts{
      config_.answering, jobs_, &outbox_, source_, sink_, std::move(engine), config_.stateFolder / "tmp",
      node::deviceObserverUid(config_.stateFolder), [this] { sender_.wake(); }, audit_.get()});
  const auto& manifest = pipeline_->engine().model().manifest();
  // Orthanc shows warnings by default and info lines only with --verbose: this one line says, in
  // every log, which model answers.
  log::warn("answering with model " + manifest.name + " " + manifest.version + " on " +
            pipeline_->engine().model().device() + " (" + std::to_string(config_.answering.rules.size()) +
            " rules, auto-answering " + (config_.answering.enabled ? "on" : "off") + ")");
}

void PluginContext::start() {
  if (started_) return;
  started_ = true;
  if (audit_) audit_->record(audit::applicationActivity(true, config_.aet));
  if (!pipeline_) return;  // without a model the change log is kept for a later start
  sender_.start();
  pipeline_->start();
  inbox_.start();
}

void PluginContext::stop() {
  if (!started_) return;
  started_ = false;
  if (pipeline_) {
    inbox_.stop();
    pipeline_->stop();
    sender_.stop();
  }
  if (audit_) audit_->record(audit::applicationActivity(false, config_.aet));
}

void PluginContext::handOver(const std::string& orthancStudyId) {
  const auto uid = studyUidOf(orthancStudyId);
  if (!uid) return;  // deleted since it went stable
  metrics_.stableStudy(pipeline::toString(pipeline_->onStudyStable(*uid)));
}

std::optional<std::string> PluginContext::studyUidOf(const std::string& orthancStudyId) const {
  if (!isOrthancId(orthancStudyId)) return std::nullopt;
  const auto study = api_.getJson("/studies/" + orthancStudyId);
  if (!study) return std::nullopt;
  const auto uid = (*study)["MainDicomTags"].value("StudyInstanceUID", "");
  if (uid.empty()) return std::nullopt;
  return uid;
}

std::string PluginContext::scrape() {
  metrics_.setStableStudiesWaiting(inbox_.waiting());
  std::map<std::string, std::int64_t> jobs;
  for (const auto& [state, count] : jobs_.countByState()) jobs[pipeline::toString(state)] = count;
  metrics_.setJobCounts(jobs);
  if (pipeline_) {
    const auto& model = pipeline_->engine().model();
    metrics_.setModel(model.manifest().name, model.manifest().version, model.device());
  } else {
    metrics_.setNoModel();
  }
  return metrics_.exposition();
}

}  // namespace medvqa::plugin

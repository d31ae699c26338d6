#include "pipeline/answering.h"

#include <chrono>
#include <map>

#include "common/clock.h"
#include "common/log.h"
#include "metrics/metrics.h"
#include "vqa/device.h"
#include "vqa/engine.h"
#include "vqa/model.h"

namespace medvqa::pipeline {
namespace {

namespace fs = std::filesystem;

// The state folder, made before the queues open their files in it.
const fs::path& prepared(const fs::path& folder) {
  fs::create_directories(folder);
  return folder;
}

}  // namespace

Answering::Answering(Setup setup)
    : metrics_(setup.metrics),
      modelFolder_(setup.modelFolder),
      jobs_(prepared(setup.stateFolder) / "jobs.sqlite", setup.config.jobRetry),
      outbox_(setup.stateFolder / "outbox.sqlite", setup.config.deliveryRetry),
      sender_(outbox_, std::move(setup.transports), setup.aet, &setup.metrics, setup.audit, setup.deliveriesPerPass) {
  if (setup.off) {
    unavailable_ = *setup.off;
    return;
  }
  auto engine = loadEngine(setup);
  if (!engine) return;
  // This process is the only one using the state folder: a job claimed before a crash is free.
  jobs_.releaseAbandoned(nowUnixMs());
  pipeline_ = std::make_unique<AnswerPipeline>(AnswerPipeline::Parts{
      std::move(setup.config), jobs_, &outbox_, setup.source, setup.sink, std::move(engine), setup.scratch,
      setup.deviceObserverUid, [this] { sender_.wake(); }, setup.audit});
}

Answering::~Answering() { stop(); }

std::shared_ptr<vqa::Engine> Answering::loadEngine(const Setup& setup) {
  try {
    vqa::EngineConfig engineConfig;
    engineConfig.batcher.maxBatch = setup.config.maxBatch;
    engineConfig.batcher.maxWait = std::chrono::milliseconds(setup.config.maxBatchWaitMs);
    engineConfig.batcher.metrics = &metrics_;
    const vqa::ModelLoadOptions options{.device = vqa::DeviceSpec::parse(setup.config.device)};
    return std::make_shared<vqa::Engine>(vqa::Model::load(modelFolder_, options), engineConfig);
  } catch (const std::exception& e) {
    unavailable_ = "model " + modelFolder_.string() + " not loaded: " + e.what();
    log::error(unavailable_ + "; studies are stored and served, but not answered");
    return nullptr;
  }
}

void Answering::start() {
  if (!pipeline_) return;  // nothing queues deliveries or jobs without a model
  sender_.start();
  pipeline_->start();
}

void Answering::stop() {
  if (pipeline_) pipeline_->stop();
  sender_.stop();
}

void Answering::updateGauges() {
  std::map<std::string, std::int64_t> counts;
  for (const auto& [state, n] : jobs_.countByState()) counts[toString(state)] = n;
  metrics_.setJobCounts(counts);
  if (pipeline_) {
    const auto& model = pipeline_->engine().model();
    metrics_.setModel(model.manifest().name, model.manifest().version, model.device());
  } else {
    metrics_.setNoModel();
  }
}

}  // namespace medvqa::pipeline

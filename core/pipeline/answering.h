#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/answer_pipeline.h"
#include "pipeline/answering_config.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/delivery_sender.h"
#include "pipeline/delivery_transport.h"
#include "pipeline/job_queue.h"

namespace medvqa::metrics {
class Metrics;
}
namespace medvqa::audit {
class AuditTrail;
}

namespace medvqa::pipeline {

// The one start-up of answering, for the node and the Orthanc plugin alike: the durable job
// queue and outbox, the outbox sender, the model and its engine, and the pipeline. The doors
// bring what differs (where studies come from and SRs go, the transports, the state folder) and
// translate; everything else is built here, once.
//
// The queues exist even when the model does not load, so the API still lists jobs and
// deliveries and the readiness probe reads the queue: a node whose model cannot load stores and
// serves studies, and says why it does not answer (unavailable()).
class Answering {
 public:
  struct Setup {
    AnsweringConfig config;
    std::filesystem::path modelFolder;  // resolved by the door (the node's default is models/demo)
    std::filesystem::path stateFolder;  // jobs.sqlite and outbox.sqlite (made when missing)
    std::filesystem::path scratch;      // materialised studies, emptied per job
    StudySource& source;
    ReportSink& sink;
    std::vector<std::unique_ptr<DeliveryTransport>> transports;
    std::string aet;                  // names this node (or Orthanc) in the audit trail
    std::string deviceObserverUid;    // the SR's Device Observer UID, stable per installation
    metrics::Metrics& metrics;
    audit::AuditTrail* audit = nullptr;
    std::size_t deliveriesPerPass = 256;
    // Set: the model is not loaded and this is why (the node's --answering off).
    std::optional<std::string> off;
  };

  // Opens the queues, then loads the model (warm-up included, so a door reports ready only once
  // it can answer). A model that does not load is logged and leaves pipeline() null.
  explicit Answering(Setup setup);
  ~Answering();
  Answering(const Answering&) = delete;
  Answering& operator=(const Answering&) = delete;

  // Starts the outbox sender and the pipeline's workers; stop() joins them (idempotent).
  void start();
  void stop();

  AnswerPipeline* pipeline() { return pipeline_.get(); }
  const std::string& unavailable() const { return unavailable_; }  // why pipeline() is null
  JobQueue& jobs() { return jobs_; }
  const DeliveryQueue& outbox() const { return outbox_; }
  const std::filesystem::path& modelFolder() const { return modelFolder_; }

  // Sets the gauges read from their owners (jobs by state, the model answering) in `metrics`.
  void updateGauges();

 private:
  std::shared_ptr<vqa::Engine> loadEngine(const Setup& setup);

  metrics::Metrics& metrics_;
  std::filesystem::path modelFolder_;
  JobQueue jobs_;
  DeliveryQueue outbox_;
  DeliverySender sender_;
  std::string unavailable_;
  std::unique_ptr<AnswerPipeline> pipeline_;  // last: its workers stop before what they use goes away
};

}  // namespace medvqa::pipeline

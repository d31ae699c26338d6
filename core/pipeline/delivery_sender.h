#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/worker.h"
#include "pipeline/delivery_outcomes.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/delivery_transport.h"

namespace medvqa::metrics {
class Metrics;
}
namespace medvqa::audit {
class AuditTrail;
}

namespace medvqa::pipeline {

// The one outbox sender of both front doors: drains the DeliveryQueue, hands each destination's
// due entries to the transport that knows it (C-STORE through net::StoreClient or Orthanc's
// modalities, upload to an S3 bucket), and records each outcome: sent, or failed with the reason
// and a later retry. A destination no transport knows (removed from the configuration) fails
// "not configured" and is retried, so that putting it back delivers what waited. With an audit
// trail, each pass records per study and destination what went (DICOM Instances Transferred to a
// peer, Export to a bucket), with outcome 8 when anything failed. Runs on its own worker; wake()
// after adding entries.
class DeliverySender {
 public:
  // `nodeAet` names this node (or Orthanc) in the audit messages. The first transport with a
  // target for a destination delivers to it.
  DeliverySender(DeliveryQueue& queue, std::vector<std::unique_ptr<DeliveryTransport>> transports, std::string nodeAet,
                 metrics::Metrics* metrics = nullptr, audit::AuditTrail* audit = nullptr,
                 std::size_t entriesPerPass = 256);

  void start() { worker_.start(); }
  void wake() { worker_.wake(); }
  void stop() { worker_.stop(); }
  // One pass over what is due now; returns how many were sent. The worker calls it.
  std::size_t sendDue();

 private:
  std::size_t deliver(DeliveryTransport& transport, const DeliveryTarget& target, const std::string& destination,
                      const std::vector<Delivery>& batch);

  DeliveryQueue& queue_;
  DeliveryOutcomes outcomes_;
  std::vector<std::unique_ptr<DeliveryTransport>> transports_;
  std::string nodeAet_;
  audit::AuditTrail* audit_;
  std::size_t entriesPerPass_;
  Worker worker_;  // last: stopped before what its passes use goes away
};

}  // namespace medvqa::pipeline

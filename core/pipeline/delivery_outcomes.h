#pragma once

#include <string>
#include <vector>

#include "pipeline/delivery_queue.h"

namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::pipeline {

// Where the outbox sender (DeliverySender, both front doors') records how a delivery went: in the
// outbox, which retries a failure after its backoff, and in the per-destination counters
// (medvqa_reports_sent_total / medvqa_report_send_failures_total). `metrics` may be null.
class DeliveryOutcomes {
 public:
  DeliveryOutcomes(DeliveryQueue& outbox, metrics::Metrics* metrics) : outbox_(outbox), metrics_(metrics) {}

  void sent(const Delivery& delivery);
  void failed(const Delivery& delivery, const std::string& why);
  // An empty `error` means sent (the shape of s3::BucketUploader's Done).
  void record(const Delivery& delivery, const std::string& error);
  // Entries queued for a destination the configuration no longer has: kept, so that putting the
  // destination back delivers them.
  void notConfigured(const std::vector<Delivery>& batch);

 private:
  DeliveryQueue& outbox_;
  metrics::Metrics* metrics_;
};

}  // namespace medvqa::pipeline

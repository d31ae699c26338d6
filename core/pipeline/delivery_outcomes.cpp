#include "pipeline/delivery_outcomes.h"

#include "common/clock.h"
#include "metrics/metrics.h"

namespace medvqa::pipeline {

void DeliveryOutcomes::sent(const Delivery& delivery) {
  outbox_.markSent(delivery.id, nowUnixMs());
  if (metrics_) metrics_->reportSent(delivery.destination);
}

void DeliveryOutcomes::failed(const Delivery& delivery, const std::string& why) {
  outbox_.markFailed(delivery.id, why, nowUnixMs());
  if (metrics_) metrics_->reportSendFailed(delivery.destination);
}

void DeliveryOutcomes::record(const Delivery& delivery, const std::string& error) {
  if (error.empty()) {
    sent(delivery);
  } else {
    failed(delivery, error);
  }
}

void DeliveryOutcomes::notConfigured(const std::vector<Delivery>& batch) {
  for (const auto& d : batch) failed(d, "destination " + d.destination + " is not configured");
}

}  // namespace medvqa::pipeline

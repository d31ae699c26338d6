#include "audit/audit_trail.h"

#include "audit/audit_xml.h"
#include "metrics/metrics.h"

namespace medvqa::audit {

AuditTrail::AuditTrail(AuditSource source, std::vector<std::unique_ptr<AuditSink>> sinks, metrics::Metrics* metrics)
    : source_(std::move(source)), sinks_(std::move(sinks)), metrics_(metrics) {}

// Sinks go first: a queueing sink's destructor drains what it still holds.
AuditTrail::~AuditTrail() { sinks_.clear(); }

void AuditTrail::record(const AuditEvent& event) noexcept {
  std::string message;
  try {
    if (event.source.sourceId.empty()) {
      AuditEvent sourced = event;
      sourced.source = source_;
      message = toXml(sourced);
    } else {
      message = toXml(event);
    }
  } catch (const std::exception& e) {
    ++failures_;
    failureLog_.warn(std::string("audit: a message could not be built and is lost: ") + e.what());
    return;
  }
  for (const auto& sink : sinks_) {
    try {
      sink->write(message);
    } catch (const std::exception& e) {
      ++failures_;
      if (metrics_) metrics_->auditMessage(sink->name(), "failed");
      failureLog_.warn(std::string("audit: the ") + sink->name() + " sink lost a message: " + e.what());
    }
  }
}

}  // namespace medvqa::audit

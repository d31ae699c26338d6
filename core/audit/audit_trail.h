#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "audit/audit_event.h"
#include "audit/audit_sink.h"
#include "audit/rate_limited_log.h"

namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::audit {

// The node's audit trail: serialises each event once (audit_xml.h) and hands it to every sink.
//
// Parts that audit take an AuditTrail* that may be null (audit off, the Orthanc plugin, unit
// tests), like metrics::Metrics*. record() never throws and never fails the work it describes:
// a C-STORE is acknowledged whether or not its audit message could be written. A sink's failure
// is logged (rate-limited) and counted (medvqa_audit_messages_total{outcome="failed"}).
class AuditTrail {
 public:
  // `source` fills in every event's AuditSourceIdentification that leaves it empty.
  AuditTrail(AuditSource source, std::vector<std::unique_ptr<AuditSink>> sinks, metrics::Metrics* metrics = nullptr);
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  void record(const AuditEvent& event) noexcept;

  const AuditSource& source() const noexcept { return source_; }
  // Messages some sink refused (write threw) since start.
  std::uint64_t failures() const noexcept { return failures_; }

 private:
  AuditSource source_;
  std::vector<std::unique_ptr<AuditSink>> sinks_;
  metrics::Metrics* metrics_;
  std::atomic<std::uint64_t> failures_{0};
  RateLimitedLog failureLog_;
};

}  // namespace medvqa::audit

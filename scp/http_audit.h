#pragma once

#include <string>

#include "audit/audit_trail.h"

namespace medvqa::scp {

// The audit trail as the HTTP API sees it: where to record (null: audit off) and the node's AE
// title, which names the node in each message.
struct HttpAudit {
  audit::AuditTrail* trail = nullptr;
  std::string nodeAet;

  explicit operator bool() const noexcept { return trail != nullptr; }
  void record(const audit::AuditEvent& event) const noexcept {
    if (trail) trail->record(event);
  }
};

}  // namespace medvqa::scp

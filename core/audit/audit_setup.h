#pragma once

#include <memory>
#include <string>

#include "audit/audit_trail.h"
#include "audit/audit_config.h"

namespace medvqa::audit {

// The trail an "audit" section asks for: the file sink, the syslog sink, or both; nullptr when
// it asks for neither (audit off). Error(Config) naming the key when a sink cannot start (an
// audit file that cannot be opened, a TLS file that cannot be loaded): a node that was told to
// audit does not run without it.
std::unique_ptr<AuditTrail> makeAuditTrail(const AuditConfig& config, const std::string& section,
                                           const std::string& sourceAet, metrics::Metrics* metrics,
                                           const std::string& appName = "medvqa-scp");

}  // namespace medvqa::audit

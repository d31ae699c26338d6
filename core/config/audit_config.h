#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "audit/audit_config.h"

namespace medvqa::config {

// The "audit" section's types, audit::AuditConfig and audit::SyslogConfig, belong to the audit
// trail (audit/audit_config.h); here they are read and checked.

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
audit::AuditConfig auditConfigFromJson(const nlohmann::json& json, const std::string& section,
                                       audit::AuditConfig base = {});

// "HOST:PORT" or "[IPv6]:PORT" into `target`'s host and port; Error(Config) naming `key`.
void parseSyslogAddress(const std::string& text, audit::SyslogConfig& target, const std::string& key);

// Throws Error(Config) for contradictions: TLS files without TLS, TLS without a collector, a
// client certificate without its key (or the reverse).
void validate(const audit::AuditConfig& config, const std::string& section);

}  // namespace medvqa::config

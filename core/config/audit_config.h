#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace medvqa::config {

// A syslog collector for audit messages: RFC 5424 over TCP (RFC 6587 octet counting), or over
// TLS (RFC 5425) when `tls` is on, as IHE ATNA's Record Audit Event (ITI-20) sends them.
struct SyslogConfig {
  std::string host;  // empty: no syslog
  std::uint16_t port = 0;
  bool tls = false;
  std::filesystem::path ca;           // PEM CA bundle the collector's certificate must chain to
  std::filesystem::path certificate;  // PEM client certificate (ATNA: mutual authentication)
  std::filesystem::path privateKey;   // PEM key of `certificate`, unencrypted

  bool enabled() const { return !host.empty(); }
};

// The "audit" section: the audit trail (docs/operations.md, "Audit trail").
struct AuditConfig {
  std::filesystem::path file;    // append-only audit file; empty: none
  SyslogConfig syslog;
  std::string enterpriseSiteId;  // AuditEnterpriseSiteID; empty: left out

  bool enabled() const { return !file.empty() || syslog.enabled(); }
};

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
AuditConfig auditConfigFromJson(const nlohmann::json& json, const std::string& section, AuditConfig base = {});

// "HOST:PORT" or "[IPv6]:PORT" into `target`'s host and port; Error(Config) naming `key`.
void parseSyslogAddress(const std::string& text, SyslogConfig& target, const std::string& key);

// Throws Error(Config) for contradictions: TLS files without TLS, TLS without a collector, a
// client certificate without its key (or the reverse).
void validate(const AuditConfig& config, const std::string& section);

}  // namespace medvqa::config

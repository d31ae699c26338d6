#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace medvqa::audit {

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

// What the audit trail is built from (makeAuditTrail): the "audit" section (docs/operations.md,
// "Audit trail"), read by config::auditConfigFromJson.
struct AuditConfig {
  std::filesystem::path file;    // append-only audit file; empty: none
  SyslogConfig syslog;
  std::string enterpriseSiteId;  // AuditEnterpriseSiteID; empty: left out

  bool enabled() const { return !file.empty() || syslog.enabled(); }
};

}  // namespace medvqa::audit

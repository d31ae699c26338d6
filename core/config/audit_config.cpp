#include "config/audit_config.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/config_value.h"

namespace medvqa::config {
namespace {

using audit::AuditConfig;
using audit::SyslogConfig;
using nlohmann::json;

SyslogConfig syslogFromJson(const json& j, const std::string& section, SyslogConfig c) {
  if (!j.is_object()) failKey(section, "must be an object {\"host\": ..., \"port\": ...}");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "host") c.host = nonEmptyString(v, key);
    else if (name == "port") c.port = portValue(v, key);
    else if (name == "tls") c.tls = boolValue(v, key);
    else if (name == "ca") c.ca = nonEmptyString(v, key);
    else if (name == "certificate") c.certificate = nonEmptyString(v, key);
    else if (name == "privateKey") c.privateKey = nonEmptyString(v, key);
    else failKey(key, "unknown key (see docs/configuration.md)");
  }
  return c;
}

}  // namespace

AuditConfig auditConfigFromJson(const json& j, const std::string& section, AuditConfig c) {
  if (!j.is_object()) failKey(section, "must be an object");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "file") c.file = nonEmptyString(v, key);
    else if (name == "syslog") c.syslog = syslogFromJson(v, key, std::move(c.syslog));
    else if (name == "enterpriseSiteId") c.enterpriseSiteId = nonEmptyString(v, key);
    else failKey(key, "unknown key (see docs/configuration.md)");
  }
  return c;
}

void parseSyslogAddress(const std::string& text, SyslogConfig& target, const std::string& key) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) failKey(key, "must be HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (host.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
    failKey(key, "must be HOST:PORT, got '" + text + "'");
  }
  target.host = host;
  target.port = portValue(json(std::stoi(port)), key);
}

void validate(const AuditConfig& c, const std::string& section) {
  const SyslogConfig& s = c.syslog;
  const std::string key = section + ".syslog";
  if (s.enabled() && s.port == 0) failKey(key + ".port", "a syslog collector needs a port (6514 for TLS, RFC 5425)");
  if (!s.enabled() && (s.tls || !s.ca.empty() || !s.certificate.empty() || !s.privateKey.empty())) {
    failKey(key + ".host", "syslog TLS settings are given but no collector (--audit-syslog HOST:PORT)");
  }
  if (!s.tls && (!s.ca.empty() || !s.certificate.empty() || !s.privateKey.empty())) {
    failKey(key + ".tls", "CA / certificate / key files are given but TLS is off (--audit-syslog-tls on)");
  }
  if (s.certificate.empty() != s.privateKey.empty()) {
    failKey(key + (s.certificate.empty() ? ".certificate" : ".privateKey"),
         "a client certificate needs its key and the reverse (--audit-syslog-cert, --audit-syslog-key)");
  }
}

}  // namespace medvqa::config

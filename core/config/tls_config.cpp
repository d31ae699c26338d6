#include "config/tls_config.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/config_value.h"

namespace medvqa::config {
namespace {

using nlohmann::json;
using net::ClientVerification;
using net::DicomTlsConfig;
using net::TlsProfile;

std::vector<std::filesystem::path> getPaths(const json& v, const std::string& key) {
  if (!v.is_array()) failKey(key, "must be an array of PEM file paths");
  std::vector<std::filesystem::path> paths;
  for (const auto& item : v) paths.push_back(filePath(item, key));
  return paths;
}

}  // namespace

DicomTlsConfig dicomTlsConfigFromJson(const json& j, const std::string& section, DicomTlsConfig c) {
  if (!j.is_object()) failKey(section, "must be an object");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "port") c.port = listenPortValue(v, key);
    else if (name == "certificate") c.certificate = filePath(v, key);
    else if (name == "privateKey") c.privateKey = filePath(v, key);
    else if (name == "trustedCertificates") c.trustedCas = getPaths(v, key);
    else if (name == "profile") c.profile = parseTlsProfile(stringValue(v, key), key);
    else if (name == "verifyClient") c.verifyClient = parseClientVerification(stringValue(v, key), key);
    else failKey(key, "unknown key (see docs/configuration.md)");
  }
  return c;
}

TlsProfile parseTlsProfile(const std::string& text, const std::string& key) {
  if (text == "bcp195-nd") return TlsProfile::Bcp195NonDowngrading;
  if (text == "bcp195") return TlsProfile::Bcp195;
  if (text == "bcp195-ex") return TlsProfile::Bcp195Extended;
  failKey(key, "must be bcp195-nd, bcp195 or bcp195-ex, got '" + text + "'");
}

ClientVerification parseClientVerification(const std::string& text, const std::string& key) {
  if (text == "require") return ClientVerification::Require;
  if (text == "if-presented") return ClientVerification::IfPresented;
  if (text == "ignore") return ClientVerification::Ignore;
  failKey(key, "must be require, if-presented or ignore, got '" + text + "'");
}

void validate(const DicomTlsConfig& c, const std::string& section) {
  if (!c.enabled()) return;
  if (c.certificate.empty()) failKey(section + ".certificate", "a TLS port needs a certificate (--tls-cert)");
  if (c.privateKey.empty()) failKey(section + ".privateKey", "a TLS port needs a private key (--tls-key)");
  if (c.trustedCas.empty() && c.clientVerification() != ClientVerification::Ignore) {
    failKey(section + ".verifyClient",
         toString(c.clientVerification()) + " needs trustedCertificates (--tls-ca) to verify clients against");
  }
}

}  // namespace medvqa::config

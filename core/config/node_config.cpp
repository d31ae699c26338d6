#include "config/node_config.h"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "config/config_value.h"

namespace medvqa::config {
namespace {

using nlohmann::json;

void checkAet(const std::string& aet, const std::string& key) {
  if (aet.empty() || aet.size() > 16) failKey(key, "an AE title has 1 to 16 characters, got '" + aet + "'");
  for (const char c : aet) {
    if (c < 0x20 || c > 0x7e || c == '\\') failKey(key, "AE title '" + aet + "' has a forbidden character");
  }
}

std::map<std::string, net::DicomPeer> getDestinations(const json& v, const std::string& key) {
  if (!v.is_object()) failKey(key, "must be an object {\"AET\": {\"host\": ..., \"port\": ...}}");
  std::map<std::string, net::DicomPeer> peers;
  for (const auto& [aet, peerJson] : v.items()) {
    const std::string peerKey = key + "." + aet;
    if (!peerJson.is_object() || !peerJson.contains("host") || !peerJson.contains("port")) {
      failKey(peerKey, "must be {\"host\": \"...\", \"port\": N}");
    }
    net::DicomPeer peer{aet, stringValue(peerJson["host"], peerKey + ".host"), portValue(peerJson["port"], peerKey + ".port")};
    checkAet(aet, peerKey);
    peers[aet] = peer;
  }
  return peers;
}

DuplicatePolicy getDuplicatePolicy(const json& v, const std::string& key) {
  const std::string s = stringValue(v, key);
  if (s == "overwrite") return DuplicatePolicy::Overwrite;
  if (s == "keep") return DuplicatePolicy::KeepExisting;
  failKey(key, "must be \"overwrite\" or \"keep\", got '" + s + "'");
}

}  // namespace

NodeConfig nodeConfigFromJson(const json& j, NodeConfig c) {
  if (!j.is_object()) throw Error(ErrorCode::Config, "config must be a JSON object");
  constexpr auto u32 = std::numeric_limits<std::uint32_t>::max();
  for (const auto& [key, v] : j.items()) {
    if (key == "aet") c.aet = stringValue(v, key);
    else if (key == "port") c.port = listenPortValue(v, key);
    else if (key == "storage") c.storage = stringValue(v, key);
    else if (key == "httpPort") c.httpPort = listenPortValue(v, key);
    else if (key == "httpHost") c.httpHost = stringValue(v, key);
    else if (key == "http") c.http = httpSecurityConfigFromJson(v, key, std::move(c.http));
    else if (key == "tls") c.tls = dicomTlsConfigFromJson(v, key, std::move(c.tls));
    else if (key == "acceptedCallingAets") {
      if (!v.is_array()) failKey(key, "must be an array of AE titles");
      c.acceptedCallingAets.clear();
      for (const auto& aet : v) c.acceptedCallingAets.push_back(stringValue(aet, key));
    } else if (key == "checkCalledAet") c.checkCalledAet = boolValue(v, key);
    else if (key == "destinations") c.destinations = getDestinations(v, key);
    else if (key == "duplicatePolicy") c.duplicatePolicy = getDuplicatePolicy(v, key);
    else if (key == "maxDatasetBytes") c.maxDatasetBytes = unsignedValue(v, key, std::numeric_limits<std::uint64_t>::max());
    else if (key == "maxPduBytes") c.maxPduBytes = static_cast<std::uint32_t>(unsignedValue(v, key, u32));
    else if (key == "maxAssociations") c.maxAssociations = static_cast<unsigned>(unsignedValue(v, key, 1000));
    else if (key == "acseTimeoutSeconds") c.acseTimeoutSeconds = static_cast<unsigned>(unsignedValue(v, key, 3600));
    else if (key == "dimseTimeoutSeconds") c.dimseTimeoutSeconds = static_cast<unsigned>(unsignedValue(v, key, 3600));
    else if (key == "stableAgeSeconds") c.stableAgeSeconds = static_cast<unsigned>(unsignedValue(v, key, 86400));
    else if (key == "logLevel") c.logLevel = stringValue(v, key);
    else if (key == "answering") c.answering = answeringConfigFromJson(v, key, std::move(c.answering));
    else if (key == "audit") c.audit = auditConfigFromJson(v, key, std::move(c.audit));
    else failKey(key, "unknown key (see docs/configuration.md)");
  }
  return c;
}

NodeConfig loadNodeConfig(const std::filesystem::path& file, NodeConfig base) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorCode::Config, "cannot read config file " + file.string());
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error(ErrorCode::Config, "config file " + file.string() + " is not valid JSON: " + e.what());
  }
  return nodeConfigFromJson(j, std::move(base));
}

net::DicomPeer parsePeer(const std::string& text) {
  const auto at = text.find('@');
  const auto colon = text.rfind(':');
  if (at == std::string::npos || colon == std::string::npos || colon < at) {
    throw Error(ErrorCode::Config, "peer must be AET@HOST:PORT, got '" + text + "'");
  }
  net::DicomPeer peer{text.substr(0, at), text.substr(at + 1, colon - at - 1), 0};
  checkAet(peer.aet, text);
  try {
    peer.port = portValue(json::parse(text.substr(colon + 1)), text, true);
  } catch (const json::exception&) {
    failKey(text, "port is not a number");
  }
  if (peer.host.empty() || peer.port == 0) failKey(text, "peer must be AET@HOST:PORT");
  return peer;
}

void validate(const NodeConfig& c) {
  checkAet(c.aet, "aet");
  for (const auto& aet : c.acceptedCallingAets) checkAet(aet, "acceptedCallingAets");
  if (!c.port && !c.tls.enabled()) {
    failKey("port", "\"off\" turns the plain DICOM listener off only when tls.port (--tls-port) is set");
  }
  // 0 is no clash: the OS picks a different free port for each listener.
  if (c.tls.enabled() && c.port && *c.tls.port != 0 && c.tls.port == c.port) {
    failKey("tls.port", "must differ from port");
  }
  if (c.storage.empty()) failKey("storage", "must name a folder");
  if (c.maxPduBytes < 4096 || c.maxPduBytes > 131072) failKey("maxPduBytes", "must be 4096-131072");
  if (c.maxAssociations == 0) failKey("maxAssociations", "must be at least 1");
  if (c.maxDatasetBytes == 0) failKey("maxDatasetBytes", "must be at least 1");
  validate(c.http, "http");
  validate(c.audit, "audit");
  validate(c.tls, "tls");
  for (const auto& aet : c.answering.forward) {
    if (!c.destinations.count(aet)) failKey("answering.forward", "'" + aet + "' is not in destinations");
  }
  static const std::set<std::string> levels{"debug", "info", "warn", "error"};
  if (!levels.count(c.logLevel)) failKey("logLevel", "must be debug|info|warn|error");
}

}  // namespace medvqa::config

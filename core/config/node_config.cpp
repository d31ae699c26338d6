#include "config/node_config.h"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"

namespace medvqa::config {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw Error(ErrorCode::Config, "config key '" + key + "': " + why);
}

std::string getString(const json& v, const std::string& key) {
  if (!v.is_string()) fail(key, "must be a string");
  return v.get<std::string>();
}

bool getBool(const json& v, const std::string& key) {
  if (!v.is_boolean()) fail(key, "must be true or false");
  return v.get<bool>();
}

std::uint64_t getUnsigned(const json& v, const std::string& key, std::uint64_t max) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0) fail(key, "must be a non-negative integer");
  const auto value = v.get<std::uint64_t>();
  if (value > max) fail(key, "must be at most " + std::to_string(max));
  return value;
}

std::uint16_t getPort(const json& v, const std::string& key) {
  return static_cast<std::uint16_t>(getUnsigned(v, key, 65535));
}

void checkAet(const std::string& aet, const std::string& key) {
  if (aet.empty() || aet.size() > 16) fail(key, "an AE title has 1 to 16 characters, got '" + aet + "'");
  for (const char c : aet) {
    if (c < 0x20 || c > 0x7e || c == '\\') fail(key, "AE title '" + aet + "' has a forbidden character");
  }
}

std::map<std::string, DicomPeer> getDestinations(const json& v, const std::string& key) {
  if (!v.is_object()) fail(key, "must be an object {\"AET\": {\"host\": ..., \"port\": ...}}");
  std::map<std::string, DicomPeer> peers;
  for (const auto& [aet, peerJson] : v.items()) {
    const std::string peerKey = key + "." + aet;
    if (!peerJson.is_object() || !peerJson.contains("host") || !peerJson.contains("port")) {
      fail(peerKey, "must be {\"host\": \"...\", \"port\": N}");
    }
    DicomPeer peer{aet, getString(peerJson["host"], peerKey + ".host"), getPort(peerJson["port"], peerKey + ".port")};
    checkAet(aet, peerKey);
    peers[aet] = peer;
  }
  return peers;
}

DuplicatePolicy getDuplicatePolicy(const json& v, const std::string& key) {
  const std::string s = getString(v, key);
  if (s == "overwrite") return DuplicatePolicy::Overwrite;
  if (s == "keep") return DuplicatePolicy::KeepExisting;
  fail(key, "must be \"overwrite\" or \"keep\", got '" + s + "'");
}

}  // namespace

NodeConfig nodeConfigFromJson(const json& j, NodeConfig c) {
  if (!j.is_object()) throw Error(ErrorCode::Config, "config must be a JSON object");
  constexpr auto u32 = std::numeric_limits<std::uint32_t>::max();
  for (const auto& [key, v] : j.items()) {
    if (key == "aet") c.aet = getString(v, key);
    else if (key == "port") c.port = getPort(v, key);
    else if (key == "storage") c.storage = getString(v, key);
    else if (key == "httpPort") c.httpPort = getPort(v, key);
    else if (key == "httpHost") c.httpHost = getString(v, key);
    else if (key == "http") c.http = httpSecurityConfigFromJson(v, key, std::move(c.http));
    else if (key == "acceptedCallingAets") {
      if (!v.is_array()) fail(key, "must be an array of AE titles");
      c.acceptedCallingAets.clear();
      for (const auto& aet : v) c.acceptedCallingAets.push_back(getString(aet, key));
    } else if (key == "checkCalledAet") c.checkCalledAet = getBool(v, key);
    else if (key == "destinations") c.destinations = getDestinations(v, key);
    else if (key == "duplicatePolicy") c.duplicatePolicy = getDuplicatePolicy(v, key);
    else if (key == "maxDatasetBytes") c.maxDatasetBytes = getUnsigned(v, key, std::numeric_limits<std::uint64_t>::max());
    else if (key == "maxPduBytes") c.maxPduBytes = static_cast<std::uint32_t>(getUnsigned(v, key, u32));
    else if (key == "maxAssociations") c.maxAssociations = static_cast<unsigned>(getUnsigned(v, key, 1000));
    else if (key == "acseTimeoutSeconds") c.acseTimeoutSeconds = static_cast<unsigned>(getUnsigned(v, key, 3600));
    else if (key == "dimseTimeoutSeconds") c.dimseTimeoutSeconds = static_cast<unsigned>(getUnsigned(v, key, 3600));
    else if (key == "stableAgeSeconds") c.stableAgeSeconds = static_cast<unsigned>(getUnsigned(v, key, 86400));
    else if (key == "logLevel") c.logLevel = getString(v, key);
    else if (key == "answering") c.answering = answeringConfigFromJson(v, key, std::move(c.answering));
    else fail(key, "unknown key (see docs/configuration.md)");
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

DicomPeer parsePeer(const std::string& text) {
  const auto at = text.find('@');
  const auto colon = text.rfind(':');
  if (at == std::string::npos || colon == std::string::npos || colon < at) {
    throw Error(ErrorCode::Config, "peer must be AET@HOST:PORT, got '" + text + "'");
  }
  DicomPeer peer{text.substr(0, at), text.substr(at + 1, colon - at - 1), 0};
  checkAet(peer.aet, text);
  try {
    peer.port = getPort(json::parse(text.substr(colon + 1)), text);
  } catch (const json::exception&) {
    fail(text, "port is not a number");
  }
  if (peer.host.empty() || peer.port == 0) fail(text, "peer must be AET@HOST:PORT");
  return peer;
}

void validate(const NodeConfig& c) {
  checkAet(c.aet, "aet");
  for (const auto& aet : c.acceptedCallingAets) checkAet(aet, "acceptedCallingAets");
  if (c.port == 0) fail("port", "must be 1-65535");
  if (c.storage.empty()) fail("storage", "must name a folder");
  if (c.maxPduBytes < 4096 || c.maxPduBytes > 131072) fail("maxPduBytes", "must be 4096-131072");
  if (c.maxAssociations == 0) fail("maxAssociations", "must be at least 1");
  if (c.maxDatasetBytes == 0) fail("maxDatasetBytes", "must be at least 1");
  validate(c.http, "http");
  for (const auto& aet : c.answering.forward) {
    if (!c.destinations.count(aet)) fail("answering.forward", "'" + aet + "' is not in destinations");
  }
  static const std::set<std::string> levels{"debug", "info", "warn", "error"};
  if (!levels.count(c.logLevel)) fail("logLevel", "must be debug|info|warn|error");
}

}  // namespace medvqa::config

#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/answering_config.h"
#include "config/audit_config.h"
#include "config/http_security_config.h"
#include "config/tls_config.h"
#include "index/duplicate_policy.h"
#include "net/dicom_peer.h"

namespace medvqa::config {

// Everything medvqa-scp reads at start, typed. Defaults are the embedded configuration: sqlite
// + a folder, no server needed. Keys and meaning: docs/configuration.md.
struct NodeConfig {
  std::string aet = "MEDVQA";
  // Listener ports: 0 = one the OS picks (the node reports it: ready line, --ports-file);
  // nullopt ("off") = no such listener.
  std::optional<std::uint16_t> port = 11112;  // off only with tls.port

  std::filesystem::path storage = "./medvqa-data";
  std::optional<std::uint16_t> httpPort = 8080;
  std::string httpHost = "127.0.0.1";
  HttpSecurityConfig http;  // the "http" section: bearer tokens, HTTPS
  net::DicomTlsConfig tls;     // the "tls" section: DICOM over TLS on its own port

  std::vector<std::string> acceptedCallingAets;  // empty = accept every calling AE
  bool checkCalledAet = false;                     // refuse associations not addressed to `aet`
  std::map<std::string, net::DicomPeer> destinations;   // C-MOVE destinations by AE title

  DuplicatePolicy duplicatePolicy = DuplicatePolicy::Overwrite;
  std::uint64_t maxDatasetBytes = 2ULL << 30;  // a C-STORE data set larger than this is refused
  std::uint32_t maxPduBytes = 116794;          // what the node offers to receive
  unsigned maxAssociations = 32;               // further associations are rejected (A-ASSOCIATE-RJ)
  unsigned acseTimeoutSeconds = 30;
  unsigned dimseTimeoutSeconds = 60;

  unsigned stableAgeSeconds = 10;  // quiet period after which a study is "stable"
  std::string logLevel = "info";

  pipeline::AnsweringConfig answering;  // the "answering" section: model, rules, workers, forwarding
  audit::AuditConfig audit;       // the "audit" section: audit file, syslog collector
};

// Reads a JSON config; unknown keys and wrong types fail with the key's name (Error(Config)).
NodeConfig nodeConfigFromJson(const nlohmann::json& json, NodeConfig base = {});
NodeConfig loadNodeConfig(const std::filesystem::path& file, NodeConfig base = {});

// "AET@HOST:PORT" as given on a command line.
net::DicomPeer parsePeer(const std::string& text);

// Throws Error(Config) for values no node can run with (empty AE title, no DICOM port...).
void validate(const NodeConfig& config);

}  // namespace medvqa::config

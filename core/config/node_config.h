#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/answering_config.h"
#include "config/audit_config.h"
#include "config/http_security_config.h"
#include "config/tls_config.h"

namespace medvqa::config {

// A DICOM peer the node may send to (C-MOVE destination), by AE title.
struct DicomPeer {
  std::string aet;
  std::string host;
  std::uint16_t port = 0;
};

enum class DuplicatePolicy { Overwrite, KeepExisting };

// Everything medvqa-scp reads at start, typed. Defaults are the embedded configuration: sqlite
// + a folder, no server needed. Keys and meaning: docs/configuration.md.
struct NodeConfig {
  std::string aet = "MEDVQA";
  std::uint16_t port = 11112;  // 0 = no plain DICOM listener (only with tls.port)
  std::filesystem::path storage = "./medvqa-data";
  std::uint16_t httpPort = 8080;  // 0 = no HTTP API
  std::string httpHost = "127.0.0.1";
  HttpSecurityConfig http;  // the "http" section: bearer tokens, HTTPS
  DicomTlsConfig tls;       // the "tls" section: DICOM over TLS on its own port

  std::vector<std::string> acceptedCallingAets;  // empty = accept every calling AE
  bool checkCalledAet = false;                     // refuse associations not addressed to `aet`
  std::map<std::string, DicomPeer> destinations;   // C-MOVE destinations by AE title

  DuplicatePolicy duplicatePolicy = DuplicatePolicy::Overwrite;
  std::uint64_t maxDatasetBytes = 2ULL << 30;  // a C-STORE data set larger than this is refused
  std::uint32_t maxPduBytes = 116794;          // what the node offers to receive
  unsigned maxAssociations = 32;               // further associations are rejected (A-ASSOCIATE-RJ)
  unsigned acseTimeoutSeconds = 30;
  unsigned dimseTimeoutSeconds = 60;

  unsigned stableAgeSeconds = 10;  // quiet period after which a study is "stable"
  std::string logLevel = "info";

  AnsweringConfig answering;  // the "answering" section: model, rules, workers, forwarding
  AuditConfig audit;          // the "audit" section: audit file, syslog collector
};

// Reads a JSON config; unknown keys and wrong types fail with the key's name (Error(Config)).
NodeConfig nodeConfigFromJson(const nlohmann::json& json, NodeConfig base = {});
NodeConfig loadNodeConfig(const std::filesystem::path& file, NodeConfig base = {});

// "AET@HOST:PORT" as given on a command line.
DicomPeer parsePeer(const std::string& text);

// Throws Error(Config) for values no node can run with (empty AE title, no DICOM port...).
void validate(const NodeConfig& config);

}  // namespace medvqa::config

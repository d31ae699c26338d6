#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "pipeline/retry_policy.h"
#include "pipeline/rules.h"
#include "s3/s3_config.h"

namespace medvqa::config {

// What both front doors read to answer studies: the node's "answering" section and the Orthanc
// plugin's "MedVQA" section have this one schema and this one parser. Keys: docs/configuration.md.
struct AnsweringConfig {
  bool enabled = true;                 // answer stable studies by the rules
  std::filesystem::path model;         // model folder; empty = the bundled models/demo
  std::string device = "auto";         // auto | cpu | cuda[:N]
  unsigned workers = 2;                // studies answered at once
  unsigned maxBatch = 32;              // dynamic batching across studies
  unsigned maxBatchWaitMs = 2;
  std::vector<pipeline::Rule> rules = pipeline::defaultRules();
  std::vector<std::string> forward;    // AE titles (in the node's destinations) every SR goes to
  std::vector<s3::S3Destination> s3;  // buckets every SR (and optionally its study) is uploaded to
  pipeline::RetryPolicy jobRetry{.maxAttempts = 3, .initialBackoff = std::chrono::seconds(5)};
  // Deliveries never give up by default (store-and-forward): a PACS down for a day gets its SRs.
  pipeline::RetryPolicy deliveryRetry{.maxAttempts = 0, .initialBackoff = std::chrono::seconds(2),
                                      .maxBackoff = std::chrono::minutes(5)};
  std::chrono::seconds jobLease{300};  // a worker that dies frees its job after this
  std::string deviceObserverName = "medvqa";
};

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
AnsweringConfig answeringConfigFromJson(const nlohmann::json& json, const std::string& section,
                                        AnsweringConfig base = {});

// The model folder to use: the configured one, else models/demo next to the executable's
// install (../../models/demo from build/bin) or under the working directory.
std::filesystem::path resolveModelFolder(const std::filesystem::path& configured);

}  // namespace medvqa::config

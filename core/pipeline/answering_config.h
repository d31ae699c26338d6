#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/retry_policy.h"
#include "pipeline/rules.h"
#include "s3/s3_config.h"

namespace medvqa::pipeline {

// What both front doors answer studies with: the model and engine settings, the rules, the
// pipeline's workers and where every SR goes. The node's "answering" section and the Orthanc
// plugin's "MedVQA" section have this one schema, read by config::answeringConfigFromJson.
// Keys: docs/configuration.md.
struct AnsweringConfig {
  bool enabled = true;                 // answer stable studies by the rules
  std::filesystem::path model;         // model folder; empty = the bundled models/demo
  std::string device = "auto";         // auto | cpu | cuda[:N]
  unsigned workers = 2;                // studies answered at once
  unsigned maxBatch = 32;              // dynamic batching across studies
  unsigned maxBatchWaitMs = 2;
  std::vector<Rule> rules = defaultRules();
  std::vector<std::string> forward;    // AE titles (in the node's destinations) every SR goes to
  std::vector<s3::S3Destination> s3;  // buckets every SR (and optionally its study) is uploaded to
  RetryPolicy jobRetry{.maxAttempts = 3, .initialBackoff = std::chrono::seconds(5)};
  // Deliveries never give up by default (store-and-forward): a PACS down for a day gets its SRs.
  RetryPolicy deliveryRetry{.maxAttempts = 0, .initialBackoff = std::chrono::seconds(2),
                            .maxBackoff = std::chrono::minutes(5)};
  std::chrono::seconds jobLease{300};  // a worker that dies frees its job after this
  std::string deviceObserverName = "medvqa";
};

}  // namespace medvqa::pipeline

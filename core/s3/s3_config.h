#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "s3/endpoint.h"
#include "s3/sigv4.h"

namespace medvqa::s3 {

// One bucket every SR goes to (and, with uploadSourceStudy, every instance of the study it
// answers), through the delivery outbox. Keys: docs/configuration.md, "answering.s3", read by
// config::s3DestinationsFromJson.
struct S3Destination {
  std::string name;              // the outbox destination is "s3:<name>"; default: the bucket
  Endpoint endpoint;
  std::string bucket;
  std::string region = "us-east-1";
  std::string prefix;            // put before "<study>/<series>/<sop>.dcm"
  Credentials credentials;       // the secret comes from a file or an environment variable only
  bool uploadSourceStudy = false;
  std::filesystem::path caFile;  // trusted CAs for an https endpoint; empty: the system's
  unsigned timeoutSeconds = 30;  // connect, read and write timeout of each request

  std::string outboxDestination() const { return "s3:" + name; }
};

}  // namespace medvqa::s3

#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "node_under_test.h"
#include "process.h"
#include "s3/s3_client.h"

namespace medvqa::test {

// npm's s3rver (installed into build/s3rver by the s3rver_install test, fixture "s3rver") on a
// loopback port, with one bucket, its data in a temporary folder; with a certificate and key, over
// HTTPS. It refuses an unknown access key id but does not verify SigV4 signatures.
class S3rver {
 public:
  S3rver(std::uint16_t port, std::string bucket);
  // Returns once the port accepts connections; throws std::runtime_error, with s3rver's log, when
  // it is not installed or does not come up.
  void start(const std::filesystem::path& tlsCert = {}, const std::filesystem::path& tlsKey = {});
  std::string endpoint() const;

 private:
  std::uint16_t port_;
  std::string bucket_;
  TempDir dir_;
  bool https_ = false;
  std::unique_ptr<Process> process_;
};

// A client that reads back what was uploaded, as any S3 user would: signed GET requests, the
// secret read from `secretFile`.
s3::S3Client s3Reader(const std::string& endpoint, const std::string& bucket, const std::string& accessKeyId,
                      const std::filesystem::path& secretFile);

}  // namespace medvqa::test

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
// loopback port the test holds from construction (LoopbackSocket, handed to s3rver as a listening
// socket by tests/support/s3rver_on_socket.js): endpoint() is known before start(), and until
// then connections are refused (a bucket that is down). One bucket, its data in a temporary
// folder; with a certificate and key, over HTTPS. It refuses an unknown access key id but does
// not verify SigV4 signatures.
class S3rver {
 public:
  explicit S3rver(std::string bucket);
  // Returns once s3rver serves; throws std::runtime_error, with s3rver's log, when it is not
  // installed or does not come up.
  void start(const std::filesystem::path& tlsCert = {}, const std::filesystem::path& tlsKey = {});
  // http://127.0.0.1:PORT (https:// once started with a certificate).
  std::string endpoint() const;

 private:
  std::string bucket_;
  TempDir dir_;
  LoopbackSocket socket_;
  bool https_ = false;
  std::unique_ptr<Process> process_;
};

// A client that reads back what was uploaded, as any S3 user would: signed GET requests, the
// secret read from `secretFile`.
s3::S3Client s3Reader(const std::string& endpoint, const std::string& bucket, const std::string& accessKeyId,
                      const std::filesystem::path& secretFile);

}  // namespace medvqa::test

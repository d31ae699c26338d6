#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "s3/s3_config.h"

namespace httplib {
class Client;
class Result;
}

namespace medvqa::s3 {

// PUT and GET Object on one bucket of an S3-compatible service, path-style, every request signed
// with SigV4 over the payload's SHA-256 (never UNSIGNED-PAYLOAD). HTTPS verifies the server's
// certificate and name, against caFile when configured. One client per thread (the HTTP
// connection is kept alive between requests and is not shared).
//
// Errors name the bucket and key: Error(Network) when the endpoint cannot be reached, times out
// or answers 5xx (worth retrying as is); Error(Config) when it refuses the request (4xx: wrong
// credentials, no such bucket), with S3's own error code and message; Error(NotFound) for a GET
// of a key that does not exist; Error(Io) when the file cannot be read.
class S3Client {
 public:
  explicit S3Client(S3Destination destination);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  void putObject(const std::string& key, const std::filesystem::path& file, const std::string& contentType);
  // The same from memory: for bytes that are not a file here (Orthanc's storage, read through its API).
  void putBytes(const std::string& key, std::string_view bytes, const std::string& contentType);
  std::string getObject(const std::string& key);

  const S3Destination& destination() const { return destination_; }

 private:
  std::string objectPath(const std::string& key) const;
  std::string where(const std::string& method, const std::string& key) const;
  // Throws for a PUT that got no answer or a refusal.
  void checkPut(const std::string& key, const httplib::Result& result) const;

  S3Destination destination_;
  std::unique_ptr<httplib::Client> http_;
};

}  // namespace medvqa::s3

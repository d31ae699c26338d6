#pragma once

#include <cstdint>
#include <string>

namespace medvqa::s3 {

// Where an S3-compatible service listens: http(s)://host[:port], no path (buckets are addressed
// path-style under it: MinIO, s3rver and Ceph accept that without DNS names per bucket).
struct Endpoint {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;

  std::string url() const;         // "https://host:port"
  std::string hostHeader() const;  // "host" on the scheme's default port, else "host:port"
};

// Error(InvalidArgument) naming what is wrong with `url`.
Endpoint parseEndpoint(const std::string& url);

}  // namespace medvqa::s3

#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medvqa::s3 {

// AWS Signature Version 4 for an Authorization header
// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
// Hand-written because Debian 12 packages no S3 client library for C++; checked against AWS's
// published test suite and S3 examples (tests/unit/test_s3_sigv4.cpp).

struct Credentials {
  std::string accessKeyId;
  std::string secretAccessKey;
};

struct SigningScope {
  std::string region;   // e.g. us-east-1 (MinIO and s3rver accept any; AWS checks it)
  std::string service;  // "s3" for S3
};

using NameValues = std::vector<std::pair<std::string, std::string>>;

// A request as it goes on the wire, before its Authorization header is added.
struct RequestToSign {
  std::string method;
  std::string canonicalUri;   // the request path exactly as sent, already URI-encoded (uriEncode)
  NameValues query;           // decoded names and values, any order
  NameValues headers;         // every header to sign, as sent; must hold Host and X-Amz-Date
  std::string payloadSha256;  // hex SHA-256 of the body: the payload is always signed
};

struct SignedRequest {
  std::string canonicalRequest;
  std::string stringToSign;
  std::string signedHeaders;  // "host;x-amz-content-sha256;x-amz-date"
  std::string signature;      // hex
  std::string authorization;  // the Authorization header's value
};

// Signs `request` at `amzDate` (YYYYMMDD'T'HHMMSS'Z', the value of its X-Amz-Date header).
// Error(InvalidArgument) when Host or a matching X-Amz-Date header is missing.
SignedRequest signV4(const RequestToSign& request, const Credentials& credentials, const SigningScope& scope,
                     const std::string& amzDate);

// SigV4's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ as %XY (upper-case hex); '/' too
// unless keepSlash (object key paths keep their slashes).
std::string uriEncode(std::string_view text, bool keepSlash);

// The X-Amz-Date form of a time: 20150830T123600Z (UTC).
std::string amzDate(std::chrono::system_clock::time_point when);

}  // namespace medvqa::s3

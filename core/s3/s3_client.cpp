#include "s3/s3_client.h"

#include <httplib.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <vector>

#include "common/error.h"
#include "s3/digest.h"
#include "s3/s3_error.h"
#include "s3/sigv4.h"

namespace medvqa::s3 {
namespace {

// The headers a request is sent with, Authorization included; the same values are signed, so
// what the server canonicalises is what was signed.
httplib::Headers signedHeaders(const S3Destination& d, const std::string& method, const std::string& path,
                               const std::string& payloadSha256) {
  const std::string date = amzDate(std::chrono::system_clock::now());
  RequestToSign request{method, path, {},
                        {{"Host", d.endpoint.hostHeader()}, {"X-Amz-Content-Sha256", payloadSha256}, {"X-Amz-Date", date}},
                        payloadSha256};
  const SignedRequest signedRequest = signV4(request, d.credentials, {d.region, "s3"}, date);
  httplib::Headers headers(request.headers.begin(), request.headers.end());
  headers.emplace("Authorization", signedRequest.authorization);
  return headers;
}

// Why no HTTP answer came, in words an operator can act on (httplib's names are terse).
std::string transportError(const httplib::Result& result, const httplib::Client& http) {
  switch (result.error()) {
    case httplib::Error::Connection: return "cannot connect";
    case httplib::Error::ConnectionTimeout: return "connection timed out";
    case httplib::Error::Read: return "no answer (connection closed or read timed out)";
    case httplib::Error::Write: return "sending the request failed";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "cannot load the trusted CA certificates";
    case httplib::Error::SSLServerVerification:
      return std::string("server certificate refused: ") +
             X509_verify_cert_error_string(http.get_openssl_verify_result());
    default: return "HTTP client error " + httplib::to_string(result.error());
  }
}

// Streams `file` to httplib in chunks, so a large instance is never held in memory whole.
httplib::ContentProvider fileReader(std::shared_ptr<std::ifstream> in) {
  return [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
    std::vector<char> buffer(std::min<std::size_t>(length, 1 << 16));
    in->clear();
    in->seekg(static_cast<std::streamoff>(offset));
    in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in->gcount());
    return got > 0 && sink.write(buffer.data(), got);
  };
}

// A refusal worth retrying as it is (the service is unwell or busy) is a Network error; anything
// else the service refused (credentials, bucket, request) needs someone to change the config.
ErrorCode refusalCode(int status) {
  return status >= 500 || status == 408 || status == 429 ? ErrorCode::Network : ErrorCode::Config;
}

}  // namespace

S3Client::S3Client(S3Destination destination) : destination_(std::move(destination)) {
  http_ = std::make_unique<httplib::Client>(destination_.endpoint.url());
  const auto timeout = static_cast<time_t>(destination_.timeoutSeconds);
  http_->set_connection_timeout(timeout, 0);
  http_->set_read_timeout(timeout, 0);
  http_->set_write_timeout(timeout, 0);
  http_->set_keep_alive(true);
  // The path is already encoded exactly as signed; httplib must not encode it again.
  http_->set_url_encode(false);
  if (destination_.endpoint.https) {
    http_->enable_server_certificate_verification(true);
    if (!destination_.caFile.empty()) http_->set_ca_cert_path(destination_.caFile.string());
  }
}

S3Client::~S3Client() = default;

std::string S3Client::objectPath(const std::string& key) const {
  return "/" + destination_.bucket + "/" + uriEncode(key, true);
}

std::string S3Client::where(const std::string& method, const std::string& key) const {
  return "S3 " + method + " " + destination_.endpoint.url() + "/" + destination_.bucket + "/" + key;
}

void S3Client::putObject(const std::string& key, const std::filesystem::path& file, const std::string& contentType) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot upload " + file.string() + ": " + ec.message());
  const std::string payloadSha256 = sha256FileHex(file);
  auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
  if (!*in) throw Error(ErrorCode::Io, "cannot read " + file.string());
  const std::string path = objectPath(key);
  checkPut(key, http_->Put(path, signedHeaders(destination_, "PUT", path, payloadSha256), size, fileReader(in), contentType));
}

void S3Client::putBytes(const std::string& key, std::string_view bytes, const std::string& contentType) {
  const std::string path = objectPath(key);
  checkPut(key, http_->Put(path, signedHeaders(destination_, "PUT", path, sha256Hex(bytes)), bytes.data(), bytes.size(),
                           contentType));
}

void S3Client::checkPut(const std::string& key, const httplib::Result& result) const {
  if (!result) throw Error(ErrorCode::Network, where("PUT", key) + " failed: " + transportError(result, *http_));
  if (result->status / 100 == 2) return;
  throw Error(refusalCode(result->status),
              where("PUT", key) + " refused: " + describe(result->status, parseServiceError(result->body)));
}

std::string S3Client::getObject(const std::string& key) {
  const std::string path = objectPath(key);
  const auto result = http_->Get(path, signedHeaders(destination_, "GET", path, sha256Hex("")));
  if (!result) throw Error(ErrorCode::Network, where("GET", key) + " failed: " + transportError(result, *http_));
  if (result->status == 200) return result->body;
  const std::string why = where("GET", key) + " refused: " + describe(result->status, parseServiceError(result->body));
  if (result->status == 404) throw Error(ErrorCode::NotFound, why);
  throw Error(refusalCode(result->status), why);
}

}  // namespace medvqa::s3

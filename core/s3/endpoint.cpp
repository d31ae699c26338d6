#include "s3/endpoint.h"

#include "common/error.h"

namespace medvqa::s3 {
namespace {

[[noreturn]] void bad(const std::string& url, const std::string& why) {
  throw Error(ErrorCode::InvalidArgument, "'" + url + "' is not an S3 endpoint URL (" + why + ")");
}

std::uint16_t parsePort(const std::string& url, const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) {
    bad(url, "the port must be a number");
  }
  const unsigned long port = std::stoul(text);
  if (port == 0 || port > 65535) bad(url, "the port must be 1-65535");
  return static_cast<std::uint16_t>(port);
}

}  // namespace

std::string Endpoint::url() const {
  return std::string(https ? "https://" : "http://") + host + ":" + std::to_string(port);
}

std::string Endpoint::hostHeader() const {
  const bool defaultPort = port == (https ? 443 : 80);
  return defaultPort ? host : host + ":" + std::to_string(port);
}

Endpoint parseEndpoint(const std::string& url) {
  Endpoint e;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    e.https = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    bad(url, "it must start with http:// or https://");
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("/?#@") != std::string::npos) bad(url, "no path, query or user part: the bucket is a separate key");
  // IPv6 literals ([::1]:9000) keep their brackets in the host, as the Host header wants them.
  const auto colon = rest.rfind(':');
  const bool hasPort = colon != std::string::npos && rest.find(']', colon) == std::string::npos;
  e.host = hasPort ? rest.substr(0, colon) : rest;
  e.port = hasPort ? parsePort(url, rest.substr(colon + 1)) : (e.https ? 443 : 80);
  if (e.host.empty()) bad(url, "no host");
  return e;
}

}  // namespace medvqa::s3

#include "s3/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "common/error.h"
#include "s3/digest.h"

namespace medvqa::s3 {
namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Canonical header values: no leading/trailing blanks, inner runs of spaces as one space.
std::string trimAll(const std::string& value) {
  std::string out;
  for (const char c : value) {
    const bool blank = c == ' ' || c == '\t';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out += blank ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Lower-cased names in order, a repeated header's values joined by commas in the order given.
std::map<std::string, std::string> canonicalHeaderMap(const NameValues& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = out.emplace(lower(name), trimAll(value));
    if (!inserted) it->second += "," + trimAll(value);
  }
  return out;
}

std::string canonicalQuery(const NameValues& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : query) encoded.emplace_back(uriEncode(name, false), uriEncode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

std::string signingKey(const std::string& secret, const std::string& date, const SigningScope& scope) {
  const std::string kDate = hmacSha256("AWS4" + secret, date);
  const std::string kRegion = hmacSha256(kDate, scope.region);
  const std::string kService = hmacSha256(kRegion, scope.service);
  return hmacSha256(kService, "aws4_request");
}

void requireHeaders(const std::map<std::string, std::string>& headers, const std::string& amzDate) {
  if (!headers.count("host")) throw Error(ErrorCode::InvalidArgument, "SigV4: the request has no Host header");
  const auto date = headers.find("x-amz-date");
  if (date == headers.end() || date->second != amzDate) {
    throw Error(ErrorCode::InvalidArgument, "SigV4: the X-Amz-Date header must be " + amzDate);
  }
  if (amzDate.size() != 16 || amzDate[8] != 'T' || amzDate[15] != 'Z') {
    throw Error(ErrorCode::InvalidArgument, "SigV4: '" + amzDate + "' is not a YYYYMMDDTHHMMSSZ date");
  }
}

}  // namespace

std::string uriEncode(std::string_view text, bool keepSlash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    // Explicit ranges, not isalnum(): the unreserved set must not depend on the locale.
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += digits[b >> 4];
      out += digits[b & 0xF];
    }
  }
  return out;
}

std::string amzDate(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

SignedRequest signV4(const RequestToSign& request, const Credentials& credentials, const SigningScope& scope,
                     const std::string& amzDate) {
  const auto headers = canonicalHeaderMap(request.headers);
  requireHeaders(headers, amzDate);
  SignedRequest out;
  std::string canonicalHeaders;
  for (const auto& [name, value] : headers) {
    canonicalHeaders += name + ":" + value + "\n";
    out.signedHeaders += (out.signedHeaders.empty() ? "" : ";") + name;
  }
  out.canonicalRequest = request.method + "\n" + request.canonicalUri + "\n" + canonicalQuery(request.query) + "\n" +
                         canonicalHeaders + "\n" + out.signedHeaders + "\n" + request.payloadSha256;
  const std::string date = amzDate.substr(0, 8);
  const std::string credentialScope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  out.stringToSign =
      std::string(kAlgorithm) + "\n" + amzDate + "\n" + credentialScope + "\n" + sha256Hex(out.canonicalRequest);
  out.signature = toHex(hmacSha256(signingKey(credentials.secretAccessKey, date, scope), out.stringToSign));
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.accessKeyId + "/" + credentialScope +
                      ", SignedHeaders=" + out.signedHeaders + ", Signature=" + out.signature;
  return out;
}

}  // namespace medvqa::s3

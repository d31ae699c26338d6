#include "config/s3_config.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/error.h"
#include "config/config_value.h"
#include "s3/endpoint.h"

namespace medvqa::config {
namespace {

using nlohmann::json;
using s3::S3Destination;

// S3's bucket naming rules (3-63 of a-z 0-9 . -, starting and ending with a letter or digit).
void checkBucket(const std::string& bucket, const std::string& key) {
  const bool charsOk = bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string::npos;
  const auto edgeOk = [](char c) { return c != '.' && c != '-'; };
  if (bucket.size() < 3 || bucket.size() > 63 || !charsOk || !edgeOk(bucket.front()) || !edgeOk(bucket.back())) {
    failKey(key, "'" + bucket + "' is not an S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')");
  }
}

std::string trimmedLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string secretFromFile(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) failKey(key, "cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string secret = trimmedLine(text.str());
  if (secret.empty()) failKey(key, "'" + path + "' is empty");
  return secret;
}

std::string secretFromEnv(const std::string& name, const std::string& key) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value) failKey(key, "the environment variable " + name + " is not set");
  return trimmedLine(value);
}

void setField(S3Destination& d, const std::string& name, const json& v, const std::string& key) {
  if (name == "name") d.name = nonEmptyString(v, key);
  else if (name == "endpoint") {
    try {
      d.endpoint = s3::parseEndpoint(nonEmptyString(v, key));
    } catch (const Error& e) {
      failKey(key, e.what());
    }
  } else if (name == "bucket") {
    d.bucket = nonEmptyString(v, key);
    checkBucket(d.bucket, key);
  } else if (name == "region") d.region = nonEmptyString(v, key);
  else if (name == "prefix") {
    if (!v.is_string()) failKey(key, "must be a string");
    d.prefix = v.get<std::string>();
    if (!d.prefix.empty() && d.prefix.front() == '/') failKey(key, "must not start with '/'");
  } else if (name == "accessKeyId") d.credentials.accessKeyId = nonEmptyString(v, key);
  else if (name == "secretAccessKeyFile" || name == "secretAccessKeyEnv") {
    const std::string value = nonEmptyString(v, key);
    d.credentials.secretAccessKey = name == "secretAccessKeyFile" ? secretFromFile(value, key) : secretFromEnv(value, key);
  } else if (name == "uploadSourceStudy") {
    if (!v.is_boolean()) failKey(key, "must be true or false");
    d.uploadSourceStudy = v.get<bool>();
  } else if (name == "caFile") d.caFile = nonEmptyString(v, key);
  else if (name == "timeoutSeconds") {
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 3600) failKey(key, "must be an integer from 1 to 3600");
    d.timeoutSeconds = v.get<unsigned>();
  } else {
    failKey(key, "unknown key (see docs/configuration.md)");
  }
}

// Exactly one source for the secret, and never the secret itself: config files get copied,
// versioned and printed.
void checkSecretSource(const json& j, const std::string& at) {
  if (j.contains("secretAccessKey")) {
    failKey(at + ".secretAccessKey", "a secret is not accepted in the config file: put it in a file "
                                  "(secretAccessKeyFile) or an environment variable (secretAccessKeyEnv)");
  }
  const bool file = j.contains("secretAccessKeyFile"), env = j.contains("secretAccessKeyEnv");
  if (!file && !env) failKey(at + ".secretAccessKeyFile", "is required (or secretAccessKeyEnv)");
  if (file && env) failKey(at + ".secretAccessKeyEnv", "give secretAccessKeyFile or secretAccessKeyEnv, not both");
}

void checkComplete(const S3Destination& d, const json& j, const std::string& at) {
  for (const char* required : {"endpoint", "bucket", "accessKeyId"}) {
    if (!j.contains(required)) failKey(at + "." + required, "is required");
  }
  if (d.caFile.empty()) return;
  if (!d.endpoint.https) failKey(at + ".caFile", "is only for an https:// endpoint");
  const std::string caFile = d.caFile.string();
  if (!std::filesystem::is_regular_file(caFile)) failKey(at + ".caFile", "'" + caFile + "' is not a file");
}

S3Destination destinationFromJson(const json& j, const std::string& at) {
  if (!j.is_object()) failKey(at, "must be a JSON object");
  checkSecretSource(j, at);
  S3Destination d;
  for (const auto& [name, v] : j.items()) setField(d, name, v, at + "." + name);
  checkComplete(d, j, at);
  if (d.name.empty()) d.name = d.bucket;
  return d;
}

}  // namespace

std::vector<S3Destination> s3DestinationsFromJson(const json& j, const std::string& key) {
  if (!j.is_array()) failKey(key, "must be an array of S3 destinations");
  std::vector<S3Destination> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    out.push_back(destinationFromJson(j[i], at));
    if (!names.insert(out.back().name).second) failKey(at + ".name", "'" + out.back().name + "' is used twice");
  }
  return out;
}

}  // namespace medvqa::config

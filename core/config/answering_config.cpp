#include "config/answering_config.h"

#include <unistd.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::config {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw Error(ErrorCode::Config, "config key '" + key + "': " + why);
}

unsigned getCount(const json& v, const std::string& key, unsigned min, unsigned max) {
  if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > max) {
    fail(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v.get<unsigned>();
}

std::string getString(const json& v, const std::string& key) {
  if (!v.is_string()) fail(key, "must be a string");
  return v.get<std::string>();
}

void checkDevice(const std::string& device, const std::string& key) {
  if (device == "auto" || device == "cpu" || device == "cuda") return;
  if (device.rfind("cuda:", 0) == 0 && device.size() > 5 &&
      device.find_first_not_of("0123456789", 5) == std::string::npos) {
    return;
  }
  fail(key, "must be auto, cpu, cuda or cuda:N, got '" + device + "'");
}

}  // namespace

AnsweringConfig answeringConfigFromJson(const json& j, const std::string& section, AnsweringConfig c) {
  if (!j.is_object()) fail(section, "must be a JSON object");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "enabled") {
      if (!v.is_boolean()) fail(key, "must be true or false");
      c.enabled = v.get<bool>();
    } else if (name == "model") {
      c.model = getString(v, key);
    } else if (name == "device") {
      c.device = getString(v, key);
      checkDevice(c.device, key);
    } else if (name == "workers") {
      c.workers = getCount(v, key, 1, 64);
    } else if (name == "maxBatch") {
      c.maxBatch = getCount(v, key, 1, 1024);
    } else if (name == "maxBatchWaitMs") {
      c.maxBatchWaitMs = getCount(v, key, 0, 1000);
    } else if (name == "rules") {
      c.rules = pipeline::parseRules(v);
    } else if (name == "forward") {
      if (!v.is_array()) fail(key, "must be an array of destination AE titles");
      c.forward.clear();
      for (const auto& aet : v) c.forward.push_back(getString(aet, key));
    } else if (name == "s3") {
      c.s3 = s3::s3DestinationsFromJson(v, key);
    } else if (name == "jobAttempts") {
      c.jobRetry.maxAttempts = static_cast<int>(getCount(v, key, 1, 100));
    } else if (name == "jobLeaseSeconds") {
      c.jobLease = std::chrono::seconds(getCount(v, key, 10, 86400));
    } else if (name == "deviceObserverName") {
      c.deviceObserverName = getString(v, key);
    } else {
      fail(key, "unknown key (see docs/configuration.md)");
    }
  }
  return c;
}

std::filesystem::path resolveModelFolder(const std::filesystem::path& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto besideBuild = exe.parent_path() / ".." / ".." / "models" / "demo";
    if (std::filesystem::exists(besideBuild / "manifest.json")) return std::filesystem::weakly_canonical(besideBuild);
  }
  return std::filesystem::current_path() / "models" / "demo";
}

}  // namespace medvqa::config

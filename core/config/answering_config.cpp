#include "config/answering_config.h"

#include <unistd.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/config_value.h"
#include "config/s3_config.h"

namespace medvqa::config {
namespace {

using nlohmann::json;

void checkDevice(const std::string& device, const std::string& key) {
  if (device == "auto" || device == "cpu" || device == "cuda") return;
  if (device.rfind("cuda:", 0) == 0 && device.size() > 5 &&
      device.find_first_not_of("0123456789", 5) == std::string::npos) {
    return;
  }
  failKey(key, "must be auto, cpu, cuda or cuda:N, got '" + device + "'");
}

}  // namespace

pipeline::AnsweringConfig answeringConfigFromJson(const json& j, const std::string& section, pipeline::AnsweringConfig c) {
  if (!j.is_object()) failKey(section, "must be a JSON object");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "enabled") {
      if (!v.is_boolean()) failKey(key, "must be true or false");
      c.enabled = v.get<bool>();
    } else if (name == "model") {
      c.model = stringValue(v, key);
    } else if (name == "device") {
      c.device = stringValue(v, key);
      checkDevice(c.device, key);
    } else if (name == "workers") {
      c.workers = static_cast<unsigned>(integerIn(v, key, 1, 64));
    } else if (name == "maxBatch") {
      c.maxBatch = static_cast<unsigned>(integerIn(v, key, 1, 1024));
    } else if (name == "maxBatchWaitMs") {
      c.maxBatchWaitMs = static_cast<unsigned>(integerIn(v, key, 0, 1000));
    } else if (name == "rules") {
      c.rules = pipeline::parseRules(v);
    } else if (name == "forward") {
      if (!v.is_array()) failKey(key, "must be an array of destination AE titles");
      c.forward.clear();
      for (const auto& aet : v) c.forward.push_back(stringValue(aet, key));
    } else if (name == "s3") {
      c.s3 = s3DestinationsFromJson(v, key);
    } else if (name == "jobAttempts") {
      c.jobRetry.maxAttempts = static_cast<int>(integerIn(v, key, 1, 100));
    } else if (name == "jobLeaseSeconds") {
      c.jobLease = std::chrono::seconds(static_cast<unsigned>(integerIn(v, key, 10, 86400)));
    } else if (name == "deviceObserverName") {
      c.deviceObserverName = stringValue(v, key);
    } else {
      failKey(key, "unknown key (see docs/configuration.md)");
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

#include "config/config_value.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::config {

void failKey(const std::string& key, const std::string& why) {
  throw Error(ErrorCode::Config, "config key '" + key + "': " + why);
}

std::string stringValue(const nlohmann::json& v, const std::string& key) {
  if (!v.is_string()) failKey(key, "must be a string");
  return v.get<std::string>();
}

std::string nonEmptyString(const nlohmann::json& v, const std::string& key) {
  if (!v.is_string() || v.get<std::string>().empty()) failKey(key, "must be a non-empty string");
  return v.get<std::string>();
}

std::filesystem::path filePath(const nlohmann::json& v, const std::string& key) {
  if (!v.is_string() || v.get<std::string>().empty()) failKey(key, "must be a file path");
  return v.get<std::string>();
}

bool boolValue(const nlohmann::json& v, const std::string& key) {
  if (!v.is_boolean()) failKey(key, "must be true or false");
  return v.get<bool>();
}

std::uint64_t unsignedValue(const nlohmann::json& v, const std::string& key, std::uint64_t max) {
  if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0)) {
    failKey(key, "must be a non-negative integer");
  }
  const auto value = v.get<std::uint64_t>();
  if (value > max) failKey(key, "must be at most " + std::to_string(max));
  return value;
}

std::int64_t integerIn(const nlohmann::json& v, const std::string& key, std::int64_t min, std::int64_t max) {
  const bool inRange = v.is_number_integer() && !(v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX) &&
                       v.get<std::int64_t>() >= min && v.get<std::int64_t>() <= max;
  if (!inRange) failKey(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return v.get<std::int64_t>();
}

std::uint16_t portValue(const nlohmann::json& v, const std::string& key, bool allowZero) {
  return static_cast<std::uint16_t>(integerIn(v, key, allowZero ? 0 : 1, 65535));
}

std::optional<std::uint16_t> listenPortValue(const nlohmann::json& v, const std::string& key) {
  if (v.is_string() && v.get<std::string>() == "off") return std::nullopt;
  if (!v.is_number_integer()) failKey(key, "must be a port 0-65535 (0: one the OS picks) or \"off\"");
  return portValue(v, key, true);
}

}  // namespace medvqa::config

#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

// Typed reads of config values. Every failure is Error(Config) naming the key, as
// "config key 'tls.port': must be an integer from 0 to 65535", so an operator knows what to fix.
namespace medvqa::config {

[[noreturn]] void failKey(const std::string& key, const std::string& why);

std::string stringValue(const nlohmann::json& v, const std::string& key);    // any string
std::string nonEmptyString(const nlohmann::json& v, const std::string& key);
std::filesystem::path filePath(const nlohmann::json& v, const std::string& key);  // non-empty
bool boolValue(const nlohmann::json& v, const std::string& key);
std::uint64_t unsignedValue(const nlohmann::json& v, const std::string& key, std::uint64_t max);
std::int64_t integerIn(const nlohmann::json& v, const std::string& key, std::int64_t min, std::int64_t max);
// A TCP port, 1-65535; 0 as well with allowZero (the caller says what 0 means).
std::uint16_t portValue(const nlohmann::json& v, const std::string& key, bool allowZero = false);
// The port a listener binds: 1-65535, 0 for one the OS picks, or "off" (nullopt): no listener.
std::optional<std::uint16_t> listenPortValue(const nlohmann::json& v, const std::string& key);

}  // namespace medvqa::config

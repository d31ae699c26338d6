#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/node_config.h"

namespace medvqa::test {

// What the node says of this config: the Error(Config) message of reading and validating it,
// "" when it is accepted.
inline std::string nodeConfigError(const nlohmann::json& config) {
  try {
    config::validate(config::nodeConfigFromJson(config));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace medvqa::test

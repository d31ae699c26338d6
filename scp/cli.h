#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/node_config.h"

namespace medvqa::scp {

struct CliRequest {
  enum class Action { Run, Help, Version } action = Action::Run;
  config::NodeConfig config;
};

// Embedded defaults, then --config FILE, then the other flags (flags win). Throws Error(Config)
// with the offending flag named.
CliRequest parseCommandLine(const std::vector<std::string>& args);

const char* helpText();

}  // namespace medvqa::scp

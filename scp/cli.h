#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/node_config.h"

namespace medvqa::scp {

struct CliRequest {
  enum class Action { Run, Help, Version } action = Action::Run;
  config::NodeConfig config;
  // --ports-file: where the ports the node listens on are written once it is ready (ports_file.h).
  std::filesystem::path portsFile;
};

// Embedded defaults, then --config FILE, then the other flags (flags win). Throws Error(Config)
// with the offending flag named.
CliRequest parseCommandLine(const std::vector<std::string>& args);

const char* helpText();

}  // namespace medvqa::scp

#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pipeline/answering_config.h"

namespace medvqa::config {

// The "answering" section's type, pipeline::AnsweringConfig, belongs to the pipeline
// (pipeline/answering_config.h); here it is read.

// Unknown keys and wrong types fail with the key's name, prefixed by `section` (Error(Config)).
pipeline::AnsweringConfig answeringConfigFromJson(const nlohmann::json& json, const std::string& section,
                                                  pipeline::AnsweringConfig base = {});

// The model folder to use: the configured one, else models/demo next to the executable's
// install (../../models/demo from build/bin) or under the working directory.
std::filesystem::path resolveModelFolder(const std::filesystem::path& configured);

}  // namespace medvqa::config

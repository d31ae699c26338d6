#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "s3/s3_config.h"

namespace medvqa::config {

// Parses the "s3" array (of the "answering" section) into s3::S3Destination; reads each secret
// from its secretAccessKeyFile or secretAccessKeyEnv. Error(Config) naming the key
// (`key[0].bucket`) for anything wrong, a secret given in clear too.
std::vector<s3::S3Destination> s3DestinationsFromJson(const nlohmann::json& json, const std::string& key);

}  // namespace medvqa::config

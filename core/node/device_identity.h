#pragma once

#include <filesystem>
#include <string>

namespace medvqa::node {

// The node's Device Observer UID for the SRs it writes: made once, kept in the storage folder,
// so every SR a node ever wrote names the same device.
std::string deviceObserverUid(const std::filesystem::path& storage);

}  // namespace medvqa::node

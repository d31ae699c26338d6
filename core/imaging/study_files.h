#pragma once

#include <filesystem>
#include <vector>

namespace medvqa::imaging {

// The file itself, or every regular file under a folder (recursively, symlinked folders not
// followed, unreadable folders passed over), sorted by path so results never depend on the order
// the filesystem lists them. Throws Error(NotFound) when the path does not exist.
std::vector<std::filesystem::path> studyFiles(const std::filesystem::path& fileOrFolder);

}  // namespace medvqa::imaging

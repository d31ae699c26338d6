#pragma once

// A model folder may carry SHA256SUMS (sha256sum's format) for its manifest and module; when it
// does, a file that does not match is refused at load: a half-copied or edited model must not
// serve answers under the manifest's version.

#include <filesystem>
#include <string>

namespace medvqa::vqa {

// Lower-case hex SHA-256 of a file. Error(Io) when it cannot be read.
std::string sha256File(const std::filesystem::path& file);

// Checks every file SHA256SUMS lists (and requires manifest.json and `module` among them).
// No SHA256SUMS: nothing to check. Error(Config) naming the file on a mismatch.
void verifyChecksums(const std::filesystem::path& folder, const std::string& module);

}  // namespace medvqa::vqa

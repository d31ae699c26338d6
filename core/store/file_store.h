#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace medvqa::store {

// The node's instance files. A file's place is derived from a hash of its SOP Instance UID,
// never from received text, so no UID or AE title can steer a path (DCMTK storescp's
// CVE-2022-2119/2120 were exactly that). Layout: ROOT/instances/ab/<sha256>.dcm, where ab are
// the hash's first two hex digits (256 folders, ~4,000 files each per million instances).
// Incoming data lands in ROOT/tmp first and is moved into place only once it is on disk.
class FileStore {
 public:
  explicit FileStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }

  // A fresh, unique file name under ROOT/tmp for one incoming instance.
  std::filesystem::path newTempPath();
  // Whether a file can be created (and removed) where received instances land now: for
  // readiness probes (a full or read-only disk, a folder whose permissions changed).
  bool writable() noexcept;

  // Path relative to the root where the instance with this (normalised) UID lives.
  static std::string relativePathFor(const std::string& sopInstanceUid);
  std::filesystem::path absolute(const std::string& relativePath) const;

  // fsyncs `temp`, renames it to `relativePath` (replacing what was there) and fsyncs the
  // directory, so the instance survives a crash or power loss once this returns.
  void commit(const std::filesystem::path& temp, const std::string& relativePath);

  void remove(const std::string& relativePath) noexcept;

  // Deletes leftovers of transfers that a crash interrupted (ROOT/tmp/*).
  std::size_t purgeTemp() noexcept;

 private:
  std::filesystem::path root_;
  std::filesystem::path tmp_;
  std::uint64_t pid_;
};

// fsyncs a directory, so that a rename or unlink in it survives power loss.
void syncDirectory(const std::filesystem::path& dir);

// Deletes the file on destruction unless released: an instance that is refused or fails half way
// never lingers in tmp/.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

}  // namespace medvqa::store

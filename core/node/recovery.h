#pragma once

#include <cstddef>
#include <filesystem>

namespace medvqa {
class Index;
}
namespace medvqa::store {
class FileStore;
}

namespace medvqa::node {

struct RecoveryReport {
  std::size_t tempFilesRemoved = 0;  // transfers a crash cut short (never acknowledged)
  std::size_t filesReindexed = 0;    // committed to disk, crash before the index row
  std::size_t rowsWithoutFile = 0;   // index rows whose file is gone (logged as errors)
};

// A file in the storage folder that exists only while the node is stopped cleanly. Its absence
// at start means the last run ended by a crash, kill -9 or power loss: then (and only then) the
// full reconcile of files and index runs, so a clean restart stays fast on a large store.
class CleanStopMarker {
 public:
  explicit CleanStopMarker(const std::filesystem::path& storage) : file_(storage / "clean-stop") {}
  // Whether the last run stopped cleanly; removes the marker (durably) for this run.
  bool consume();
  // Written (and fsync'd) once everything has stopped.
  void write();

 private:
  std::filesystem::path file_;
};

// Brings the index and the files back into agreement after a crash (kill -9, power loss):
// a file is renamed into place before its row is committed, so a crash between the two leaves a
// complete, fsync'd file that the index does not know yet.
RecoveryReport recoverStorage(store::FileStore& files, Index& index);

}  // namespace medvqa::node

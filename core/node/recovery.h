#pragma once

#include <cstddef>

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

// Brings the index and the files back into agreement after a crash (kill -9, power loss):
// a file is renamed into place before its row is committed, so a crash between the two leaves a
// complete, fsync'd file that the index does not know yet.
RecoveryReport recoverStorage(store::FileStore& files, Index& index);

}  // namespace medvqa::node

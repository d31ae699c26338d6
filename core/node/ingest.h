#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "index/index.h"

namespace medvqa::store {
class FileStore;
}

namespace medvqa::node {

// What the C-STORE command said about the data set that followed it.
struct StoreRequest {
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string callingAet;
  Settling settling = Settling::Restart;  // Keep for the node's own SRs
};

enum class StoreOutcome { Stored, Replaced, KeptExisting };

struct StoreResult {
  StoreOutcome outcome;
  std::string sopInstanceUid;
  std::string studyInstanceUid;
};

// Takes one received instance (a Part 10 file in the store's tmp/ folder, written as it came off
// the wire) and makes it durable: checks it, moves it into place, fsyncs, and commits its index
// row. Only when ingest() returns may the node answer C-STORE success. Throws medvqa::Error:
// InvalidArgument (bad/mismatching UIDs), Dicom (unparsable, truncated), LimitExceeded (size),
// Io / Database (the node's own trouble).
class Ingestor {
 public:
  Ingestor(store::FileStore& files, Index& index, DuplicatePolicy duplicates,
           std::uint64_t maxDatasetBytes);

  StoreResult ingest(const std::filesystem::path& receivedFile, const StoreRequest& request);

 private:
  store::FileStore& files_;
  Index& index_;
  DuplicatePolicy duplicates_;
  std::uint64_t maxDatasetBytes_;
};

}  // namespace medvqa::node

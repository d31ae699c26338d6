#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/connection_pool.h"
#include "db/sqlite.h"
#include "index/duplicate_policy.h"
#include "index/instance_record.h"
#include "index/query.h"

class DcmDataset;

namespace medvqa {

enum class PutOutcome { Inserted, Replaced, KeptExisting };

// Whether an indexed instance makes its study settle again. Everything a peer sends does; the
// node's own derived objects (its SR) do not, or answering a study would un-stable it and a
// restart in that window would find it "not stable" although nothing arrived from outside.
enum class Settling { Restart, Keep };

struct PutResult {
  PutOutcome outcome = PutOutcome::Inserted;
  // Set on Replaced when the replaced instance's file lived at another path: the caller deletes
  // that file once the new one is safely in place.
  std::optional<std::string> previousRelPath;
};

// Where an indexed instance is and what a C-GET/C-MOVE needs to send it.
struct StoredInstance {
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string transferSyntaxUid;
  std::string relPath;
  std::uint64_t fileSize = 0;
  std::string studyUid;
  std::string seriesUid;
};

struct SeriesSummary {
  std::string seriesUid;
  std::string modality;
  std::optional<std::int64_t> seriesNumber;
  std::string description;
  std::int64_t numInstances = 0;
};

struct StudySummary {
  std::string studyUid;
  std::string patientId;
  std::string patientName;
  std::string studyDate;
  std::string studyDescription;
  std::string accession;
  std::vector<std::string> modalities;  // distinct, sorted
  std::int64_t numSeries = 0;
  std::int64_t numInstances = 0;
  std::int64_t lastReceivedAtMs = 0;
  bool stable = false;
  std::optional<std::int64_t> stableAtMs;
  std::vector<SeriesSummary> series;  // filled by study(), left empty by studies()
};

// The node's sqlite index of stored instances: patient / study / series / instance rows with
// maintained counters, C-FIND matching and C-GET/C-MOVE resolution, and the study lifecycle
// (last received, stable) that drives the pipeline.
//
// Thread-safe. Writes go through one connection behind a mutex (sqlite has one writer anyway),
// each put() one short IMMEDIATE transaction. Reads lease their own connection from a pool, so in
// WAL mode C-FINDs and C-GETs from many associations run beside a write and beside each other.
class Index {
 public:
  // Opens (creating if needed) the index at `dbFile`; its folder must exist.
  // Durability::RebuildableFromFiles lets a commit skip its fsync (synchronous=NORMAL): for an
  // owner that reconciles the index with its files after an unclean stop (the node does).
  enum class Durability { SyncEveryCommit, RebuildableFromFiles };
  explicit Index(const std::filesystem::path& dbFile, Durability durability = Durability::SyncEveryCommit);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Indexes one instance in one transaction, creating or updating its patient, study and series.
  // With Settling::Restart the study's last_received_at becomes `receivedAtMs` (default: now)
  // and it is no longer stable; Settling::Keep leaves both as they were. Attributes of the patient/study/series rows follow the latest instance received; when
  // that instance names another patient for an existing study, or another study for an existing
  // series, the study/series moves (a corrected re-send) and every counter follows. Patients,
  // studies and series left empty by a replace are deleted.
  PutResult put(const InstanceRecord& record, DuplicatePolicy policy,
                std::optional<std::int64_t> receivedAtMs = std::nullopt,
                Settling settling = Settling::Restart);

  // Removes one instance (e.g. its file is gone), pruning parents left empty. Returns what was
  // removed, nullopt when the UID was not indexed. Study stability is left as it was.
  std::optional<StoredInstance> remove(const std::string& sopInstanceUid);

  std::optional<StoredInstance> findInstance(const std::string& sopInstanceUid) const;
  std::vector<StoredInstance> allInstances() const;

  // --- C-FIND / C-GET / C-MOVE (defined in query.cpp) ---

  // Runs a C-FIND (PS3.4 C.2.2.2). `identifier` is the request identifier; onMatch receives one
  // response identifier per match (SpecificCharacterSet "ISO_IR 192", the QueryRetrieveLevel and
  // every requested key, unsupported ones zero-length; RetrieveAETitle is left to the caller) and
  // returns false to cancel: the query then stops at once. Rows are read lazily, so the first
  // match is delivered before later ones are read. Throws Error(InvalidArgument) on a missing,
  // invalid or (for the model) unsupported level, or a key value that cannot be matched.
  // `ignoredKeys`, when given, is filled before the first match with the keys whose values asked
  // for matching the index cannot do (unsupported optional keys, sequence items with values): PS3.4
  // C.2.2.1.3 has them ignored for matching, and the caller answers Pending FF01 to say so.
  void find(QueryModel model, const DcmDataset& identifier,
            const std::function<bool(DcmDataset& match)>& onMatch, const FindOptions& options = {},
            std::vector<std::string>* ignoredKeys = nullptr) const;

  // Resolves a C-GET/C-MOVE identifier to the instances to send: the level's unique key
  // (PatientID, StudyInstanceUID, SeriesInstanceUID or SOPInstanceUID; a backslash list is
  // allowed) and any unique keys of the levels above select every instance below. Throws
  // Error(InvalidArgument) when the level or its unique key is missing or invalid.
  std::vector<StoredInstance> instancesFor(QueryModel model, const DcmDataset& identifier) const;

  // --- Study lifecycle (defined in study_lifecycle.cpp) ---

  // Studies not yet stable whose last instance arrived at or before `cutoffMs`.
  std::vector<std::string> studiesQuietSince(std::int64_t cutoffMs) const;

  // Marks a study stable at `atMs`. With `onlyIfQuietSinceMs`, only when it has still received
  // nothing after that cutoff, so an instance arriving between studiesQuietSince() and this call
  // is never lost. Returns whether the study was marked.
  bool markStable(const std::string& studyUid, std::int64_t atMs,
                  std::optional<std::int64_t> onlyIfQuietSinceMs = std::nullopt);

  // Studies, most recently received first; `series` left empty.
  std::vector<StudySummary> studies(std::size_t limit, std::size_t offset) const;
  // One study with its series (ordered by series number), nullopt when unknown.
  std::optional<StudySummary> study(const std::string& studyUid) const;

 private:
  std::mutex writeMutex_;
  db::Connection writer_;  // guarded by writeMutex_
  // mutable: leasing a reader does not change the index's observable state.
  mutable db::ConnectionPool readers_;
};

}  // namespace medvqa

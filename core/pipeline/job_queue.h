#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "pipeline/retry_policy.h"

namespace medvqa::pipeline {

enum class JobState { Pending, Running, Done, Failed };

const char* toString(JobState state) noexcept;
JobState parseJobState(const std::string& name);  // Error(InvalidArgument) for an unknown name

// What a job answers: one study's contents, under one rule set, with one model version. The
// fingerprint names the study's contents (its instances): a study that changes after it was
// answered gets a new job, and a restart or a resend of the same contents does not.
struct JobKey {
  std::string studyUid;
  std::string ruleSet;       // the matched rule's name (and its questions' digest)
  std::string modelVersion;  // "name/version"
  std::string studyFingerprint;
};

struct Job {
  std::int64_t id = 0;
  JobKey key;
  JobState state = JobState::Pending;
  int attempts = 0;            // claims so far (a crashed worker's claim counts)
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
  std::int64_t nextAttemptAtMs = 0;
  std::string leaseOwner;      // set while Running
  std::int64_t leaseExpiresAtMs = 0;
  std::string lastError;       // why the last attempt failed; kept when the job fails for good
  std::string resultJson;      // the answers, once Done
  std::string srSopInstanceUid;  // the SR written for it, once Done
};

// The durable job table (sqlite, WAL, synchronous=FULL: an acknowledged enqueue or completion
// survives power loss). Workers claim a job with a lease; a worker that dies leaves its lease to
// expire and the job is claimed again. A failing job is retried with backoff up to the policy's
// limit, then kept as Failed with its error: never dropped. Thread-safe.
class JobQueue {
 public:
  JobQueue(const std::filesystem::path& dbFile, RetryPolicy policy);

  struct Enqueued {
    std::int64_t id;
    bool created;  // false: the same key was already queued or answered (idempotent)
  };
  Enqueued enqueue(const JobKey& key, std::int64_t nowMs);

  // The oldest due job (pending and due, or running with an expired lease), now Running and
  // leased to `worker` until now + lease. nullopt when nothing is due.
  std::optional<Job> claim(const std::string& worker, std::chrono::milliseconds lease, std::int64_t nowMs);
  // Extends a lease the worker still holds; false when it lost it (expired and re-claimed).
  bool renewLease(std::int64_t id, const std::string& worker, std::chrono::milliseconds lease, std::int64_t nowMs);

  // Both return false when `worker` no longer holds the job (its lease expired and another
  // worker claimed it): that worker's outcome is then the one that counts.
  bool complete(std::int64_t id, const std::string& worker, const std::string& resultJson,
                const std::string& srSopInstanceUid, std::int64_t nowMs);
  bool fail(std::int64_t id, const std::string& worker, const std::string& error, std::int64_t nowMs);

  // At the start of the only process using this file: jobs left Running by a process that died
  // are due again at once instead of after their lease. Returns how many.
  int releaseAbandoned(std::int64_t nowMs);

  std::optional<Job> job(std::int64_t id) const;
  std::vector<Job> jobsForStudy(const std::string& studyUid) const;  // newest first
  std::vector<Job> jobs(std::optional<JobState> state, std::size_t limit, std::size_t offset) const;
  // How many jobs are in each state (every state present, 0 when none): for metrics.
  std::map<JobState, std::int64_t> countByState() const;
  // The most recent Done job of a study under a rule set, other than `exceptId`: the SR a new
  // answer to changed contents names as its predecessor.
  std::optional<Job> latestDone(const std::string& studyUid, const std::string& ruleSet,
                                std::int64_t exceptId) const;

 private:
  Job read(db::Statement& row) const;

  RetryPolicy policy_;
  mutable std::mutex mutex_;
  mutable db::Connection db_;  // guarded by mutex_
};

}  // namespace medvqa::pipeline

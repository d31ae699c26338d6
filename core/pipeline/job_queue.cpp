#include "pipeline/job_queue.h"

#include "common/error.h"

namespace medvqa::pipeline {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  id                 INTEGER PRIMARY KEY,
  study_uid          TEXT NOT NULL,
  rule_set           TEXT NOT NULL,
  model_version      TEXT NOT NULL,
  study_fingerprint  TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  next_attempt_at    INTEGER NOT NULL,
  lease_owner        TEXT,
  lease_expires_at   INTEGER,
  last_error         TEXT,
  result_json        TEXT,
  sr_sop_uid         TEXT,
  UNIQUE (study_uid, rule_set, model_version, study_fingerprint)
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS jobs_study ON jobs (study_uid, id);
)sql";

constexpr const char* kColumns =
    "id, study_uid, rule_set, model_version, study_fingerprint, state, attempts, created_at, updated_at, "
    "next_attempt_at, lease_owner, lease_expires_at, last_error, result_json, sr_sop_uid";

std::string select(const std::string& tail) { return std::string("SELECT ") + kColumns + " FROM jobs " + tail; }

}  // namespace

const char* toString(JobState state) noexcept {
  switch (state) {
    case JobState::Pending: return "pending";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
  }
  return "unknown";
}

JobState parseJobState(const std::string& name) {
  for (JobState s : {JobState::Pending, JobState::Running, JobState::Done, JobState::Failed}) {
    if (name == toString(s)) return s;
  }
  throw Error(ErrorCode::InvalidArgument, "unknown job state '" + name + "' (pending, running, done, failed)");
}

JobQueue::JobQueue(const std::filesystem::path& dbFile, RetryPolicy policy)
    : policy_(policy), db_(dbFile, db::ConnectionOptions{.syncEveryCommit = true}) {
  db_.exec(kSchema);
}

JobQueue::Enqueued JobQueue::enqueue(const JobKey& key, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  db::Transaction tx(db_);
  auto insert = db_.cached(
      "INSERT INTO jobs (study_uid, rule_set, model_version, study_fingerprint, state, created_at, updated_at, "
      "next_attempt_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING");
  insert->bindText(1, key.studyUid).bindText(2, key.ruleSet).bindText(3, key.modelVersion);
  insert->bindText(4, key.studyFingerprint).bindInt64(5, nowMs).bindInt64(6, nowMs).bindInt64(7, nowMs);
  insert->run();
  const bool created = db_.changes() > 0;
  std::int64_t id = db_.lastInsertRowId();
  if (!created) {
    auto existing = db_.cached(
        "SELECT id FROM jobs WHERE study_uid = ? AND rule_set = ? AND model_version = ? AND study_fingerprint = ?");
    existing->bindText(1, key.studyUid).bindText(2, key.ruleSet).bindText(3, key.modelVersion);
    existing->bindText(4, key.studyFingerprint);
    if (!existing->step()) throw Error(ErrorCode::Database, "job insert conflicted but no job matches its key");
    id = existing->columnInt64(0);
  }
  tx.commit();
  return {id, created};
}

std::optional<Job> JobQueue::claim(const std::string& worker, std::chrono::milliseconds lease, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  db::Transaction tx(db_);
  auto update = db_.cached(
      std::string("UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?1, "
                  "lease_expires_at = ?2, updated_at = ?3 WHERE id = (SELECT id FROM jobs WHERE "
                  "(state = 'pending' AND next_attempt_at <= ?3) OR (state = 'running' AND lease_expires_at < ?3) "
                  "ORDER BY next_attempt_at, id LIMIT 1) RETURNING ") +
      kColumns);
  update->bindText(1, worker).bindInt64(2, nowMs + lease.count()).bindInt64(3, nowMs);
  if (!update->step()) return std::nullopt;
  Job job = read(*update);
  while (update->step()) {
  }
  tx.commit();
  return job;
}

bool JobQueue::renewLease(std::int64_t id, const std::string& worker, std::chrono::milliseconds lease,
                          std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto update = db_.cached(
      "UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?");
  update->bindInt64(1, nowMs + lease.count()).bindInt64(2, nowMs).bindInt64(3, id).bindText(4, worker);
  update->run();
  return db_.changes() > 0;
}

bool JobQueue::complete(std::int64_t id, const std::string& worker, const std::string& resultJson,
                        const std::string& srSopInstanceUid, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto update = db_.cached(
      "UPDATE jobs SET state = 'done', result_json = ?, sr_sop_uid = ?, last_error = NULL, lease_owner = NULL, "
      "lease_expires_at = NULL, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?");
  update->bindText(1, resultJson).bindTextOrNull(2, srSopInstanceUid).bindInt64(3, nowMs);
  update->bindInt64(4, id).bindText(5, worker);
  update->run();
  return db_.changes() > 0;
}

bool JobQueue::fail(std::int64_t id, const std::string& worker, const std::string& error, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  // Retry while attempts remain (attempts already counts this one), else keep it as failed.
  auto update = db_.cached(
      "UPDATE jobs SET state = CASE WHEN attempts >= ?1 THEN 'failed' ELSE 'pending' END, "
      "next_attempt_at = ?2 + CASE WHEN attempts >= ?1 THEN 0 ELSE ?3 END, last_error = ?4, lease_owner = NULL, "
      "lease_expires_at = NULL, updated_at = ?2 WHERE id = ?5 AND state = 'running' AND lease_owner = ?6 "
      "RETURNING attempts");
  const std::optional<Job> current = [&]() -> std::optional<Job> {
    auto q = db_.cached(select("WHERE id = ?"));
    q->bindInt64(1, id);
    if (!q->step()) return std::nullopt;
    return read(*q);
  }();
  if (!current) return false;
  update->bindInt64(1, policy_.maxAttempts).bindInt64(2, nowMs).bindInt64(3, policy_.backoffMs(current->attempts));
  update->bindText(4, error).bindInt64(5, id).bindText(6, worker);
  const bool changed = update->step();
  while (update->step()) {
  }
  return changed;
}

int JobQueue::releaseAbandoned(std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto update = db_.cached(
      "UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = ?, "
      "updated_at = ? WHERE state = 'running'");
  update->bindInt64(1, nowMs).bindInt64(2, nowMs);
  update->run();
  return db_.changes();
}

std::optional<Job> JobQueue::job(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto q = db_.cached(select("WHERE id = ?"));
  q->bindInt64(1, id);
  if (!q->step()) return std::nullopt;
  return read(*q);
}

std::vector<Job> JobQueue::jobsForStudy(const std::string& studyUid) const {
  std::lock_guard lock(mutex_);
  auto q = db_.cached(select("WHERE study_uid = ? ORDER BY id DESC"));
  q->bindText(1, studyUid);
  std::vector<Job> out;
  while (q->step()) out.push_back(read(*q));
  return out;
}

std::vector<Job> JobQueue::jobs(std::optional<JobState> state, std::size_t limit, std::size_t offset) const {
  std::lock_guard lock(mutex_);
  auto q = db_.cached(select("WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2 OFFSET ?3"));
  if (state) {
    q->bindText(1, toString(*state));
  } else {
    q->bindNull(1);
  }
  q->bindInt64(2, static_cast<std::int64_t>(limit)).bindInt64(3, static_cast<std::int64_t>(offset));
  std::vector<Job> out;
  while (q->step()) out.push_back(read(*q));
  return out;
}

std::map<JobState, std::int64_t> JobQueue::countByState() const {
  std::map<JobState, std::int64_t> counts;
  for (JobState s : {JobState::Pending, JobState::Running, JobState::Done, JobState::Failed}) counts[s] = 0;
  std::lock_guard lock(mutex_);
  auto q = db_.cached("SELECT state, COUNT(*) FROM jobs GROUP BY state");
  while (q->step()) counts[parseJobState(q->columnText(0))] = q->columnInt64(1);
  return counts;
}

std::optional<Job> JobQueue::latestDone(const std::string& studyUid, const std::string& ruleSet,
                                        std::int64_t exceptId) const {
  std::lock_guard lock(mutex_);
  auto q = db_.cached(select("WHERE study_uid = ? AND rule_set = ? AND state = 'done' AND id <> ? ORDER BY id DESC LIMIT 1"));
  q->bindText(1, studyUid).bindText(2, ruleSet).bindInt64(3, exceptId);
  if (!q->step()) return std::nullopt;
  return read(*q);
}

Job JobQueue::read(db::Statement& row) const {
  Job job;
  job.id = row.columnInt64(0);
  job.key = {row.columnText(1), row.columnText(2), row.columnText(3), row.columnText(4)};
  job.state = parseJobState(row.columnText(5));
  job.attempts = static_cast<int>(row.columnInt64(6));
  job.createdAtMs = row.columnInt64(7);
  job.updatedAtMs = row.columnInt64(8);
  job.nextAttemptAtMs = row.columnInt64(9);
  job.leaseOwner = row.columnText(10);
  job.leaseExpiresAtMs = row.columnOptionalInt64(11).value_or(0);
  job.lastError = row.columnText(12);
  job.resultJson = row.columnText(13);
  job.srSopInstanceUid = row.columnText(14);
  return job;
}

}  // namespace medvqa::pipeline

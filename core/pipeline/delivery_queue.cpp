#include "pipeline/delivery_queue.h"

#include <functional>

namespace medvqa::pipeline {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS deliveries (
  id               INTEGER PRIMARY KEY,
  sop_instance_uid TEXT NOT NULL,
  destination      TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  UNIQUE (sop_instance_uid, destination)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
)sql";

constexpr const char* kSelect =
    "SELECT id, sop_instance_uid, destination, state, attempts, created_at, updated_at, next_attempt_at, last_error "
    "FROM deliveries ";

constexpr const char* kInsert =
    "INSERT INTO deliveries (sop_instance_uid, destination, state, created_at, updated_at, next_attempt_at) "
    "VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING";

DeliveryState parseState(const std::string& s) {
  if (s == "sent") return DeliveryState::Sent;
  if (s == "failed") return DeliveryState::Failed;
  return DeliveryState::Pending;
}

Delivery read(db::Statement& row) {
  Delivery d;
  d.id = row.columnInt64(0);
  d.sopInstanceUid = row.columnText(1);
  d.destination = row.columnText(2);
  d.state = parseState(row.columnText(3));
  d.attempts = static_cast<int>(row.columnInt64(4));
  d.createdAtMs = row.columnInt64(5);
  d.updatedAtMs = row.columnInt64(6);
  d.nextAttemptAtMs = row.columnInt64(7);
  d.lastError = row.columnText(8);
  return d;
}

}  // namespace

const char* toString(DeliveryState state) noexcept {
  switch (state) {
    case DeliveryState::Pending: return "pending";
    case DeliveryState::Sent: return "sent";
    case DeliveryState::Failed: return "failed";
  }
  return "unknown";
}

DeliveryQueue::DeliveryQueue(const std::filesystem::path& dbFile, RetryPolicy policy)
    : policy_(policy), db_(dbFile, db::ConnectionOptions{.syncEveryCommit = true}) {
  db_.exec(kSchema);
}

bool DeliveryQueue::add(const std::string& sopInstanceUid, const std::string& destination, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto insert = db_.cached(kInsert);
  insert->bindText(1, sopInstanceUid).bindText(2, destination).bindInt64(3, nowMs).bindInt64(4, nowMs).bindInt64(5, nowMs);
  insert->run();
  return db_.changes() > 0;
}

std::size_t DeliveryQueue::addAll(const std::vector<std::string>& sopInstanceUids, const std::string& destination,
                                  std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  db::Transaction tx(db_);
  std::size_t added = 0;
  for (const auto& uid : sopInstanceUids) {
    auto insert = db_.cached(kInsert);
    insert->bindText(1, uid).bindText(2, destination).bindInt64(3, nowMs).bindInt64(4, nowMs).bindInt64(5, nowMs);
    insert->run();
    added += db_.changes() > 0;
  }
  tx.commit();
  return added;
}

std::vector<Delivery> DeliveryQueue::list(const std::string& sql, const std::function<void(db::Statement&)>& bind) const {
  std::lock_guard lock(mutex_);
  auto q = db_.cached(sql);
  bind(*q);
  std::vector<Delivery> out;
  while (q->step()) out.push_back(read(*q));
  return out;
}

std::vector<Delivery> DeliveryQueue::due(std::int64_t nowMs, std::size_t limit) const {
  return list(std::string(kSelect) + "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
              [&](db::Statement& s) { s.bindInt64(1, nowMs).bindInt64(2, static_cast<std::int64_t>(limit)); });
}

void DeliveryQueue::markSent(std::int64_t id, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto update = db_.cached(
      "UPDATE deliveries SET state = 'sent', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?");
  update->bindInt64(1, nowMs).bindInt64(2, id);
  update->run();
}

void DeliveryQueue::markFailed(std::int64_t id, const std::string& error, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  int attempts = 0;
  {
    auto q = db_.cached("SELECT attempts FROM deliveries WHERE id = ?");
    q->bindInt64(1, id);
    if (!q->step()) return;
    attempts = static_cast<int>(q->columnInt64(0)) + 1;
  }
  const bool givesUp = policy_.maxAttempts > 0 && attempts >= policy_.maxAttempts;
  auto update = db_.cached(
      "UPDATE deliveries SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?");
  update->bindText(1, givesUp ? "failed" : "pending").bindInt64(2, attempts).bindText(3, error);
  update->bindInt64(4, nowMs + (givesUp ? 0 : policy_.backoffMs(attempts))).bindInt64(5, nowMs).bindInt64(6, id);
  update->run();
}

std::vector<Delivery> DeliveryQueue::forInstance(const std::string& sopInstanceUid) const {
  return list(std::string(kSelect) + "WHERE sop_instance_uid = ? ORDER BY id",
              [&](db::Statement& s) { s.bindText(1, sopInstanceUid); });
}

std::vector<Delivery> DeliveryQueue::all(std::size_t limit) const {
  return list(std::string(kSelect) + "ORDER BY id DESC LIMIT ?",
              [&](db::Statement& s) { s.bindInt64(1, static_cast<std::int64_t>(limit)); });
}

std::optional<std::int64_t> DeliveryQueue::nextDueAtMs() const {
  std::lock_guard lock(mutex_);
  auto q = db_.cached("SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'pending'");
  if (!q->step() || q->columnIsNull(0)) return std::nullopt;
  return q->columnInt64(0);
}

}  // namespace medvqa::pipeline

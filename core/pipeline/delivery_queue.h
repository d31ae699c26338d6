#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "pipeline/retry_policy.h"

namespace medvqa::pipeline {

enum class DeliveryState { Pending, Sent, Failed };

// One SR (or any stored instance) owed to one C-STORE destination.
struct Delivery {
  std::int64_t id = 0;
  std::string sopInstanceUid;
  std::string destination;  // AE title of a configured destination
  DeliveryState state = DeliveryState::Pending;
  int attempts = 0;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
  std::int64_t nextAttemptAtMs = 0;
  std::string lastError;
};

const char* toString(DeliveryState state) noexcept;

// Store-and-forward outbox (sqlite, synchronous=FULL). An SR is added once per destination
// (idempotent) in the same breath as it is stored; a sender takes due entries, and a destination
// that is down only delays them: with maxAttempts 0 (the default for deliveries) an entry is
// retried, backing off up to maxBackoff, until it goes. Nothing is dropped; a restart resumes.
// Sending the same instance twice after a crash between the peer's success and our commit is
// harmless: the peer receives the same SOP Instance UID again.
class DeliveryQueue {
 public:
  DeliveryQueue(const std::filesystem::path& dbFile, RetryPolicy policy);

  bool add(const std::string& sopInstanceUid, const std::string& destination, std::int64_t nowMs);
  // add() for many instances in one transaction (one fsync, not one per instance): a whole study
  // for a bucket. Returns how many were new.
  std::size_t addAll(const std::vector<std::string>& sopInstanceUids, const std::string& destination,
                     std::int64_t nowMs);
  std::vector<Delivery> due(std::int64_t nowMs, std::size_t limit) const;
  void markSent(std::int64_t id, std::int64_t nowMs);
  void markFailed(std::int64_t id, const std::string& error, std::int64_t nowMs);

  std::vector<Delivery> forInstance(const std::string& sopInstanceUid) const;
  std::vector<Delivery> all(std::size_t limit) const;
  std::optional<std::int64_t> nextDueAtMs() const;  // earliest pending entry, for the sender's sleep

 private:
  std::vector<Delivery> list(const std::string& sql, const std::function<void(db::Statement&)>& bind) const;

  RetryPolicy policy_;
  mutable std::mutex mutex_;
  mutable db::Connection db_;
};

}  // namespace medvqa::pipeline

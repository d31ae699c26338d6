#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "common/worker.h"
#include "orthanc_rest.h"

namespace medvqa::plugin {

// Stable studies, from Orthanc's change callback to the answer pipeline.
//
// Orthanc calls the change callback synchronously with its core and its REST API must not be
// called from there (deadlocks), so push() only queues the study's Orthanc id; one thread hands
// the studies over (the handler resolves the UID and queues a durable job; inference runs on the
// pipeline's workers, never here).
//
// A study that went stable while the plugin was not listening, or between the event and its
// durable job (a crash), is not lost: Orthanc keeps every change in its own log (/changes), and
// at start the inbox replays the StableStudy changes after its cursor (a file in the plugin's
// state folder). The cursor moves only past changes that were handed over: the thread writes it
// when it reaches a checkpoint queued behind them. A replayed study that was answered already is
// a no-op (the job key). At its first start the inbox does not replay Orthanc's whole history: a
// plugin added to an existing archive answers what arrives from then on.
class StableStudyInbox {
 public:
  using Handler = std::function<void(const std::string& orthancStudyId)>;

  StableStudyInbox(const OrthancApi& api, std::filesystem::path cursorFile, Handler handler);

  // From the change callback: never blocks on Orthanc.
  void push(const std::string& orthancStudyId);
  // Replays the missed changes, then hands over what push() queues, on its own thread.
  void start() { worker_.start(); }
  void stop() { worker_.stop(); }
  std::size_t waiting() const;

 private:
  struct Item {
    std::string studyId;                    // empty for a checkpoint
    std::optional<std::int64_t> checkpoint;  // the change sequence everything before has reached
  };
  std::chrono::milliseconds pass(const std::stop_token& stop);
  std::optional<Item> next();
  void replay();
  void handle(const Item& item);
  void scheduleCheckpoint(std::chrono::steady_clock::time_point now);
  std::int64_t lastChange() const;
  std::optional<std::int64_t> readCursor() const;
  void writeCursor(std::int64_t seq) const;

  const OrthancApi& api_;
  std::filesystem::path cursorFile_;
  Handler handler_;
  mutable std::mutex mutex_;
  std::deque<Item> queue_;  // guarded by mutex_
  bool replayed_ = false;   // the worker's own state from here on
  bool handledSinceCheckpoint_ = false;
  // A checkpoint taken at `since` is queued only after a grace period, so that the callbacks for
  // the changes it covers (already in Orthanc's log) have reached push().
  std::optional<std::pair<std::int64_t, std::chrono::steady_clock::time_point>> pendingCheckpoint_;
  std::chrono::steady_clock::time_point lastCheckpoint_ = std::chrono::steady_clock::now();
  Worker worker_;  // last: stopped (in its destructor) before the members its passes use
};

}  // namespace medvqa::plugin

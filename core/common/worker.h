#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace medvqa {

// The one background-loop type of the project: a thread that runs `pass` when woken, or when the
// delay the previous pass asked for has gone by, until stopped. Every queue drainer, poller and
// sweeper (stable-study monitor, answer workers, outbox sender, the plugin's inbox) is one of
// these, so stopping, waking and error handling are written once.
//
// A pass returns how long to sleep before the next one unless woken sooner (a poller returns its
// period; a queue drainer that found work returns zero to run again at once). An exception from
// a pass is logged with the worker's name and the loop carries on after `retryAfterError`: a
// database that is briefly locked, or a disk that filled, must not stop the node's background work.
class Worker {
 public:
  using Pass = std::function<std::chrono::milliseconds(const std::stop_token&)>;

  Worker(std::string name, Pass pass, std::chrono::milliseconds retryAfterError = std::chrono::seconds(1));
  ~Worker();  // stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();  // once; a second call does nothing
  // Runs the next pass now (or right after the current one). Wakes accumulate into one pass.
  void wake();
  // Asks the loop to stop, wakes it and joins. A pass in progress finishes first; long passes
  // should check the stop token between items.
  void stop();

  const std::string& name() const { return name_; }

 private:
  void loop(const std::stop_token& stop);

  std::string name_;
  Pass pass_;
  std::chrono::milliseconds retryAfterError_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool woken_ = false;
  std::jthread thread_;
};

}  // namespace medvqa

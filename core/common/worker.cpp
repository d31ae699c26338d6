#include "common/worker.h"

#include "common/log.h"

namespace medvqa {

Worker::Worker(std::string name, Pass pass, std::chrono::milliseconds retryAfterError)
    : name_(std::move(name)), pass_(std::move(pass)), retryAfterError_(retryAfterError) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
}

void Worker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Worker::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // wakes wait() through the stop token
  thread_.join();
}

void Worker::loop(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    {
      std::lock_guard lock(mutex_);
      woken_ = false;  // a wake() from here on runs another pass
    }
    std::chrono::milliseconds delay = retryAfterError_;
    try {
      delay = pass_(stop);
    } catch (const std::exception& e) {
      log::error(name_ + ": " + e.what());
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, delay, [this] { return woken_; });
  }
}

}  // namespace medvqa

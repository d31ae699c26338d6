#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "common/worker.h"

namespace medvqa {
namespace {

using namespace std::chrono_literals;

// Counts passes and lets a test wait, with a deadline, until a number of them has run.
class PassCounter {
 public:
  void ran() {
    {
      std::lock_guard lock(mutex_);
      ++passes_;
    }
    changed_.notify_all();
  }
  bool waitFor(int passes, std::chrono::milliseconds deadline = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return passes_ >= passes; });
  }
  int passes() {
    std::lock_guard lock(mutex_);
    return passes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int passes_ = 0;
};

TEST(Worker, RunsAPassAtStartAndWhenWoken) {
  PassCounter counter;
  // A delay of an hour: any pass after the first one comes from wake().
  Worker worker("test", [&](const std::stop_token&) {
    counter.ran();
    return std::chrono::milliseconds(3600s);
  });
  worker.start();
  ASSERT_TRUE(counter.waitFor(1));
  worker.wake();
  ASSERT_TRUE(counter.waitFor(2));
  worker.wake();
  EXPECT_TRUE(counter.waitFor(3));
}

TEST(Worker, RunsAgainAfterTheDelayThePassAsksFor) {
  PassCounter counter;
  Worker worker("test", [&](const std::stop_token&) {
    counter.ran();
    return std::chrono::milliseconds(1ms);
  });
  worker.start();
  EXPECT_TRUE(counter.waitFor(5));
}

TEST(Worker, StopInterruptsALongWaitAtOnce) {
  PassCounter counter;
  Worker worker("test", [&](const std::stop_token&) {
    counter.ran();
    return std::chrono::milliseconds(3600s);
  });
  worker.start();
  ASSERT_TRUE(counter.waitFor(1));
  const auto before = std::chrono::steady_clock::now();
  worker.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  EXPECT_EQ(counter.passes(), 1);
}

TEST(Worker, APassThatThrowsIsRetriedAndTheLoopGoesOn) {
  PassCounter counter;
  std::atomic<int> calls{0};
  Worker worker(
      "test",
      [&](const std::stop_token&) -> std::chrono::milliseconds {
        counter.ran();
        if (++calls == 1) throw std::runtime_error("database is locked");
        return std::chrono::milliseconds(3600s);
      },
      1ms);
  worker.start();
  EXPECT_TRUE(counter.waitFor(2));
}

TEST(Worker, ALongPassSeesTheStopRequest) {
  std::atomic<bool> sawStop{false};
  PassCounter counter;
  Worker worker("test", [&](const std::stop_token& stop) {
    counter.ran();
    while (!stop.stop_requested()) std::this_thread::yield();
    sawStop = true;
    return std::chrono::milliseconds(0);
  });
  worker.start();
  ASSERT_TRUE(counter.waitFor(1));
  worker.stop();
  EXPECT_TRUE(sawStop);
}

TEST(Worker, StopBeforeStartAndTwiceIsHarmless) {
  Worker worker("test", [](const std::stop_token&) { return std::chrono::milliseconds(0); });
  worker.stop();
  worker.start();
  worker.stop();
  worker.stop();
}

}  // namespace
}  // namespace medvqa

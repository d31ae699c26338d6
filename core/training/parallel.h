#pragma once

// Runs `work(i)` for i in [0, count) on `threads` threads (items handed out one at a time, so a
// slow study does not hold up a whole chunk). The first exception stops the hand-out and is
// rethrown here once every thread has finished.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace medvqa::training {

template <typename Work>
void parallelFor(std::size_t count, int threads, Work&& work) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr firstError;
  std::mutex errorMutex;
  const auto worker = [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      try {
        work(i);
      } catch (...) {
        const std::lock_guard lock(errorMutex);
        if (!firstError) firstError = std::current_exception();
        failed = true;
      }
    }
  };
  const auto extra = static_cast<std::size_t>(std::max(1, threads)) - 1;
  std::vector<std::jthread> pool;
  for (std::size_t t = 0; t < std::min(extra, count); ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins
  if (firstError) std::rethrow_exception(firstError);
}

}  // namespace medvqa::training

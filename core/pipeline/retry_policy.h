#pragma once

#include <chrono>
#include <cstdint>

namespace medvqa::pipeline {

// Bounded retries with exponential backoff, shared by jobs and SR deliveries.
struct RetryPolicy {
  int maxAttempts = 5;
  std::chrono::milliseconds initialBackoff{2000};
  std::chrono::milliseconds maxBackoff{std::chrono::minutes(5)};

  // Delay before attempt `attemptsSoFar + 1`: initial * 2^(attemptsSoFar - 1), capped.
  std::int64_t backoffMs(int attemptsSoFar) const {
    std::int64_t delay = initialBackoff.count();
    for (int i = 1; i < attemptsSoFar && delay < maxBackoff.count(); ++i) delay *= 2;
    return delay < maxBackoff.count() ? delay : maxBackoff.count();
  }
};

}  // namespace medvqa::pipeline

#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace medvqa::audit {

// A warning that may repeat on every message (a full disk, a collector that is down) logs at
// most once per interval and says how many it held back, so the audit trail's own trouble never
// floods the node's log. Thread-safe; never throws.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::steady_clock::duration interval = std::chrono::seconds(30));
  void warn(const std::string& message) noexcept;

 private:
  std::chrono::steady_clock::duration interval_;
  std::mutex mutex_;
  bool logged_ = false;
  std::chrono::steady_clock::time_point last_;
  std::uint64_t suppressed_ = 0;
};

}  // namespace medvqa::audit

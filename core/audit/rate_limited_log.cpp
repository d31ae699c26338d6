#include "audit/rate_limited_log.h"

#include "common/log.h"

namespace medvqa::audit {

RateLimitedLog::RateLimitedLog(std::chrono::steady_clock::duration interval) : interval_(interval) {}

void RateLimitedLog::warn(const std::string& message) noexcept {
  try {
    const auto now = std::chrono::steady_clock::now();
    std::uint64_t held = 0;
    {
      std::lock_guard lock(mutex_);
      if (logged_ && now - last_ < interval_) {
        ++suppressed_;
        return;
      }
      logged_ = true;
      last_ = now;
      held = suppressed_;
      suppressed_ = 0;
    }
    log::warn(message + (held ? " (" + std::to_string(held) + " similar warning(s) held back)" : std::string()));
  } catch (...) {
    // Logging is best effort here: the caller is already reporting a failure.
  }
}

}  // namespace medvqa::audit

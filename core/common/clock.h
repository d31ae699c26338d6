#pragma once

#include <chrono>
#include <cstdint>

namespace medvqa {

// Wall-clock milliseconds since the Unix epoch: the timestamps the index, the job queue and
// the outbox persist (sqlite INTEGER columns), comparable across restarts.
inline std::int64_t nowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace medvqa

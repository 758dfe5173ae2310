// The two clocks every command uses: wall time in epoch milliseconds (event_time_ms and
// end-to-end latency, comparable across processes) and a monotonic clock for durations.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace orderflow {

using Clock = std::chrono::steady_clock;

inline int64_t WallMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace orderflow

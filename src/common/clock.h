// The two clocks every command uses: wall time in epoch milliseconds (event_time_ms and
// end-to-end latency, comparable across processes) and a monotonic clock for durations.
// Thread-safe.
#pragma once

#include <algorithm>
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

// `seconds` (a flag's value) as a Clock duration: zero when not positive (or NaN), capped at
// 1e9 s (longer than any run) so the conversion to clock ticks cannot overflow.
inline Clock::duration DurationFromSeconds(double seconds) {
  if (!(seconds > 0)) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::min(seconds, 1e9)));
}

}  // namespace orderflow

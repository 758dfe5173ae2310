#include "common/idle_timer.h"

namespace orderflow {

// `> 0` is false for NaN too: a NaN timeout disables the timer like 0 does.
IdleTimer::IdleTimer(double timeout_seconds)
    : enabled_(timeout_seconds > 0), timeout_(DurationFromSeconds(timeout_seconds)) {}

void IdleTimer::Start(Clock::time_point now) {
  started_ = true;
  last_activity_ = now;
}

bool IdleTimer::Expired(Clock::time_point now) const {
  return enabled_ && started_ && now - last_activity_ >= timeout_;
}

}  // namespace orderflow

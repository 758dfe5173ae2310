// When a command that runs --until-idle has been idle long enough to stop: nothing happened for
// the timeout. Idleness counts only once the timer is started, so a wait that is not idleness
// (joining a consumer group) does not count. The caller passes the time (`now`) to every call,
// so the timer is deterministic under test and reads no clock of its own. One thread only.
#pragma once

#include "common/clock.h"

namespace orderflow {

class IdleTimer {
 public:
  // timeout_seconds <= 0 (or NaN): disabled, never expires (the command runs until a signal).
  explicit IdleTimer(double timeout_seconds);

  bool enabled() const { return enabled_; }
  bool started() const { return started_; }
  // Starts counting idleness from `now` (restarts it when already started).
  void Start(Clock::time_point now);
  // Something happened at `now`: idleness counts from here.
  void Touch(Clock::time_point now) { last_activity_ = now; }
  // True when enabled, started, and nothing happened for the whole timeout up to `now`.
  bool Expired(Clock::time_point now) const;

 private:
  bool enabled_;
  Clock::duration timeout_;
  bool started_ = false;
  Clock::time_point last_activity_;
};

}  // namespace orderflow

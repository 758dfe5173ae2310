#include "common/periodic_report.h"

#include <chrono>

namespace orderflow {

PeriodicReport::PeriodicReport(double interval_seconds, Clock::time_point start)
    // `> 0` is false for NaN too: a NaN interval disables the report like 0 does.
    : enabled_(interval_seconds > 0),
      interval_(DurationFromSeconds(interval_seconds)),
      last_(start),
      next_due_(start + interval_) {}

double PeriodicReport::SecondsSinceLast(Clock::time_point now) const {
  return std::chrono::duration<double>(now - last_).count();
}

void PeriodicReport::MarkDone(Clock::time_point now) {
  last_ = now;
  next_due_ = now + interval_;
}

void PeriodicReport::MarkDoneOnSchedule(Clock::time_point now, Clock::duration max_behind) {
  last_ = now;
  if (now > next_due_ + max_behind) next_due_ = now;
  next_due_ += interval_;
}

}  // namespace orderflow

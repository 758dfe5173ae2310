// When an every-N-seconds action of a long-running command is due: a progress line, a metrics
// publish, a page update. The caller passes the time (`now`) to every call, so the schedule is
// deterministic under test and reads no clock of its own. A disabled report (interval <= 0, as
// --report-every-seconds 0) is never due. One thread only.
#pragma once

#include "common/clock.h"

namespace orderflow {

class PeriodicReport {
 public:
  // The first report is due one interval after `start`. interval_seconds <= 0 (or NaN):
  // disabled, never due.
  PeriodicReport(double interval_seconds, Clock::time_point start);

  bool enabled() const { return enabled_; }
  // True when enabled and `now` has reached the due time.
  bool Due(Clock::time_point now) const { return enabled_ && now >= next_due_; }
  // When the next report is due (meaningless when disabled).
  Clock::time_point next_due() const { return next_due_; }
  // Seconds from the previous report (or the start) to `now`: the span a report covers.
  double SecondsSinceLast(Clock::time_point now) const;

  // A report was made at `now`: the next is due one interval after it, so a slow report
  // (one that waits on the network) never makes the next follow too closely.
  void MarkDone(Clock::time_point now);
  // Fixed rate instead: the next is due one interval after the one just due, so the report's
  // own duration does not stretch the period. When `now` is more than `max_behind` past the due
  // time (a round that took far too long), the schedule restarts from `now` rather than firing
  // the missed rounds back to back.
  void MarkDoneOnSchedule(Clock::time_point now, Clock::duration max_behind);

 private:
  bool enabled_;
  Clock::duration interval_;
  Clock::time_point last_;
  Clock::time_point next_due_;
};

}  // namespace orderflow

#include "event/order_event.h"

namespace orderflow::event {

// Howard Hinnant's civil_from_days: exact for the proleptic Gregorian calendar, no tables.
CivilTime ToCivil(int64_t local_epoch_seconds) {
  int64_t days = local_epoch_seconds / 86400;
  int64_t secs = local_epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  CivilTime t;
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs % 3600 / 60);
  t.second = static_cast<int>(secs % 60);
  // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
  t.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2 ? 1 : 0));
  return t;
}

}  // namespace orderflow::event

// ReportInput: everything the report shows, gathered by the caller (scan statistics, the
// summary figures, the demand forecast and a sample of rejected events). Plain references;
// the caller keeps them alive. A summary with no clean order (summary.orders == 0) makes a
// report that says there is no data yet, without charts.
#pragma once

#include <string>
#include <vector>

#include "analytics/demand_forecast.h"
#include "analytics/rejected_sample.h"
#include "analytics/scanner.h"
#include "analytics/summary.h"

namespace orderflow::report {

struct ReportInput {
  const analytics::ScanStats& stats;
  const analytics::Summary& summary;
  const analytics::DemandForecast& forecast;
  std::string orders_dir, invalid_dir;
  std::string generated_at;  // local time, "YYYY-MM-DD HH:MM:SS"
  // The first events of the invalid-events input (analytics::SampleRejected), shown as the
  // original notebook showed them.
  std::vector<analytics::RejectedEvent> rejected = {};
};

}  // namespace orderflow::report

// ReportInput: everything the report shows, gathered by the caller (scan statistics, the
// summary figures and the demand forecast). Plain references; the caller keeps them alive.
#pragma once

#include <string>

#include "analytics/demand_forecast.h"
#include "analytics/scanner.h"
#include "analytics/summary.h"

namespace orderflow::report {

struct ReportInput {
  const analytics::ScanStats& stats;
  const analytics::Summary& summary;
  const analytics::DemandForecast& forecast;
  std::string orders_dir, invalid_dir;
  std::string generated_at;  // local time, "YYYY-MM-DD HH:MM:SS"
};

}  // namespace orderflow::report

// The report as one self-contained HTML page (output/report.html): headline KPIs, every chart
// embedded as a base64 data URI (and linked to its file beside the page), top products,
// categories, cities, invalid reasons and the forecast table with its backtest errors.
// Pure function; safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include "report/charts.h"
#include "report/report_input.h"

namespace orderflow::report {

std::string BuildReportHtml(const ReportInput& input, const std::vector<Chart>& charts);

}  // namespace orderflow::report

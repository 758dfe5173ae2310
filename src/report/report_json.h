// The report's figures as one JSON document (output/report.json): the same numbers the HTML
// page shows, for machines. Money in currency units rounded to cents, shares in 0..1.
// Pure function; safe for concurrent use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/report_input.h"

namespace orderflow::report {

nlohmann::json BuildReportJson(const ReportInput& input, const std::vector<std::string>& charts);

}  // namespace orderflow::report

// Charts: the report's six PNG charts, drawn by gnuplot (pngcairo, kChartWidth x kChartHeight)
// from data files and one script written into a scratch directory. Each chart has a title,
// axis labels and units. One thread only per scratch directory.
#pragma once

#include <string>
#include <vector>

#include "analytics/demand_forecast.h"
#include "analytics/summary.h"
#include "common/status.h"

namespace orderflow::report {

inline constexpr int kChartWidth = 1200;
inline constexpr int kChartHeight = 800;
inline constexpr const char* kCurrency = "PLN";

struct Chart {
  std::string file_name;  // e.g. "orders_3d_item_weekday.png"
  std::string title;      // a caption for the HTML page
  std::string png;        // the file's bytes
};

// The file names, in the order RenderCharts returns them.
const std::vector<std::string>& ChartFileNames();

// Renders every chart into `scratch_dir` (which must exist and be writable) and returns their
// bytes. IoError when gnuplot fails or a file cannot be written or read back.
Result<std::vector<Chart>> RenderCharts(const analytics::Summary& summary,
                                        const analytics::DemandForecast& forecast,
                                        const std::string& scratch_dir);

}  // namespace orderflow::report

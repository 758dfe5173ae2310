// A reader of the Prometheus text exposition format (what our /metrics endpoints serve): one
// sample per line, `name{label="value",...} value [timestamp]`; comments and blank lines are
// skipped. Tolerant: a malformed line is skipped and counted, never an error. Used by the
// dashboard to read the other commands' metrics. Pure functions; safe for concurrent use.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace orderflow::web {

struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;

  // The label's value, or "" when absent.
  const std::string& Label(const std::string& key) const;
};

struct ParsedMetrics {
  std::vector<MetricSample> samples;
  size_t malformed_lines = 0;
};

ParsedMetrics ParsePrometheusText(std::string_view text);

}  // namespace orderflow::web

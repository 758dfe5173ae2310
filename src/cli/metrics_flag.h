// --metrics-listen and --metrics-linger-seconds, the same for produce, process and track: the
// flags, the server they ask for, and the end of a run as the metrics show it. One thread only
// (the command's).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "metrics/metrics_registry.h"
#include "monitor/metrics_server.h"

namespace orderflow::cli {

struct MetricsFlags {
  std::string listen;         // empty: off
  double linger_seconds = 0;  // served this long after the run
};

// Adds --metrics-listen HOST:PORT and --metrics-linger-seconds N.
void AddMetricsFlags(CLI::App& command, MetricsFlags& flags);

// When flags.listen is set: serves `registry` there (with monitor::kRunFinishedMetric at 0) and
// prints "[tag] metrics at URL". Returns nullptr when it is empty; InvalidArgument naming the
// flag when the address is bad or taken. `registry` must outlive the server.
Result<std::unique_ptr<monitor::MetricsServer>> ServeMetricsIfAsked(
    const MetricsFlags& flags, metrics::MetricsRegistry& registry, std::string_view tag);

// After the run, when `server` is serving: marks a clean end (`finished`) in the metrics, then
// keeps serving the final totals for --metrics-linger-seconds (a stop request cuts it short), so
// a scraper sees them and that the command finished rather than died.
void EndMetrics(const MetricsFlags& flags, const monitor::MetricsServer* server,
                metrics::MetricsRegistry& registry, bool finished);

}  // namespace orderflow::cli

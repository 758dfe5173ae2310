// The built-in alert rules (docs/metrics.md, deploy/prometheus/alerts.yml has their Prometheus
// twins): invalid share over a window, end-to-end p99 over a threshold, lag above a threshold
// or growing for a window, processing stalled while events arrive. The engine is fed one
// PipelineSample of cumulative totals per scrape and reports firing/resolved transitions;
// windowed figures are differences between the newest sample and the one a window earlier,
// as Prometheus' increase() would compute them. Thresholds have defaults and can be overridden
// by a JSON file. One thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "common/status.h"

namespace orderflow::monitor {

struct AlertConfig {
  double invalid_share = 0.05;         // InvalidShareHigh: invalid / processed above this ...
  double invalid_window_seconds = 60;  // ... over this window
  double e2e_p99_seconds = 5;          // EndToEndLatencyHigh: p99 over the window above this
  double e2e_window_seconds = 60;
  double lag_max = 100000;         // ConsumerLagHigh: total lag above this
  double lag_growth_seconds = 60;  // ConsumerLagGrowing: lag rose at every sample for this long
  double stall_seconds = 30;  // ProcessingStalled: nothing processed this long while events arrive
};

// Reads overrides from a JSON object such as
//   {"invalid_share": {"threshold": 0.05, "window_seconds": 60},
//    "e2e_p99": {"threshold_seconds": 5, "window_seconds": 60},
//    "lag": {"threshold": 100000, "growth_window_seconds": 60},
//    "stall": {"window_seconds": 30}}
// Missing keys keep their defaults. InvalidArgument naming the file and key for unknown keys,
// wrong types, non-positive values or malformed JSON; IoError when the file cannot be read.
Result<AlertConfig> LoadAlertConfig(const std::string& path);
Result<AlertConfig> ParseAlertConfig(const std::string& json, const std::string& origin);

// Cumulative figures of the pipeline at one moment (NaN-free: `has_*` says what is known).
struct PipelineSample {
  double t = 0;  // seconds on a monotonic clock
  bool has_producer = false;
  double produced = 0;  // events acknowledged to producers
  bool has_processor = false;
  double processed = 0, invalid = 0;
  std::vector<double> e2e_bounds;      // seconds; the processor's latency histogram
  std::vector<double> e2e_cumulative;  // per bound; the last element is the +Inf bucket (= count)
  bool has_lag = false;
  double lag = 0;  // total over partitions
};

// histogram_quantile(): the q-quantile of a cumulative histogram (bounds plus a final +Inf
// count), interpolating linearly inside the bucket; NaN when empty. A quantile in the +Inf
// bucket returns the highest finite bound.
double HistogramQuantile(double q, const std::vector<double>& bounds,
                         const std::vector<double>& cumulative);

struct Alert {
  std::string name;      // alertname, e.g. InvalidShareHigh
  std::string severity;  // warning | critical
  std::string summary;   // one line for people, with the measured value
  bool firing = false;
  int64_t starts_at_ms = 0;  // wall clock
  int64_t ends_at_ms = 0;    // 0 while firing
  double value = 0;
};

class AlertEngine {
 public:
  explicit AlertEngine(const AlertConfig& config);

  // Evaluates every rule with `sample` (t must not go backwards) and returns the alerts that
  // started firing or resolved with it. now_ms is the wall clock for startsAt/endsAt.
  std::vector<Alert> Evaluate(const PipelineSample& sample, int64_t now_ms);

  std::vector<Alert> Active() const;
  // The last transitions, newest first (at most 50).
  const std::deque<Alert>& Recent() const { return recent_; }
  const AlertConfig& config() const { return config_; }

 private:
  // The newest sample at or before t (or the oldest one kept).
  const PipelineSample& At(double t) const;
  void Set(const std::string& name, const std::string& severity, bool condition, double value,
           const std::string& summary, int64_t now_ms, std::vector<Alert>& changes);

  AlertConfig config_;
  std::deque<PipelineSample> history_;
  std::vector<Alert> state_;  // one per rule name ever evaluated
  std::deque<Alert> recent_;
};

}  // namespace orderflow::monitor

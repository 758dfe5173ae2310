// The independent monitoring consumer (`orderflow track`), the original tracker made better:
// its own consumer group, manual commits every N messages and at close, throughput, errors,
// end-to-end latency (now - event_time_ms) with avg/p50/p99, and the lag of another group
// (the processor's) per partition. One thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "kafka/kafka_settings.h"
#include "monitor/latency_histogram.h"
#include "monitor/metrics_registry.h"

namespace orderflow::monitor {

struct TrackerOptions {
  kafka::KafkaSettings kafka;
  std::string topic = "orders";
  std::string group_id = "order-tracker";
  std::string lag_group = "orderflow-processor";
  uint64_t commit_every = 100;
  double report_every_seconds = 5;
  double until_idle_seconds = 0;  // 0: until a signal
  bool print_events = false;
  bool from_earliest = true;  // where the tracker's group starts without committed offsets
  // When set, metrics (with the lag of lag_group) are published here every second.
  MetricsRegistry* metrics = nullptr;
};

struct TrackerSummary {
  uint64_t processed = 0, errors = 0, commits = 0;
  int64_t lag = -1;  // total lag of the lag group; -1 when unknown
  std::map<int32_t, int64_t> lag_by_partition;
  double active_seconds = 0, elapsed_seconds = 0;
  LatencyHistogram e2e_ms;
  double throughput_eps() const { return active_seconds > 0 ? processed / active_seconds : 0; }
};

Status RunTracker(const TrackerOptions& options, TrackerSummary& summary);

}  // namespace orderflow::monitor

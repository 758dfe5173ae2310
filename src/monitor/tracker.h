// The independent monitoring consumer (`orderflow track`), the original tracker made better:
// its own consumer group, manual commits every N messages and at close, throughput, errors,
// end-to-end latency (now - event_time_ms) with avg/p50/p99, and the lag of another group
// (the processor's) per partition. One thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "event/event_validator.h"
#include "kafka/kafka_settings.h"
#include "metrics/latency_histogram.h"
#include "metrics/metrics_registry.h"

namespace orderflow::monitor {

struct TrackerOptions {
  kafka::KafkaSettings kafka;
  std::string topic = "orders";
  std::string group_id = "order-tracker";
  std::string lag_group = "orderflow-processor";
  uint64_t commit_every = 100;  // 0: commit only at close (as the original)
  double report_every_seconds = 5;
  double until_idle_seconds = 0;  // 0: until a signal
  bool print_events = false;      // one EventLine per message, as the original tracker printed
  bool from_earliest = true;      // where the tracker's group starts without committed offsets
  // When the command started: throughput_eps and elapsed_s count from here.
  Clock::time_point started = Clock::now();
  // When set, metrics (with the lag of lag_group) are published here every second.
  metrics::MetricsRegistry* metrics = nullptr;
};

struct TrackerSummary {
  // False when RunTracker failed before reading (a consumer could not start): no figures, and
  // the command prints no summary line.
  bool started = false;
  uint64_t processed = 0, errors = 0, commits = 0;
  int64_t lag = -1;  // total lag of the lag group; -1 when unknown
  std::map<int32_t, int64_t> lag_by_partition;
  double active_seconds = 0;   // first message to last message read
  double elapsed_seconds = 0;  // since TrackerOptions::started
  metrics::LatencyHistogram e2e_ms;
  // The original's figure: processed / seconds since the command started.
  double throughput_eps() const { return elapsed_seconds > 0 ? processed / elapsed_seconds : 0; }
  // The rate while messages flowed: processed / seconds from the first to the last message.
  double active_eps() const { return active_seconds > 0 ? processed / active_seconds : 0; }
};

// The tracker's periodic line (tag "") or summary line (tag "[summary]"), with a newline:
//   [tracker]TAG processed=N errors=N throughput_eps=F active_eps=F avg_end_to_end_latency_ms=F
//   p50_end_to_end_latency_ms=F p99_end_to_end_latency_ms=F commits=N lag=N elapsed_s=F
std::string TrackerLine(std::string_view tag, const TrackerSummary& summary);

// The original's --print-events line, with a newline:
//   [consumer][event] offset=N partition=N order_id=... item=... quantity=N
// Values are taken from `v` (string values without their quotes); a field that is absent, or a
// message that is not a JSON object, shows None, as the original's evt.get() printed it.
std::string EventLine(int64_t offset, int32_t partition, const event::Validation& v);

// Runs until a signal or --until-idle, committing every commit_every messages (0: only at
// close) and at close; prints the periodic lines (and --print-events) and fills `summary`,
// whose line (TrackerLine "[summary]") the caller prints. KafkaError when the consumer fails.
Status RunTracker(const TrackerOptions& options, TrackerSummary& summary);

}  // namespace orderflow::monitor

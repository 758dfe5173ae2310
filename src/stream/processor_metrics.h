// The processor's Prometheus metrics (docs/metrics.md): events by outcome and invalid reason,
// micro-batch duration, end-to-end latency (to the commit, and to the file's publication),
// checkpoint commits, consumer lag per partition.
// The processing thread counts in plain members (CountInvalid, ObserveBatch: no lock, no
// allocation once every reason has been seen) and calls Publish about once a second, which
// copies the totals into the registry. One thread only; the registry it publishes to is safe
// for concurrent use (the /metrics server reads it).
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/latency_histogram.h"
#include "metrics/metrics_registry.h"

namespace orderflow::stream {

struct ProcessorSummary;

class ProcessorMetrics {
 public:
  explicit ProcessorMetrics(metrics::MetricsRegistry& registry);
  ProcessorMetrics(const ProcessorMetrics&) = delete;
  ProcessorMetrics& operator=(const ProcessorMetrics&) = delete;

  // `reason` has static storage (event/event_fields.h): it is compared by address first.
  void CountInvalid(std::string_view reason) {
    for (auto& [r, n] : invalid_) {
      if (r.data() == reason.data() || r == reason) {
        ++n;
        return;
      }
    }
    invalid_.emplace_back(reason, 1);
  }
  void ObserveBatch(double seconds) { batch_ms_.Record(seconds * 1000.0); }

  // Copies the totals; `lag` is high watermark - checkpointed offset per assigned partition
  // (partitions missing from it are removed from the exposition).
  void Publish(const ProcessorSummary& summary, const std::map<int32_t, int64_t>& lag);

 private:
  metrics::MetricsRegistry& registry_;
  std::vector<std::pair<std::string_view, uint64_t>> invalid_;
  metrics::LatencyHistogram batch_ms_;
  std::map<int32_t, int64_t> published_lag_;
};

}  // namespace orderflow::stream

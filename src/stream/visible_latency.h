// How long events take to become visible to readers of the output: from their event_time_ms to
// the moment the file holding them is published (renamed into place). With rolled files
// (--roll-interval > 0) that is later than the batch's commit, which makes them durable: the
// processor keeps the event times of each partition's open file until it is published. Memory
// is bounded: past kMaxKept times per partition, one time in two is dropped and each kept one
// counts twice (then one in four, ...), a uniform sample for the quantiles.
// One thread only (the processor's).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "metrics/latency_histogram.h"

namespace orderflow::stream {

class VisibleLatency {
 public:
  static constexpr size_t kMaxKept = 1 << 16;

  // The batch's events of `partition` (their event_time_ms) are committed, not yet visible.
  void Add(int32_t partition, std::span<const int64_t> event_times_ms);
  // The partition's file was published at `at_ms` (wall clock): records the latency of every
  // event added since its last publish into `into`.
  void Published(int32_t partition, int64_t at_ms, metrics::LatencyHistogram& into);
  // The partition is gone (revoked) with nothing published: its times are dropped.
  void Forget(int32_t partition) { pending_.erase(partition); }
  // Event times kept for `partition` (for tests).
  size_t kept(int32_t partition) const;

 private:
  struct Pending {
    std::vector<int64_t> times;
    uint32_t weight = 1;   // events each kept time stands for
    uint32_t skipped = 0;  // of the events since the last kept one
  };
  std::map<int32_t, Pending> pending_;
};

}  // namespace orderflow::stream

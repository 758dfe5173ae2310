#include "stream/visible_latency.h"

namespace orderflow::stream {

void VisibleLatency::Add(int32_t partition, std::span<const int64_t> event_times_ms) {
  if (event_times_ms.empty()) return;
  Pending& p = pending_[partition];
  for (int64_t t : event_times_ms) {
    if (++p.skipped < p.weight) continue;
    p.skipped = 0;
    p.times.push_back(t);
    if (p.times.size() >= kMaxKept) {
      // Keep every other time; each now stands for twice as many events.
      size_t kept = 0;
      for (size_t i = 0; i < p.times.size(); i += 2) p.times[kept++] = p.times[i];
      p.times.resize(kept);
      p.weight *= 2;
    }
  }
}

void VisibleLatency::Published(int32_t partition, int64_t at_ms, metrics::LatencyHistogram& into) {
  auto it = pending_.find(partition);
  if (it == pending_.end()) return;
  for (int64_t t : it->second.times) {
    for (uint32_t i = 0; i < it->second.weight; ++i) into.Record(static_cast<double>(at_ms - t));
  }
  pending_.erase(it);
}

size_t VisibleLatency::kept(int32_t partition) const {
  auto it = pending_.find(partition);
  return it == pending_.end() ? 0 : it->second.times.size();
}

}  // namespace orderflow::stream

// Wakes librdkafka's fetchers when the application has drained a full pre-fetch queue.
//
// librdkafka stops fetching while the consumer's local queue holds `queued.min.messages` (or
// `queued.max.messages.kbytes`), and its broker threads only look at the queue again when
// something else wakes them: up to 1 s later (hard-coded in librdkafka up to 2.2, the default of
// `fetch.queue.backoff.ms` since 2.3). A consumer catching up on a backlog drains a full queue in
// a fraction of that and then sits idle: a 480,000-event catch-up stalled 0-2 times for 0.6-1 s
// (BENCHMARKS.md). The nudge is a ListOffsets request for the assigned partitions
// (rd_kafka_offsets_for_times): it goes to each of their leaders, and every broker (and
// librdkafka's mock cluster) answers it without side effects. It is sent from a thread of its own
// so that the consuming thread never waits on the network.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

struct rd_kafka_s;

namespace orderflow::kafka {

// The pre-fetch queue's limit in messages, for messages of `mean_bytes` each: librdkafka stops
// fetching at whichever of its two thresholds comes first.
size_t FetchQueueLimit(size_t queued_min_messages, size_t queued_max_kbytes, size_t mean_bytes);

// True when taking messages moved the queue from near its limit to below it: librdkafka may be
// waiting on a full queue that is not full any more.
bool TakeMayUnblockFetch(size_t queued_before, size_t queued_after, size_t limit);

class FetchNudger {
 public:
  // `rk` is a consumer handle that outlives this object; its queue thresholds are read here.
  explicit FetchNudger(rd_kafka_s* rk);
  ~FetchNudger();  // stops the thread
  FetchNudger(const FetchNudger&) = delete;
  FetchNudger& operator=(const FetchNudger&) = delete;

  // Called by the consuming thread after it took messages from the consumer queue: the queue's
  // length before and after, and the mean size of the messages taken. Never blocks on the network.
  void AfterTake(size_t queued_before, size_t queued_after, size_t mean_bytes);
  // Finishes a nudge in flight and stops the thread (before the consumer closes). Idempotent.
  void Stop();
  uint64_t nudges_sent() const { return nudges_sent_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void SendNudge();

  rd_kafka_s* const rk_;
  size_t queued_min_messages_ = 100000;  // librdkafka's defaults, replaced by the handle's values
  size_t queued_max_kbytes_ = 65536;
  std::mutex mutex_;
  std::condition_variable wanted_changed_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::atomic<uint64_t> nudges_sent_{0};
  std::thread thread_;
};

}  // namespace orderflow::kafka

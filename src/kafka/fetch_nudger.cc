#include "kafka/fetch_nudger.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace orderflow::kafka {
namespace {

// The request wakes a broker thread the moment it is queued to it; the answer does not matter
// and is not waited for long: a broker answers a connection's requests in order, so behind a
// fetch that is waiting for new data (fetch.wait.max.ms) the answer can take that long, and a
// nudger blocked on it would delay the next nudge (seen as 0.5 s stalls under the sanitizers).
constexpr int kNudgeTimeoutMs = 10;

size_t ConfValue(rd_kafka_t* rk, const char* name, size_t fallback) {
  char value[64];
  size_t size = sizeof(value);
  if (rd_kafka_conf_get(rd_kafka_conf(rk), name, value, &size) != RD_KAFKA_CONF_OK) {
    return fallback;
  }
  size_t parsed = 0;
  const std::string_view text(value);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  return error == std::errc() && end == text.data() + text.size() ? parsed : fallback;
}

}  // namespace

size_t FetchQueueLimit(size_t queued_min_messages, size_t queued_max_kbytes, size_t mean_bytes) {
  const size_t by_bytes = queued_max_kbytes * 1024 / std::max<size_t>(mean_bytes, 1);
  return std::min(queued_min_messages, by_bytes);
}

bool TakeMayUnblockFetch(size_t queued_before, size_t queued_after, size_t limit) {
  // The limit is an estimate (the mean size of the messages taken stands for the queue's), so
  // "near" is generous: a nudge that was not needed costs one small request per leader.
  return queued_after < limit && queued_before >= limit - limit / 5;
}

FetchNudger::FetchNudger(rd_kafka_t* rk) : rk_(rk) {
  queued_min_messages_ = ConfValue(rk, "queued.min.messages", queued_min_messages_);
  queued_max_kbytes_ = ConfValue(rk, "queued.max.messages.kbytes", queued_max_kbytes_);
  thread_ = std::thread([this] { Run(); });
}

FetchNudger::~FetchNudger() { Stop(); }

void FetchNudger::AfterTake(size_t queued_before, size_t queued_after, size_t mean_bytes) {
  const size_t limit = FetchQueueLimit(queued_min_messages_, queued_max_kbytes_, mean_bytes);
  if (!TakeMayUnblockFetch(queued_before, queued_after, limit)) return;
  {
    std::lock_guard lock(mutex_);
    wanted_ = true;  // nudges asked for while one is in flight become one more
  }
  wanted_changed_.notify_one();
}

void FetchNudger::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_changed_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void FetchNudger::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wanted_changed_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    SendNudge();
    lock.lock();
  }
}

void FetchNudger::SendNudge() {
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  if (rd_kafka_assignment(rk_, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR || assigned == nullptr) {
    return;
  }
  if (assigned->cnt > 0) {
    // The offsets field carries the timestamp to look up: the end of each partition.
    for (int i = 0; i < assigned->cnt; ++i) assigned->elems[i].offset = RD_KAFKA_OFFSET_END;
    // Mostly ends timed out (see kNudgeTimeoutMs): the requests are on their way by then.
    (void)rd_kafka_offsets_for_times(rk_, assigned, kNudgeTimeoutMs);
    nudges_sent_.fetch_add(1, std::memory_order_relaxed);
  }
  rd_kafka_topic_partition_list_destroy(assigned);
}

}  // namespace orderflow::kafka

#include "kafka/consumer.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/stop_flag.h"
#include "kafka/fetch_nudger.h"

namespace orderflow::kafka {

static_assert(kOffsetBeginning == RD_KAFKA_OFFSET_BEGINNING);
static_assert(kOffsetEnd == RD_KAFKA_OFFSET_END);
static_assert(kOffsetInvalid == RD_KAFKA_OFFSET_INVALID);

struct Consumer::State {
  rd_kafka_t* rk = nullptr;
  rd_kafka_queue_t* queue = nullptr;
  std::unique_ptr<FetchNudger> nudger;  // stopped before the handle closes
  RebalanceListener* listener = nullptr;
  Status listener_error;
  bool closed = false;
  ErrorCode last_commit_error = kNoError;  // logged once per kind
};

namespace {

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

ErrorCode Code(rd_kafka_resp_err_t err) { return static_cast<ErrorCode>(err); }

extern "C" void OnConsumerError(rd_kafka_t*, int err, const char* reason, void*) {
  spdlog::warn("[consumer] {} ({})", reason, ErrorName(static_cast<ErrorCode>(err)));
}

extern "C" void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* state = static_cast<Consumer::State*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (state->listener != nullptr && state->listener_error.ok()) {
      std::vector<PartitionOffset> starts;
      for (int i = 0; i < partitions->cnt; ++i) {
        starts.push_back({partitions->elems[i].partition, kOffsetInvalid});
      }
      Status s = state->listener->OnAssigned(starts);
      if (!s.ok()) {
        // Take nothing: the caller stops on this error before consuming anything.
        state->listener_error = std::move(s);
        rd_kafka_assign(rk, nullptr);
        return;
      }
      for (int i = 0; i < partitions->cnt; ++i) partitions->elems[i].offset = starts[i].offset;
    }
    rd_kafka_assign(rk, partitions);
    return;
  }
  if (state->listener != nullptr) {
    std::vector<int32_t> revoked;
    for (int i = 0; i < partitions->cnt; ++i) revoked.push_back(partitions->elems[i].partition);
    state->listener->OnRevoked(revoked);
  }
  rd_kafka_assign(rk, nullptr);
}

// Without this callback librdkafka logs every failed commit; while a coordinator is away that
// is one line per batch. Say it once per kind of failure, and again when commits work again.
extern "C" void OnOffsetCommit(rd_kafka_t*, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t*, void* opaque) {
  ErrorCode& last = static_cast<Consumer::State*>(opaque)->last_commit_error;
  const ErrorCode code = Code(err);
  if (code == last || ClassifyError(code) == ErrorKind::kBenign) return;  // nothing to commit
  if (code != kNoError) {
    spdlog::warn(
        "[consumer] offset commits to the group are failing ({}); retried with the next one",
        ErrorString(code));
  } else {
    spdlog::info("[consumer] offset commits to the group work again");
  }
  last = code;
}

}  // namespace

void MessageDeleter::operator()(rd_kafka_message_s* m) const { rd_kafka_message_destroy(m); }

Message MessageBatch::operator[](size_t i) const {
  const rd_kafka_message_t& m = *messages_[i];
  Message out;
  out.error = Code(m.err);
  out.partition = m.partition;
  out.offset = m.offset;
  if (m.err == RD_KAFKA_RESP_ERR_NO_ERROR) {  // otherwise payload is librdkafka's error text
    if (m.key != nullptr) out.key = {static_cast<const char*>(m.key), m.key_len};
    if (m.payload != nullptr) out.value = {static_cast<const char*>(m.payload), m.len};
  }
  return out;
}

void MessageBatch::Clear() {
  for (rd_kafka_message_t* m : messages_) {
    if (m != nullptr) rd_kafka_message_destroy(m);  // null: released to the caller
  }
  messages_.clear();
}

Result<Consumer> Consumer::Create(const KafkaSettings& settings, const std::string& group_id,
                                  const std::vector<Property>& defaults,
                                  RebalanceListener* listener) {
  std::vector<Property> all = defaults;
  all.emplace_back("group.id", group_id);
  auto conf = settings.BuildConf(all);
  if (!conf.ok()) return conf.status();
  auto state = std::make_unique<State>();
  state->listener = listener;
  rd_kafka_conf_set_rebalance_cb(conf->get(), OnRebalance);
  rd_kafka_conf_set_error_cb(conf->get(), OnConsumerError);
  rd_kafka_conf_set_offset_commit_cb(conf->get(), OnOffsetCommit);
  rd_kafka_conf_set_opaque(conf->get(), state.get());
  char error[512];
  state->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), error, sizeof(error));
  if (state->rk == nullptr) return Status::InvalidArgument(fmt::format("consumer: {}", error));
  conf->release();
  rd_kafka_poll_set_consumer(state->rk);
  state->queue = rd_kafka_queue_get_consumer(state->rk);
  state->nudger = std::make_unique<FetchNudger>(state->rk);
  return Consumer(std::move(state));
}

Consumer::Consumer(std::unique_ptr<State> state) : state_(std::move(state)) {}
Consumer::Consumer(Consumer&&) noexcept = default;
Consumer& Consumer::operator=(Consumer&& other) noexcept {
  if (this != &other) {
    Destroy();
    state_ = std::move(other.state_);
  }
  return *this;
}
Consumer::~Consumer() { Destroy(); }

void Consumer::Destroy() {
  if (!state_) return;
  (void)Close();
  if (state_->queue != nullptr) rd_kafka_queue_destroy(state_->queue);
  rd_kafka_destroy(state_->rk);
  state_.reset();
}

Status Consumer::Subscribe(const std::string& topic) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(state_->rk, list.get());
  if (err) return Status::KafkaError(fmt::format("subscribe {}: {}", topic, rd_kafka_err2str(err)));
  return Status::Ok();
}

Status Consumer::Consume(int timeout_ms, size_t max_messages, MessageBatch& batch) {
  // rd_kafka_consume_batch_queue waits for the whole timeout unless max_messages arrive, which
  // would delay every message of a quiet stream: wait for the first one alone, then take what
  // else is already there without waiting.
  if (max_messages > 0) {
    if (rd_kafka_message_t* first = rd_kafka_consume_queue(state_->queue, timeout_ms)) {
      // Read after the wait: a fetch that arrived during it may have filled the queue.
      const size_t queued_before = rd_kafka_queue_length(state_->queue) + 1;
      const size_t start = batch.messages_.size();
      batch.messages_.push_back(first);
      const size_t before = batch.messages_.size();
      batch.messages_.resize(before + max_messages - 1);
      const ssize_t n = rd_kafka_consume_batch_queue(
          state_->queue, 0, batch.messages_.data() + before, max_messages - 1);
      batch.messages_.resize(before + static_cast<size_t>(std::max<ssize_t>(n, 0)));
      size_t bytes = 0;
      for (size_t i = start; i < batch.messages_.size(); ++i) bytes += batch.messages_[i]->len;
      state_->nudger->AfterTake(queued_before, rd_kafka_queue_length(state_->queue),
                                bytes / (batch.messages_.size() - start));
    }
  }
  if (!state_->listener_error.ok()) return state_->listener_error;
  char buf[512];
  if (rd_kafka_fatal_error(state_->rk, buf, sizeof(buf)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::KafkaError(fmt::format("fatal consumer error: {}", buf));
  }
  return Status::Ok();
}

Status Consumer::Commit(const std::string& topic, const std::vector<PartitionOffset>& next_offsets,
                        bool async) {
  if (next_offsets.empty()) return Status::Ok();
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(next_offsets.size())));
  for (const PartitionOffset& p : next_offsets) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p.partition)->offset = p.offset;
  }
  const rd_kafka_resp_err_t err = rd_kafka_commit(state_->rk, list.get(), async ? 1 : 0);
  if (err) return Status::KafkaError(fmt::format("commit: {}", rd_kafka_err2str(err)));
  return Status::Ok();
}

Status Consumer::CommitConsumed() {
  const rd_kafka_resp_err_t err = rd_kafka_commit(state_->rk, nullptr, 0);
  switch (ClassifyError(Code(err))) {
    case ErrorKind::kNone:
    case ErrorKind::kBenign:     // nothing consumed since the last commit
    case ErrorKind::kRebalance:  // the next commit carries the same positions
      return Status::Ok();
    default:
      break;
  }
  return Status::KafkaError(fmt::format("commit: {}", rd_kafka_err2str(err)));
}

Result<std::vector<PartitionOffset>> Consumer::Committed(const std::string& topic,
                                                         const std::vector<int32_t>& partitions,
                                                         int timeout_ms) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (int32_t p : partitions) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  const rd_kafka_resp_err_t err = rd_kafka_committed(state_->rk, list.get(), timeout_ms);
  if (err) return Status::KafkaError(fmt::format("committed offsets: {}", rd_kafka_err2str(err)));
  std::vector<PartitionOffset> out;
  for (int i = 0; i < list->cnt; ++i)
    out.push_back({list->elems[i].partition, list->elems[i].offset});
  return out;
}

Result<Watermarks> Consumer::QueryWatermarks(const std::string& topic, int32_t partition,
                                             int timeout_ms) {
  Watermarks w;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  rd_kafka_resp_err_t err;
  for (int attempt = 1;; ++attempt) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    // Attempts of at most 5 s, so a stop request is seen while a leader is away.
    err = rd_kafka_query_watermark_offsets(
        state_->rk, topic.c_str(), partition, &w.low, &w.high,
        static_cast<int>(std::clamp<int64_t>(left.count(), 100, 5000)));
    // A leader that just moved answers NOT_LEADER until the client's metadata catches up.
    const auto retry_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    // A stop request ends the wait: the caller then stops without these offsets.
    if (!err || ClassifyError(Code(err)) != ErrorKind::kRetriable || retry_at > deadline ||
        StopRequested()) {
      break;
    }
    if (attempt % 50 == 1) {  // every ~10 s
      spdlog::warn("[consumer] watermarks of {} [{}]: {}; retrying", topic, partition,
                   rd_kafka_err2str(err));
    }
    std::this_thread::sleep_until(retry_at);
  }
  if (err) {
    return Status::KafkaError(
        fmt::format("watermarks of {} [{}]: {}", topic, partition, rd_kafka_err2str(err)));
  }
  return w;
}

std::optional<Watermarks> Consumer::CachedWatermarks(const std::string& topic,
                                                     int32_t partition) const {
  Watermarks w;
  if (rd_kafka_get_watermark_offsets(state_->rk, topic.c_str(), partition, &w.low, &w.high) !=
          RD_KAFKA_RESP_ERR_NO_ERROR ||
      w.high < 0) {
    return std::nullopt;
  }
  return w;
}

Result<int> Consumer::PartitionCount(const std::string& topic, int timeout_ms) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(state_->rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(state_->rk, 0, rkt, &metadata, timeout_ms);
  rd_kafka_topic_destroy(rkt);
  if (err)
    return Status::KafkaError(fmt::format("metadata of {}: {}", topic, rd_kafka_err2str(err)));
  int count = -1;
  if (metadata->topic_cnt == 1 && !metadata->topics[0].err)
    count = metadata->topics[0].partition_cnt;
  const rd_kafka_resp_err_t topic_err =
      metadata->topic_cnt == 1 ? metadata->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
  rd_kafka_metadata_destroy(metadata);
  if (count < 0)
    return Status::KafkaError(fmt::format("topic {}: {}", topic, rd_kafka_err2str(topic_err)));
  return count;
}

Status Consumer::Seek(const std::string& topic, const std::vector<PartitionOffset>& positions,
                      int timeout_ms) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(positions.size())));
  for (const PartitionOffset& p : positions) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p.partition)->offset = p.offset;
  }
  rd_kafka_error_t* error = rd_kafka_seek_partitions(state_->rk, list.get(), timeout_ms);
  if (error != nullptr) {
    Status s = Status::KafkaError(fmt::format("seek: {}", rd_kafka_error_string(error)));
    rd_kafka_error_destroy(error);
    return s;
  }
  return Status::Ok();
}

uint64_t Consumer::fetch_nudges() const { return state_->nudger->nudges_sent(); }

std::vector<int32_t> Consumer::Assignment() const {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  std::vector<int32_t> out;
  if (rd_kafka_assignment(state_->rk, &raw) == RD_KAFKA_RESP_ERR_NO_ERROR && raw != nullptr) {
    PartitionListPtr list(raw);
    for (int i = 0; i < list->cnt; ++i) out.push_back(list->elems[i].partition);
  }
  return out;
}

Status Consumer::Close() {
  if (!state_ || state_->closed) return Status::Ok();
  state_->closed = true;
  state_->nudger->Stop();
  const rd_kafka_resp_err_t err = rd_kafka_consumer_close(state_->rk);
  if (err) return Status::KafkaError(fmt::format("close: {}", rd_kafka_err2str(err)));
  return Status::Ok();
}

}  // namespace orderflow::kafka

// A move-only RAII Kafka consumer in a consumer group (librdkafka high-level consumer):
// subscribe, batch consumption, a rebalance listener that chooses where each assigned partition
// starts (the processor's checkpoints), offset commits, watermarks, clean close.
// One thread only: the listener runs inside Consume() on the caller's thread.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "kafka/kafka_errors.h"
#include "kafka/kafka_settings.h"

namespace orderflow::kafka {

struct PartitionOffset {
  int32_t partition = 0;
  int64_t offset = RD_KAFKA_OFFSET_INVALID;  // or RD_KAFKA_OFFSET_BEGINNING / _END
};

class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  // Partitions were assigned to this member: set each one's start offset (leave INVALID to
  // use the group's committed offset). A non-OK status stops consumption: Consume returns it.
  virtual Status OnAssigned(std::vector<PartitionOffset>& partitions) = 0;
  // Partitions are being taken away: finish (or drop) the work on them now; they are gone
  // when this returns.
  virtual void OnRevoked(const std::vector<int32_t>& partitions) = 0;
};

struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
// A consumed message owned on its own (taken out of a MessageBatch with Release).
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

// Owns consumed messages until cleared; messages are destroyed with the batch.
class MessageBatch {
 public:
  MessageBatch() = default;
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch() { Clear(); }
  void Clear();
  size_t size() const { return messages_.size(); }
  // Takes message i out of the batch: the caller now owns it.
  rd_kafka_message_t* Release(size_t i) {
    rd_kafka_message_t* m = messages_[i];
    messages_[i] = nullptr;
    return m;
  }
  rd_kafka_message_t* operator[](size_t i) const { return messages_[i]; }

 private:
  friend class Consumer;
  std::vector<rd_kafka_message_t*> messages_;
};

struct Watermarks {
  int64_t low = 0;
  int64_t high = 0;
};

class Consumer {
 public:
  // `listener` may be null (then assignments start at committed offsets); it must outlive the
  // consumer. InvalidArgument for bad properties.
  static Result<Consumer> Create(const KafkaSettings& settings, const std::string& group_id,
                                 const std::vector<Property>& defaults,
                                 RebalanceListener* listener);
  Consumer(Consumer&&) noexcept;
  Consumer& operator=(Consumer&&) noexcept;
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;
  ~Consumer();  // closes (leaving the group) if Close() was not called; never throws

  Status Subscribe(const std::string& topic);
  // Appends up to `max_messages` messages to `batch`: waits at most timeout_ms for the first,
  // then takes those already fetched without waiting. Messages may carry an error (rkmessage->err: partition EOF, offset reset, broker
  // errors) for the caller to sort. Returns a listener's failure, or a fatal consumer error.
  Status Consume(int timeout_ms, size_t max_messages, MessageBatch& batch);
  // Commits next-offsets for the subscribed topic (synchronously unless async).
  Status Commit(const std::string& topic, const std::vector<PartitionOffset>& next_offsets,
                bool async);
  // Commits the positions of everything consumed so far (auto offset store). A rebalance in
  // progress or nothing to commit is not an error (returns OK); other failures are KafkaError.
  Status CommitConsumed();
  // The group's committed offsets for these partitions of `topic` (INVALID when none).
  Result<std::vector<PartitionOffset>> Committed(const std::string& topic,
                                                 const std::vector<int32_t>& partitions,
                                                 int timeout_ms);
  // Low and high watermarks. Retriable errors (a leader that just moved, a broker briefly
  // away) are retried until timeout_ms; KafkaError after that or for any other error.
  Result<Watermarks> QueryWatermarks(const std::string& topic, int32_t partition, int timeout_ms);
  // Number of partitions of `topic` from the cluster's metadata.
  Result<int> PartitionCount(const std::string& topic, int timeout_ms);
  // Moves the fetch position of assigned partitions (e.g. past data lost to retention).
  Status Seek(const std::string& topic, const std::vector<PartitionOffset>& positions, int timeout_ms);
  // Partitions currently assigned to this member.
  std::vector<int32_t> Assignment() const;
  // Leaves the group (revoking partitions through the listener) and closes. Idempotent.
  Status Close();

  rd_kafka_t* handle() const { return state_->rk; }

 private:
  struct State {
    rd_kafka_t* rk = nullptr;
    rd_kafka_queue_t* queue = nullptr;
    RebalanceListener* listener = nullptr;
    Status listener_error;
    bool closed = false;
    rd_kafka_resp_err_t last_commit_error = RD_KAFKA_RESP_ERR_NO_ERROR;  // logged once per kind
  };
  explicit Consumer(std::unique_ptr<State> state);
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque);
  static void OnOffsetCommit(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t* offsets, void* opaque);
  void Destroy();

  std::unique_ptr<State> state_;
};

}  // namespace orderflow::kafka

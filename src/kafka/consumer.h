// A move-only RAII Kafka consumer in a consumer group (librdkafka high-level consumer):
// subscribe, batch consumption, a rebalance listener that chooses where each assigned partition
// starts (the processor's checkpoints), offset commits, watermarks, clean close.
// One thread only: the listener runs inside Consume() on the caller's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "kafka/kafka_errors.h"
#include "kafka/kafka_settings.h"

struct rd_kafka_message_s;  // librdkafka's message, owned by MessageBatch and MessagePtr

namespace orderflow::kafka {

// Logical offsets (librdkafka's values).
inline constexpr int64_t kOffsetBeginning = -2;   // the partition's first offset
inline constexpr int64_t kOffsetEnd = -1;         // the partition's end (the next new message)
inline constexpr int64_t kOffsetInvalid = -1001;  // none: e.g. no committed offset

struct PartitionOffset {
  int32_t partition = 0;
  int64_t offset = kOffsetInvalid;  // or kOffsetBeginning / kOffsetEnd
};

class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  // Partitions were assigned to this member: set each one's start offset (leave kOffsetInvalid to
  // use the group's committed offset). A non-OK status stops consumption: Consume returns it.
  virtual Status OnAssigned(std::vector<PartitionOffset>& partitions) = 0;
  // Partitions are being taken away: finish (or drop) the work on them now; they are gone
  // when this returns.
  virtual void OnRevoked(const std::vector<int32_t>& partitions) = 0;
};

// A consumed message as the rest of the code sees it: views into a message owned by its
// MessageBatch (or by the MessagePtr taken out of it), valid as long as that owner.
struct Message {
  // kNoError for a message. Otherwise this is an event, not a message: the end of a partition,
  // a position off the log, a broker error. Sort it with ClassifyError.
  ErrorCode error = kNoError;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string_view key;    // empty when there is none (and for an event)
  std::string_view value;  // the payload; empty when null (and for an event)
};

struct MessageDeleter {
  void operator()(rd_kafka_message_s* m) const;
};
// A consumed message owned on its own (taken out of a MessageBatch with Release): keeps the
// views of its Message valid until it is destroyed.
using MessagePtr = std::unique_ptr<rd_kafka_message_s, MessageDeleter>;

// Owns consumed messages until cleared; messages are destroyed with the batch.
class MessageBatch {
 public:
  MessageBatch() = default;
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch() { Clear(); }
  void Clear();
  size_t size() const { return messages_.size(); }
  // Message i. REQUIRES i < size() and message i not released.
  Message operator[](size_t i) const;
  // Takes message i out of the batch: the caller now owns it.
  MessagePtr Release(size_t i) {
    MessagePtr m(messages_[i]);
    messages_[i] = nullptr;
    return m;
  }

 private:
  friend class Consumer;
  std::vector<rd_kafka_message_s*> messages_;
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
  // then takes those already fetched without waiting. Messages may carry an error (Message::error:
  // partition EOF, offset reset, broker errors) for the caller to sort with ClassifyError.
  // Returns a listener's failure, or a fatal consumer error.
  Status Consume(int timeout_ms, size_t max_messages, MessageBatch& batch);
  // Commits next-offsets for the subscribed topic (synchronously unless async).
  Status Commit(const std::string& topic, const std::vector<PartitionOffset>& next_offsets,
                bool async);
  // Commits the positions of everything consumed so far (auto offset store). A rebalance in
  // progress or nothing to commit is not an error (returns OK); other failures are KafkaError.
  Status CommitConsumed();
  // The group's committed offsets for these partitions of `topic` (kOffsetInvalid when none).
  Result<std::vector<PartitionOffset>> Committed(const std::string& topic,
                                                 const std::vector<int32_t>& partitions,
                                                 int timeout_ms);
  // Low and high watermarks. Retriable errors (a leader that just moved, a broker briefly
  // away) are retried until timeout_ms; KafkaError after that or for any other error.
  Result<Watermarks> QueryWatermarks(const std::string& topic, int32_t partition, int timeout_ms);
  // The watermarks the consumer last saw in its fetches, without asking the cluster (cheap: for
  // lag figures). nullopt while it has fetched nothing from the partition yet.
  std::optional<Watermarks> CachedWatermarks(const std::string& topic, int32_t partition) const;
  // Number of partitions of `topic` from the cluster's metadata.
  Result<int> PartitionCount(const std::string& topic, int timeout_ms);
  // Moves the fetch position of assigned partitions (e.g. past data lost to retention).
  Status Seek(const std::string& topic, const std::vector<PartitionOffset>& positions,
              int timeout_ms);
  // Partitions currently assigned to this member.
  std::vector<int32_t> Assignment() const;
  // How often a drained pre-fetch queue had librdkafka's fetchers woken (kafka/fetch_nudger.h).
  uint64_t fetch_nudges() const;
  // Leaves the group (revoking partitions through the listener) and closes. Idempotent.
  Status Close();

  struct State;  // opaque: the librdkafka handles and what their callbacks share

 private:
  explicit Consumer(std::unique_ptr<State> state);
  void Destroy();

  std::unique_ptr<State> state_;
};

}  // namespace orderflow::kafka

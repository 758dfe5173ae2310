// A move-only RAII Kafka producer over librdkafka (kcat's lifecycle): produce with retry on a
// full queue, delivery reports folded into counters (and each ack's latency handed to a
// listener), flush on close. One thread only: Produce, Poll and Flush run the delivery callbacks
// on the caller's thread, so the statistics need no locks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "kafka/kafka_errors.h"
#include "kafka/kafka_settings.h"

namespace orderflow::kafka {

struct DeliveryStats {
  uint64_t sent_ok = 0;
  uint64_t sent_error = 0;
  std::string last_error;  // the most recent delivery failure, for the log
};

// Told of every acknowledged message, inside Produce, Poll or Flush on the producer's thread.
class DeliveryListener {
 public:
  virtual ~DeliveryListener() = default;
  // A message was acknowledged `ack_ms` milliseconds after it was enqueued.
  virtual void OnAcked(double ack_ms) = 0;
};

class Producer {
 public:
  // Creates a producer for `topic`. `defaults` are applied before the user's -X properties.
  // `listener` may be null; it must outlive the producer. InvalidArgument for bad properties;
  // KafkaError when librdkafka cannot create the client.
  static Result<Producer> Create(const KafkaSettings& settings, const std::string& topic,
                                 const std::vector<Property>& defaults,
                                 DeliveryListener* listener = nullptr);

  Producer(Producer&&) noexcept;
  Producer& operator=(Producer&&) noexcept;
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;
  ~Producer();  // flushes for up to 10 s, then destroys; never throws

  // Enqueues one message (copied). When the local queue is full it serves delivery reports
  // and retries until there is room or `keep_trying` returns false (then Aborted is reported
  // as a KafkaError). A fatal client error (e.g. idempotence violated) is returned as
  // KafkaError and the producer must not be used further.
  template <typename KeepTrying>
  Status Produce(std::string_view key, std::string_view value, KeepTrying keep_trying) {
    for (;;) {
      const ErrorCode err = Enqueue(key, value);
      if (err == kNoError) return Status::Ok();
      if (ClassifyError(err) != ErrorKind::kQueueFull) return EnqueueError(err);
      Poll(1);
      if (!keep_trying()) return Status::KafkaError("stopped while the producer queue was full");
    }
  }

  // Serves delivery reports, waiting up to timeout_ms for one.
  void Poll(int timeout_ms);
  // Waits until every message is delivered or failed. KafkaError when time runs out.
  Status Flush(int timeout_ms);
  // Gives up on every message not yet acknowledged (queued or in flight, after a Flush that
  // timed out): each gets a failed delivery report (counted in sent_error) and will not be
  // sent or retried afterwards. Waits up to timeout_ms for those reports to be served.
  void PurgeUndelivered(int timeout_ms);
  // Messages enqueued but not yet acknowledged or failed.
  int InFlight() const;
  // How long librdkafka keeps retrying a message (message.timeout.ms, -X overridable): a flush
  // that waits this long (plus a margin) ends with every message delivered or failed.
  int DeliveryTimeoutMs() const;
  // A fatal error raised by librdkafka (idempotent producer), or OK.
  Status FatalError() const;

  const DeliveryStats& stats() const;

  struct State;  // opaque: the librdkafka handles and what the delivery callback updates

 private:
  explicit Producer(std::unique_ptr<State> state);
  ErrorCode Enqueue(std::string_view key, std::string_view value);
  Status EnqueueError(ErrorCode err) const;
  void Destroy();

  std::unique_ptr<State> state_;  // stable address: librdkafka's opaque points to it
};

}  // namespace orderflow::kafka

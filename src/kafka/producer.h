// A move-only RAII Kafka producer over librdkafka (kcat's lifecycle): produce with retry on a
// full queue, delivery reports folded into counters and an ack-latency histogram, flush on
// close. One thread only: Produce, Poll and Flush run the delivery callbacks on the caller's
// thread, so the statistics need no locks.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "kafka/kafka_errors.h"
#include "kafka/kafka_settings.h"
#include "metrics/latency_histogram.h"

namespace orderflow::kafka {

struct DeliveryStats {
  uint64_t sent_ok = 0;
  uint64_t sent_error = 0;
  metrics::LatencyHistogram ack_ms;
  std::string last_error;  // the most recent delivery failure, for the log
};

class Producer {
 public:
  // Creates a producer for `topic`. `defaults` are applied before the user's -X properties.
  // InvalidArgument for bad properties; KafkaError when librdkafka cannot create the client.
  static Result<Producer> Create(const KafkaSettings& settings, const std::string& topic,
                                 const std::vector<Property>& defaults);

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
      const rd_kafka_resp_err_t err = Enqueue(key, value);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
      if (ClassifyError(static_cast<ErrorCode>(err)) != ErrorKind::kQueueFull) {
        return EnqueueError(err);
      }
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

  const DeliveryStats& stats() const { return state_->stats; }

 private:
  struct State {
    rd_kafka_t* rk = nullptr;
    rd_kafka_topic_t* topic = nullptr;
    DeliveryStats stats;
  };
  explicit Producer(std::unique_ptr<State> state);
  rd_kafka_resp_err_t Enqueue(std::string_view key, std::string_view value);
  Status EnqueueError(rd_kafka_resp_err_t err) const;
  void Destroy();

  std::unique_ptr<State> state_;  // stable address: librdkafka's opaque points to it
};

}  // namespace orderflow::kafka

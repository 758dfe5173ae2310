#include "kafka/producer.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace orderflow::kafka {

struct Producer::State {
  rd_kafka_t* rk = nullptr;
  rd_kafka_topic_t* topic = nullptr;
  DeliveryStats stats;
  DeliveryListener* listener = nullptr;
};

namespace {

// Delivery report: runs inside rd_kafka_poll/flush on the producer's thread.
extern "C" void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* state = static_cast<Producer::State*>(opaque);
  if (message->err) {
    ++state->stats.sent_error;
    state->stats.last_error = ErrorString(static_cast<ErrorCode>(message->err));
    return;
  }
  ++state->stats.sent_ok;
  // From the produce call, by librdkafka's own enqueue time: no clock read of ours per message.
  const int64_t latency_us = rd_kafka_message_latency(message);
  if (state->listener != nullptr && latency_us >= 0) {
    state->listener->OnAcked(static_cast<double>(latency_us) / 1e3);
  }
}

// Client-level errors: most are transient (a broker went away, a leader moved) and librdkafka
// retries them itself; we log them so a degraded cluster is visible.
extern "C" void OnError(rd_kafka_t* rk, int err, const char* reason, void*) {
  const ErrorCode code = static_cast<ErrorCode>(err);
  if (ClassifyError(code) == ErrorKind::kFatal) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof(buf));
    spdlog::error("[producer] fatal: {}", buf);
    return;
  }
  spdlog::warn("[producer] {} ({})", reason, ErrorName(code));
}

}  // namespace

Result<Producer> Producer::Create(const KafkaSettings& settings, const std::string& topic,
                                  const std::vector<Property>& defaults,
                                  DeliveryListener* listener) {
  auto conf = settings.BuildConf(defaults);
  if (!conf.ok()) return conf.status();
  auto state = std::make_unique<State>();
  state->listener = listener;
  rd_kafka_conf_set_dr_msg_cb(conf->get(), OnDelivery);
  rd_kafka_conf_set_error_cb(conf->get(), OnError);
  rd_kafka_conf_set_opaque(conf->get(), state.get());
  char error[512];
  state->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), error, sizeof(error));
  if (state->rk == nullptr) return Status::InvalidArgument(fmt::format("producer: {}", error));
  conf->release();  // owned by rk now
  state->topic = rd_kafka_topic_new(state->rk, topic.c_str(), nullptr);
  if (state->topic == nullptr) {
    rd_kafka_destroy(state->rk);
    return Status::InvalidArgument(
        fmt::format("topic {}: {}", topic, rd_kafka_err2str(rd_kafka_last_error())));
  }
  return Producer(std::move(state));
}

Producer::Producer(std::unique_ptr<State> state) : state_(std::move(state)) {}
Producer::Producer(Producer&&) noexcept = default;
Producer& Producer::operator=(Producer&& other) noexcept {
  if (this != &other) {
    Destroy();
    state_ = std::move(other.state_);
  }
  return *this;
}
Producer::~Producer() { Destroy(); }

void Producer::Destroy() {
  if (!state_) return;
  if (state_->rk != nullptr) {
    rd_kafka_flush(state_->rk, 10000);
    rd_kafka_topic_destroy(state_->topic);
    rd_kafka_destroy(state_->rk);
  }
  state_.reset();
}

ErrorCode Producer::Enqueue(std::string_view key, std::string_view value) {
  const int rc = rd_kafka_produce(state_->topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                                  const_cast<char*>(value.data()), value.size(), key.data(),
                                  key.size(), nullptr);
  return rc == 0 ? kNoError : static_cast<ErrorCode>(rd_kafka_last_error());
}

Status Producer::EnqueueError(ErrorCode err) const {
  if (ClassifyError(err) == ErrorKind::kFatal) return FatalError();
  return Status::KafkaError(fmt::format("produce: {}", ErrorString(err)));
}

const DeliveryStats& Producer::stats() const { return state_->stats; }

void Producer::Poll(int timeout_ms) { rd_kafka_poll(state_->rk, timeout_ms); }

Status Producer::Flush(int timeout_ms) {
  const rd_kafka_resp_err_t err = rd_kafka_flush(state_->rk, timeout_ms);
  if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    return Status::KafkaError(fmt::format("flush: {} messages still undelivered after {} ms",
                                          rd_kafka_outq_len(state_->rk), timeout_ms));
  }
  return Status::Ok();
}

void Producer::PurgeUndelivered(int timeout_ms) {
  if (rd_kafka_outq_len(state_->rk) == 0) return;
  const rd_kafka_resp_err_t err =
      rd_kafka_purge(state_->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("[producer] purge: {}", rd_kafka_err2str(err));
    return;
  }
  // The purged messages' delivery reports (RD_KAFKA_RESP_ERR__PURGE_*) are served here.
  (void)rd_kafka_flush(state_->rk, timeout_ms);
}

int Producer::InFlight() const { return rd_kafka_outq_len(state_->rk); }

int Producer::DeliveryTimeoutMs() const {
  char value[32];
  size_t size = sizeof(value);
  if (rd_kafka_conf_get(rd_kafka_conf(state_->rk), "message.timeout.ms", value, &size) !=
      RD_KAFKA_CONF_OK) {
    return 300000;  // librdkafka's default
  }
  return std::atoi(value);
}

Status Producer::FatalError() const {
  char buf[512];
  const rd_kafka_resp_err_t err = rd_kafka_fatal_error(state_->rk, buf, sizeof(buf));
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
  return Status::KafkaError(fmt::format("fatal producer error: {}", buf));
}

}  // namespace orderflow::kafka

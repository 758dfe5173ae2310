#include "kafka/embedded_cluster.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

namespace orderflow::kafka {
namespace {

constexpr int kProduceApiKey = 0;

Status FromErr(rd_kafka_resp_err_t err, std::string_view what) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
  return Status::InvalidArgument(fmt::format("{}: {}", what, rd_kafka_err2str(err)));
}

}  // namespace

Result<EmbeddedCluster> EmbeddedCluster::Start(int brokers) {
  if (brokers < 1 || brokers > 16) {
    return Status::InvalidArgument(fmt::format("--brokers {}: must be 1..16", brokers));
  }
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The host handle never talks to a cluster itself; keep it quiet.
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof(error));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (rk == nullptr) return Status::KafkaError(fmt::format("embedded cluster: {}", error));
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (cluster == nullptr) {
    rd_kafka_destroy(rk);
    return Status::KafkaError("embedded cluster: could not start the mock brokers");
  }
  return EmbeddedCluster(rk, cluster, brokers);
}

EmbeddedCluster::EmbeddedCluster(rd_kafka_t* rk, rd_kafka_mock_cluster_t* cluster, int brokers)
    : rk_(rk), cluster_(cluster), brokers_(brokers) {}

EmbeddedCluster::EmbeddedCluster(EmbeddedCluster&& other) noexcept
    : rk_(std::exchange(other.rk_, nullptr)),
      cluster_(std::exchange(other.cluster_, nullptr)),
      brokers_(other.brokers_) {}

EmbeddedCluster& EmbeddedCluster::operator=(EmbeddedCluster&& other) noexcept {
  if (this != &other) {
    Destroy();
    rk_ = std::exchange(other.rk_, nullptr);
    cluster_ = std::exchange(other.cluster_, nullptr);
    brokers_ = other.brokers_;
  }
  return *this;
}

EmbeddedCluster::~EmbeddedCluster() { Destroy(); }

void EmbeddedCluster::Destroy() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
  if (rk_ != nullptr) rd_kafka_destroy(rk_);
  cluster_ = nullptr;
  rk_ = nullptr;
}

std::string EmbeddedCluster::bootstrap_servers() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

Status EmbeddedCluster::CreateTopic(const std::string& name, int partitions,
                                    int replication_factor) {
  if (partitions < 1 || partitions > 10000) {
    return Status::InvalidArgument(fmt::format("--partitions {}: must be 1..10000", partitions));
  }
  if (replication_factor < 1 || replication_factor > brokers_) {
    return Status::InvalidArgument(
        fmt::format("--replication-factor {}: must be 1..{} (the number of brokers)",
                    replication_factor, brokers_));
  }
  return FromErr(rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, replication_factor),
                 fmt::format("create topic {}", name));
}

Status EmbeddedCluster::SetBrokerDown(int broker_id) {
  return FromErr(rd_kafka_mock_broker_set_down(cluster_, broker_id),
                 fmt::format("broker {} down", broker_id));
}

Status EmbeddedCluster::SetBrokerUp(int broker_id) {
  return FromErr(rd_kafka_mock_broker_set_up(cluster_, broker_id),
                 fmt::format("broker {} up", broker_id));
}

Status EmbeddedCluster::SetPartitionLeader(const std::string& topic, int partition, int broker_id) {
  return FromErr(rd_kafka_mock_partition_set_leader(cluster_, topic.c_str(), partition, broker_id),
                 fmt::format("leader of {} [{}] -> {}", topic, partition, broker_id));
}

Status EmbeddedCluster::PushRequestErrors(int api_key, int error, int count) {
  if (count < 1 || count > 100000) return Status::InvalidArgument("error count must be 1..100000");
  std::vector<rd_kafka_resp_err_t> errors(static_cast<size_t>(count),
                                          static_cast<rd_kafka_resp_err_t>(error));
  rd_kafka_mock_push_request_errors_array(cluster_, static_cast<int16_t>(api_key), errors.size(),
                                          errors.data());
  if (api_key == kProduceApiKey) {
    // librdkafka's mock checks idempotent sequence numbers only for transactional producers. A
    // real broker rejects the batches pipelined behind a failed one (OUT_OF_ORDER_SEQUENCE_NUMBER)
    // and the client retries them in order; the mock accepts them, and librdkafka then counts the
    // failed batch as delivered ("implicitly acked by subsequent batch success").
    spdlog::warn(
        "[broker] {} Produce errors injected: this embedded cluster does not check idempotent "
        "sequence numbers, so a producer with more than one request in flight can lose the "
        "failed batches; run producers with -X max.in.flight.requests.per.connection=1 while "
        "injecting Produce errors",
        count);
  }
  return Status::Ok();
}

Status EmbeddedCluster::SetBrokerRtt(int broker_id, int rtt_ms) {
  return FromErr(rd_kafka_mock_broker_set_rtt(cluster_, broker_id, rtt_ms),
                 fmt::format("broker {} rtt", broker_id));
}

}  // namespace orderflow::kafka

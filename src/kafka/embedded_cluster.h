// An in-process Kafka-protocol cluster (librdkafka's mock cluster): real Kafka wire protocol on
// loopback TCP, in-memory, bounded retention. For development, demos and tests, never for
// production. Also exposes the mock's fault controls (broker down/up, leader moves, injected
// request errors). Move-only; the fault controls are safe for concurrent use (the mock cluster
// serialises them on its own thread).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

struct rd_kafka_s;               // librdkafka's client handle (rd_kafka_t)
struct rd_kafka_mock_cluster_s;  // and its mock cluster (rd_kafka_mock_cluster_t)

namespace orderflow::kafka {

class EmbeddedCluster {
 public:
  // Starts `brokers` brokers (ids 1..brokers) on ephemeral loopback ports.
  static Result<EmbeddedCluster> Start(int brokers);
  EmbeddedCluster(EmbeddedCluster&&) noexcept;
  EmbeddedCluster& operator=(EmbeddedCluster&&) noexcept;
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;
  ~EmbeddedCluster();

  // "127.0.0.1:PORT,127.0.0.1:PORT".
  std::string bootstrap_servers() const;
  int broker_count() const { return brokers_; }

  // Creates a topic. InvalidArgument for a bad count or factor (factor > brokers).
  Status CreateTopic(const std::string& name, int partitions, int replication_factor);
  Status SetBrokerDown(int broker_id);
  Status SetBrokerUp(int broker_id);
  Status SetPartitionLeader(const std::string& topic, int partition, int broker_id);
  // The next `count` requests of Kafka API `api_key` (0 = Produce, 1 = Fetch, 8 = OffsetCommit,
  // 11 = JoinGroup, ...) fail with `error` (a Kafka error code, e.g. 6 NOT_LEADER_OR_FOLLOWER).
  // Produce errors log a warning: the mock does not check idempotent sequence numbers.
  Status PushRequestErrors(int api_key, int error, int count);
  Status SetBrokerRtt(int broker_id, int rtt_ms);

 private:
  EmbeddedCluster(rd_kafka_s* rk, rd_kafka_mock_cluster_s* cluster, int brokers);
  void Destroy();
  rd_kafka_s* rk_ = nullptr;  // the handle the mock cluster lives on
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
  int brokers_ = 0;
};

}  // namespace orderflow::kafka

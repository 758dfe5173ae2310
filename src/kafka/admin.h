// Topic administration on any Kafka cluster through librdkafka's Admin API (like
// kafka-topics): create, delete, describe. Each call makes a short-lived client.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "kafka/kafka_settings.h"

namespace orderflow::kafka {

struct PartitionDescription {
  int32_t id = 0;
  int32_t leader = -1;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isrs;
  int64_t low = -1, high = -1;  // watermarks (-1 when they could not be read)
  std::string error;            // empty when healthy
};

struct TopicDescription {
  std::string name;
  std::vector<std::string> brokers;  // "id@host:port"
  std::vector<PartitionDescription> partitions;
};

Status CreateTopic(const KafkaSettings& settings, const std::string& name, int partitions,
                   int replication_factor, int timeout_ms);
Status DeleteTopic(const KafkaSettings& settings, const std::string& name, int timeout_ms);
// NotFound when the topic does not exist.
Result<TopicDescription> DescribeTopic(const KafkaSettings& settings, const std::string& name,
                                       int timeout_ms);

}  // namespace orderflow::kafka

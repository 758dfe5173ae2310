// Topic and group administration on any Kafka cluster through librdkafka's Admin API (like
// kafka-topics and kafka-consumer-groups): create, delete, describe and list topics, delete
// consumer groups. Each call makes a short-lived client.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
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

// Topic-level settings given at creation (retention.bytes, min.insync.replicas, ...).
using TopicConfig = std::vector<std::pair<std::string, std::string>>;

// AlreadyExists when the topic exists (also while a deletion of it is still in progress);
// InvalidArgument when the cluster rejects the partitions, replication factor or a setting.
Status CreateTopic(const KafkaSettings& settings, const std::string& name, int partitions,
                   int replication_factor, const TopicConfig& config, int timeout_ms);
// NotFound when the topic does not exist.
Status DeleteTopic(const KafkaSettings& settings, const std::string& name, int timeout_ms);
// Names of the cluster's topics, sorted; internal ones (starting with "__") left out.
Result<std::vector<std::string>> ListTopics(const KafkaSettings& settings, int timeout_ms);
// Deletes consumer groups and their committed offsets. A group that does not exist is not an
// error (NotFound is swallowed); a group with live members fails with its broker's message.
Status DeleteGroups(const KafkaSettings& settings, const std::vector<std::string>& groups,
                    int timeout_ms);
// NotFound when the topic does not exist.
Result<TopicDescription> DescribeTopic(const KafkaSettings& settings, const std::string& name,
                                       int timeout_ms);

}  // namespace orderflow::kafka

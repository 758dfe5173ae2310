// orderflow topic create|describe|delete: like kafka-topics, on any Kafka cluster through the
// Admin API; on the embedded cluster (which lacks CreateTopics) through its control endpoint.
#include <fmt/format.h>
#include <httplib.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/kafka_flags.h"
#include "kafka/admin.h"
#include "kafka/bootstrap.h"

namespace orderflow::cli {
namespace {

struct TopicFlags {
  KafkaFlags kafka;
  std::string action;
  int partitions = 6;
  int replication_factor = 2;
  int timeout_ms = 10000;
};

Status CreateOnEmbedded(const std::string& control, const TopicFlags& flags) {
  httplib::Client client("http://" + control);
  client.set_connection_timeout(5);
  auto res =
      client.Post(fmt::format("/topics/{}?partitions={}&replication_factor={}", flags.kafka.topic,
                              flags.partitions, flags.replication_factor));
  if (!res)
    return Status::KafkaError(
        fmt::format("embedded broker control endpoint {} unreachable", control));
  if (res->status != 200) return Status::InvalidArgument(res->body.substr(0, res->body.find('\n')));
  return Status::Ok();
}

std::string JoinIds(const std::vector<int32_t>& ids) {
  std::string out;
  for (int32_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

int RunTopic(const TopicFlags& flags) {
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return ReportFailure("topic", settings.status());
  const std::string control =
      kafka::EmbeddedControlAddress(settings->bootstrap_servers, flags.kafka.data_dir);
  if (flags.action == "create") {
    const Status s = control.empty()
                         ? kafka::CreateTopic(*settings, flags.kafka.topic, flags.partitions,
                                              flags.replication_factor, flags.timeout_ms)
                         : CreateOnEmbedded(control, flags);
    if (!s.ok()) return ReportFailure("topic", s);
    std::printf("Created topic %s (%d partitions, replication factor %d)\n",
                flags.kafka.topic.c_str(), flags.partitions, flags.replication_factor);
    return 0;
  }
  if (flags.action == "delete") {
    if (!control.empty()) {
      return ReportFailure(
          "topic",
          Status::KafkaError("the embedded cluster cannot delete topics (librdkafka's mock "
                             "brokers lack DeleteTopics); restart `orderflow broker` instead"));
    }
    if (Status s = kafka::DeleteTopic(*settings, flags.kafka.topic, flags.timeout_ms); !s.ok()) {
      return ReportFailure("topic", s);
    }
    std::printf("Deleted topic %s\n", flags.kafka.topic.c_str());
    return 0;
  }
  auto described = kafka::DescribeTopic(*settings, flags.kafka.topic, flags.timeout_ms);
  if (!described.ok()) return ReportFailure("topic", described.status());
  int64_t messages = 0;
  for (const auto& p : described->partitions) messages += std::max<int64_t>(p.high - p.low, 0);
  std::printf("Topic: %s\tPartitionCount: %zu\tReplicationFactor: %zu\tMessages: %lld\n",
              described->name.c_str(), described->partitions.size(),
              described->partitions.empty() ? size_t{0} : described->partitions[0].replicas.size(),
              static_cast<long long>(messages));
  for (const auto& p : described->partitions) {
    std::printf("\tPartition: %d\tLeader: %d\tReplicas: %s\tIsr: %s\tOffsets: %lld-%lld%s%s\n",
                p.id, p.leader, JoinIds(p.replicas).c_str(), JoinIds(p.isrs).c_str(),
                static_cast<long long>(p.low), static_cast<long long>(p.high),
                p.error.empty() ? "" : "\tError: ", p.error.c_str());
  }
  std::string brokers;
  for (const auto& b : described->brokers) brokers += (brokers.empty() ? "" : " ") + b;
  std::printf("Brokers: %s\n", brokers.c_str());
  return 0;
}

}  // namespace

void AddTopicCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<TopicFlags>();
  CLI::App* cmd =
      app.add_subcommand("topic", "Create, describe or delete a topic (like kafka-topics)");
  cmd->add_option("action", flags->action, "create | describe | delete")
      ->required()
      ->check(CLI::IsMember({"create", "describe", "delete"}));
  AddKafkaFlags(*cmd, flags->kafka);
  cmd->add_option("--partitions", flags->partitions, "Partitions (create)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--replication-factor", flags->replication_factor, "Replication factor (create)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_option("--timeout-ms", flags->timeout_ms, "How long to wait for the cluster")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunTopic(*flags); });
}

}  // namespace orderflow::cli

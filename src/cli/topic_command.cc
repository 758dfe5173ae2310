// orderflow topic create|describe|delete|list: like kafka-topics, on any Kafka cluster through
// the Admin API; on the embedded cluster (which lacks CreateTopics) through its control endpoint.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/kafka_flags.h"
#include "kafka/admin.h"
#include "kafka/bootstrap.h"

namespace orderflow::cli {
namespace {

struct TopicFlags {
  KafkaFlags kafka;
  std::string action;
  bool if_not_exists = false;
  std::vector<std::string> configs;  // KEY=VALUE topic settings for create
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

Result<kafka::TopicConfig> ParseTopicConfig(const std::vector<std::string>& configs) {
  kafka::TopicConfig out;
  for (const std::string& c : configs) {
    const size_t eq = c.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == c.size()) {
      return Status::InvalidArgument(
          fmt::format("--config {}: expected KEY=VALUE (e.g. retention.bytes=1048576)", c));
    }
    out.emplace_back(c.substr(0, eq), c.substr(eq + 1));
  }
  return out;
}

// Prints the topic as kafka-topics --describe does, plus each partition's offsets.
void PrintDescription(const kafka::TopicDescription& described) {
  int64_t messages = 0;
  for (const auto& p : described.partitions) messages += std::max<int64_t>(p.high - p.low, 0);
  std::printf("Topic: %s\tPartitionCount: %zu\tReplicationFactor: %zu\tMessages: %lld\n",
              described.name.c_str(), described.partitions.size(),
              described.partitions.empty() ? size_t{0} : described.partitions[0].replicas.size(),
              static_cast<long long>(messages));
  for (const auto& p : described.partitions) {
    std::printf("\tPartition: %d\tLeader: %d\tReplicas: %s\tIsr: %s\tOffsets: %lld-%lld%s%s\n",
                p.id, p.leader, JoinIds(p.replicas).c_str(), JoinIds(p.isrs).c_str(),
                static_cast<long long>(p.low), static_cast<long long>(p.high),
                p.error.empty() ? "" : "\tError: ", p.error.c_str());
  }
  std::string brokers;
  for (const auto& b : described.brokers) brokers += (brokers.empty() ? "" : " ") + b;
  std::printf("Brokers: %s\n", brokers.c_str());
}

int DescribeAndPrint(const kafka::KafkaSettings& settings, const TopicFlags& flags) {
  auto described = kafka::DescribeTopic(settings, flags.kafka.topic, flags.timeout_ms);
  if (!described.ok()) return ReportFailure("topic", described.status());
  PrintDescription(*described);
  return 0;
}

int RunCreate(const kafka::KafkaSettings& settings, const std::string& control,
              const TopicFlags& flags) {
  auto config = ParseTopicConfig(flags.configs);
  if (!config.ok()) return ReportFailure("topic", config.status());
  if (!control.empty() && !config->empty()) {
    return ReportFailure(
        "topic", Status::InvalidArgument("--config: the embedded cluster has no topic settings "
                                         "(librdkafka's mock brokers ignore them); use Kafka"));
  }
  // Like kafka-topics --if-not-exists: an existing topic is left as it is, and described.
  if (flags.if_not_exists) {
    auto existing = kafka::DescribeTopic(settings, flags.kafka.topic, flags.timeout_ms);
    if (existing.ok()) {
      std::printf("Topic %s already exists; left as it is\n", flags.kafka.topic.c_str());
      PrintDescription(*existing);
      return 0;
    }
  }
  const Status s = control.empty()
                       ? kafka::CreateTopic(settings, flags.kafka.topic, flags.partitions,
                                            flags.replication_factor, *config, flags.timeout_ms)
                       : CreateOnEmbedded(control, flags);
  if (s.IsAlreadyExists() && flags.if_not_exists) {
    std::printf("Topic %s already exists; left as it is\n", flags.kafka.topic.c_str());
  } else if (!s.ok()) {
    return ReportFailure("topic", s);
  } else {
    std::printf("Created topic %s (%d partitions, replication factor %d)\n",
                flags.kafka.topic.c_str(), flags.partitions, flags.replication_factor);
  }
  std::fflush(stdout);
  // A new topic reaches every broker's metadata a moment after creation: describe it once each
  // partition has a leader and offsets.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(flags.timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    auto described = kafka::DescribeTopic(settings, flags.kafka.topic, flags.timeout_ms);
    if (described.ok() && !described->partitions.empty() &&
        std::all_of(
            described->partitions.begin(), described->partitions.end(),
            [](const kafka::PartitionDescription& p) { return p.leader >= 0 && p.high >= 0; })) {
      PrintDescription(*described);
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return DescribeAndPrint(settings, flags);
}

int RunTopic(const TopicFlags& flags) {
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return ReportFailure("topic", settings.status());
  const std::string control =
      kafka::EmbeddedControlAddress(settings->bootstrap_servers, flags.kafka.data_dir);
  if (flags.action == "create") return RunCreate(*settings, control, flags);
  if (flags.action == "list") {
    auto names = kafka::ListTopics(*settings, flags.timeout_ms);
    if (!names.ok()) return ReportFailure("topic", names.status());
    for (const std::string& name : *names) std::printf("%s\n", name.c_str());
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
  return DescribeAndPrint(*settings, flags);
}

}  // namespace

void AddTopicCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<TopicFlags>();
  CLI::App* cmd =
      app.add_subcommand("topic", "Create, describe, list or delete topics (like kafka-topics)");
  cmd->add_option("action", flags->action, "create | describe | delete | list")
      ->required()
      ->check(CLI::IsMember({"create", "describe", "delete", "list"}));
  AddKafkaFlags(*cmd, flags->kafka);
  cmd->add_option("--partitions", flags->partitions, "Partitions (create)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--replication-factor", flags->replication_factor, "Replication factor (create)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_flag("--if-not-exists", flags->if_not_exists,
                "Create: leave an existing topic as it is (and describe it)");
  cmd->add_option("--config", flags->configs,
                  "Create: a topic setting KEY=VALUE, repeatable (retention.bytes, "
                  "segment.bytes, min.insync.replicas, ...)");
  cmd->add_option("--timeout-ms", flags->timeout_ms, "How long to wait for the cluster")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunTopic(*flags); });
}

}  // namespace orderflow::cli

// orderflow reset: clears data/ and output/ like the original reset script, and never anything
// else: only those two directories' contents, never a path outside them. With --kafka it also
// does what reset_project.py did to Kafka: deletes and recreates the topic with its shape and
// deletes the processor's and tracker's consumer groups.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/kafka_flags.h"
#include "common/data_layout.h"
#include "kafka/admin.h"
#include "kafka/bootstrap.h"
#include "monitor/tracker.h"
#include "stream/processor.h"

namespace orderflow::cli {
namespace {

struct ResetFlags {
  KafkaFlags kafka;  // its data_dir is the data directory cleared
  std::string output_dir = "output";
  bool keep_broker = true;
  bool reset_kafka = false;
  std::string processor_group = stream::ProcessorOptions().group_id;
  std::string tracker_group = monitor::TrackerOptions().group_id;
  int partitions = 0;          // 0: as the topic had (6 when it did not exist)
  int replication_factor = 0;  // 0: as the topic had (2 when it did not exist)
  int timeout_ms = 30000;
};

using Clock = std::chrono::steady_clock;

// Deleting a topic is asynchronous in Kafka: creating it again succeeds once the deletion has
// gone through, so creation is retried until then.
Status RecreateTopic(const kafka::KafkaSettings& settings, const ResetFlags& flags, int partitions,
                     int replication_factor) {
  const std::string& topic = flags.kafka.topic;
  if (Status s = kafka::DeleteTopic(settings, topic, flags.timeout_ms); !s.ok() && !s.IsNotFound())
    return s;
  const auto deadline = Clock::now() + std::chrono::milliseconds(flags.timeout_ms);
  for (;;) {
    Status s = kafka::CreateTopic(settings, topic, partitions, replication_factor,
                                  {{"min.insync.replicas", "1"}}, flags.timeout_ms);
    if (!s.IsAlreadyExists() || Clock::now() > deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

Status ResetKafka(const ResetFlags& flags) {
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return settings.status();
  if (!kafka::EmbeddedControlAddress(settings->bootstrap_servers, flags.kafka.data_dir).empty()) {
    return Status::InvalidArgument(
        "--kafka: the embedded cluster can neither delete topics nor groups (librdkafka's mock "
        "brokers lack DeleteTopics); stop and restart `orderflow broker`, which starts empty, then "
        "run `orderflow reset` without --kafka");
  }
  int partitions = flags.partitions, replication_factor = flags.replication_factor;
  auto described = kafka::DescribeTopic(*settings, flags.kafka.topic, flags.timeout_ms);
  if (!described.ok() && !described.status().IsNotFound()) return described.status();
  if (described.ok() && !described->partitions.empty()) {
    if (partitions == 0) partitions = static_cast<int>(described->partitions.size());
    if (replication_factor == 0)
      replication_factor = static_cast<int>(described->partitions[0].replicas.size());
  }
  if (partitions == 0) partitions = 6;
  if (replication_factor == 0) replication_factor = 2;
  // Groups first: a group with live members cannot be deleted, and then the topic stays too.
  if (Status s = kafka::DeleteGroups(*settings, {flags.processor_group, flags.tracker_group},
                                     flags.timeout_ms);
      !s.ok()) {
    return Status::KafkaError(s.message() + " (stop its processors and trackers first)");
  }
  std::printf("[reset] deleted consumer groups %s and %s\n", flags.processor_group.c_str(),
              flags.tracker_group.c_str());
  if (Status s = RecreateTopic(*settings, flags, partitions, replication_factor); !s.ok()) return s;
  std::printf("[reset] recreated topic %s (%d partitions, replication factor %d) on %s\n",
              flags.kafka.topic.c_str(), partitions, replication_factor,
              settings->bootstrap_servers.c_str());
  return Status::Ok();
}

int RunReset(const ResetFlags& flags) {
  namespace fs = std::filesystem;
  // Kafka first: the data directory may hold the address of the cluster.
  if (flags.reset_kafka) {
    if (Status s = ResetKafka(flags); !s.ok()) return ReportFailure("reset", s);
  }
  int removed = 0;
  for (const std::string& dir : {flags.kafka.data_dir, flags.output_dir}) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) continue;
    if (fs::is_symlink(dir) || !fs::is_directory(dir)) {
      return ReportFailure(
          "reset", Status::InvalidArgument(fmt::format("{} is not a directory; left alone", dir)));
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      // A running broker's address files stay, so the clients can still find it.
      if (flags.keep_broker && dir == flags.kafka.data_dir && data_layout::IsBrokerFileName(name)) {
        continue;
      }
      removed += static_cast<int>(fs::remove_all(entry.path(), ec));
      if (ec) {
        return ReportFailure(
            "reset", Status::IoError(
                         fmt::format("cannot remove {}: {}", entry.path().string(), ec.message())));
      }
    }
  }
  std::printf("[reset] cleared %s/ and %s/ (%d entries removed)\n", flags.kafka.data_dir.c_str(),
              flags.output_dir.c_str(), removed);
  return 0;
}

}  // namespace

void AddResetCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ResetFlags>();
  CLI::App* cmd = app.add_subcommand(
      "reset",
      "Clear data/ and output/ (and nothing else); with --kafka also the topic and groups");
  AddKafkaFlags(*cmd, flags->kafka);
  cmd->add_option("--output-dir", flags->output_dir, "Output directory")->capture_default_str();
  cmd->add_flag("--kafka", flags->reset_kafka,
                "Also delete and recreate the topic and delete the processor's and tracker's "
                "consumer groups (a real Kafka cluster)");
  cmd->add_option("--group-id", flags->processor_group, "--kafka: the processor's group")
      ->capture_default_str();
  cmd->add_option("--tracker-group-id", flags->tracker_group, "--kafka: the tracker's group")
      ->capture_default_str();
  cmd->add_option("--partitions", flags->partitions,
                  "--kafka: partitions of the new topic (default: as the old one, else 6)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--replication-factor", flags->replication_factor,
                  "--kafka: replication factor of the new topic (default: as the old one, else 2)")
      ->check(CLI::Range(1, 100));
  cmd->callback([flags, &exit_code] { exit_code = RunReset(*flags); });
}

}  // namespace orderflow::cli

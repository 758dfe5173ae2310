// orderflow demo: the whole pipeline in one command, on the embedded cluster or, with
// --bootstrap-servers, on an existing Kafka cluster. Starts the broker (embedded only), the
// processor, the tracker and two producers (valid and invalid, in parallel, like the original's
// two scripts) as child processes of this binary, waits until every event is processed, stops
// everything cleanly and then builds the report.
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "cli/child_process.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/flag_values.h"
#include "cli/kafka_flags.h"
#include "common/data_layout.h"
#include "common/stop_flag.h"
#include "kafka/admin.h"

namespace orderflow::cli {
namespace {

struct DemoFlags {
  KafkaFlags kafka;  // bootstrap_servers empty: the embedded cluster
  std::string output_dir = "output";
  uint64_t events = 100000;
  uint64_t invalid_events = 5000;
  double events_per_second = 10000;
  std::string profile = "realistic";
  std::string trigger = "500ms";
  int partitions = 6;
  uint64_t seed = 42;
  bool dashboard = false;
  std::string dashboard_listen = "127.0.0.1:8080";
};

// A loopback port free right now, for a child's --metrics-listen (0 when none).
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// `args` plus --metrics-listen 127.0.0.1:port when port > 0.
std::vector<std::string> WithPort(std::vector<std::string> args, int port) {
  if (port > 0) args.insert(args.end(), {"--metrics-listen", fmt::format("127.0.0.1:{}", port)});
  return args;
}

// With --dashboard: adds --metrics-listen on a free port to `args` and its address to `targets`.
std::vector<std::string> WithMetrics(std::vector<std::string> args, bool enabled,
                                     std::vector<std::string>& targets) {
  const int port = enabled ? FreeLoopbackPort() : 0;
  if (port > 0) {
    targets.push_back(fmt::format("127.0.0.1:{}", port));
    args.insert(args.end(), {"--metrics-listen", targets.back()});
  }
  return args;
}

bool WaitForFile(const std::string& path, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline && !StopRequested()) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int Fail(const std::string& message) { return ReportFailure("demo", Status::Aborted(message)); }

// The Kafka flags every Kafka-facing child gets: the data dir, the topic, and on an existing
// cluster its address and -X properties.
std::vector<std::string> KafkaArgs(const DemoFlags& flags, std::vector<std::string> args) {
  args.insert(args.end(), {"--data-dir", flags.kafka.data_dir, "--topic", flags.kafka.topic});
  if (!flags.kafka.bootstrap_servers.empty())
    args.insert(args.end(), {"--bootstrap-servers", flags.kafka.bootstrap_servers});
  for (const std::string& p : flags.kafka.properties) args.insert(args.end(), {"-X", p});
  return args;
}

// On an existing cluster: creates the topic unless it exists; returns its partition count.
Result<int> PrepareExistingTopic(const DemoFlags& flags) {
  auto create = ChildProcess::Spawn(
      "topic", KafkaArgs(flags, {"topic", "create", "--if-not-exists", "--partitions",
                                 std::to_string(flags.partitions)}));
  if (!create.ok()) return create.status();
  if (create->Wait() != 0) return Status::KafkaError("could not create or describe the topic");
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return settings.status();
  auto described = kafka::DescribeTopic(*settings, flags.kafka.topic, 10000);
  if (!described.ok()) return described.status();
  return static_cast<int>(described->partitions.size());
}

int RunDemo(const DemoFlags& flags) {
  auto trigger = ParseDuration("--trigger", flags.trigger);
  if (!trigger.ok()) return ReportFailure("demo", trigger.status());
  const std::string d = flags.kafka.data_dir;
  const bool embedded = flags.kafka.bootstrap_servers.empty();
  std::printf("[demo] starting from a clean %s/ and %s/ (orderflow reset)\n", d.c_str(),
              flags.output_dir.c_str());
  std::fflush(stdout);
  {
    auto reset =
        ChildProcess::Spawn("reset", {"reset", "--data-dir", d, "--output-dir", flags.output_dir});
    if (!reset.ok() || reset->Wait() != 0) return Fail("reset failed");
  }
  std::optional<ChildProcess> broker;
  int partitions = flags.partitions;
  if (embedded) {
    auto started =
        ChildProcess::Spawn("broker", {"broker", "--data-dir", d, "--topic", flags.kafka.topic,
                                       "--partitions", std::to_string(flags.partitions)});
    if (!started.ok()) return Fail(started.status().message());
    broker.emplace(std::move(started).value());
    if (!WaitForFile(data_layout::BrokerBootstrapFilePath(d), 20000))
      return Fail("the embedded broker did not start");
  } else {
    auto count = PrepareExistingTopic(flags);
    if (!count.ok()) return ReportFailure("demo", count.status());
    partitions = *count;
    std::printf(
        "[demo] on %s: topic %s has %d partitions; the processor reads only what this "
        "demo sends (--starting-offsets latest)\n",
        flags.kafka.bootstrap_servers.c_str(), flags.kafka.topic.c_str(), partitions);
    std::fflush(stdout);
  }

  const std::string trigger_text = fmt::format("{}ms", trigger->count());
  std::vector<std::string> targets;  // --metrics-listen addresses, for the dashboard
  auto processor = ChildProcess::Spawn(
      "processor",
      WithMetrics(KafkaArgs(flags, {"process", "--starting-offsets",
                                    embedded ? "earliest" : "latest", "--trigger", trigger_text,
                                    "--until-idle", "4", "--report-every-seconds", "5"}),
                  flags.dashboard, targets));
  auto tracker = ChildProcess::Spawn(
      "tracker", WithMetrics(KafkaArgs(flags, {"track", "--until-idle", "4", "--commit-every",
                                               "500", "--report-every-seconds", "5"}),
                             flags.dashboard, targets));
  // Produce only once the processor holds its partitions (it records their starting
  // checkpoints then), so latency figures measure the pipeline, not the group join.
  for (int p = 0; p < partitions; ++p) {
    if (!WaitForFile(fmt::format("{}/{}", data_layout::CheckpointDir(d, flags.kafka.topic),
                                 data_layout::CheckpointFileName(p)),
                     30000)) {
      return Fail("the processor did not join its consumer group within 30 s");
    }
  }
  const int producer_port = flags.dashboard ? FreeLoopbackPort() : 0;
  const int invalid_port = flags.dashboard ? FreeLoopbackPort() : 0;
  std::optional<Result<ChildProcess>> dashboard;
  if (flags.dashboard) {
    std::string metrics = fmt::format("127.0.0.1:{},127.0.0.1:{}", producer_port, invalid_port);
    for (const std::string& t : targets) metrics += "," + t;
    dashboard.emplace(ChildProcess::Spawn(
        "dashboard",
        KafkaArgs(flags, {"dashboard", "--listen", flags.dashboard_listen, "--metrics", metrics})));
    if (!dashboard->ok()) return Fail(dashboard->status().message());
  }
  const double seconds = static_cast<double>(flags.events) / flags.events_per_second;
  const double invalid_rate =
      std::max(1.0, static_cast<double>(flags.invalid_events) / std::max(seconds, 1.0));
  auto producer = ChildProcess::Spawn(
      "producer",
      WithPort(KafkaArgs(flags, {"produce", "--events-per-second",
                                 fmt::format("{}", flags.events_per_second), "--max-events",
                                 std::to_string(flags.events), "--profile", flags.profile, "--seed",
                                 std::to_string(flags.seed)}),
               producer_port));
  std::optional<Result<ChildProcess>> invalid_producer;
  if (flags.invalid_events > 0) {
    invalid_producer.emplace(ChildProcess::Spawn(
        "invalid producer",
        WithPort(KafkaArgs(flags, {"produce", "--invalid-mode", "random", "--events-per-second",
                                   fmt::format("{:.1f}", invalid_rate), "--max-events",
                                   std::to_string(flags.invalid_events), "--profile", flags.profile,
                                   "--seed", std::to_string(flags.seed + 1)}),
                 invalid_port)));
  }
  if (!processor.ok() || !tracker.ok() || !producer.ok() ||
      (invalid_producer && !invalid_producer->ok())) {
    return Fail("could not start the pipeline's processes");
  }
  FailureTally failures("demo");
  auto wait = [&](ChildProcess& child) {
    // A stop signal reaches the whole process group; children finish on their own.
    const int code = child.Wait();
    if (code != 0)
      failures.Report(Status::Aborted(fmt::format("{} exited with {}", child.name(), code)));
  };
  wait(*producer);
  if (invalid_producer) wait(**invalid_producer);
  wait(*processor);
  wait(*tracker);
  if (broker && !flags.dashboard) {  // the dashboard reads the topic: its broker stays up with it
    broker->Signal(SIGTERM);
    wait(*broker);
  }
  if (failures.failed() || StopRequested()) return failures.exit_code();

  std::printf("[demo] pipeline done: valid events in %s, invalid in %s, checkpoints in %s\n",
              data_layout::ValidDir(d).c_str(), data_layout::InvalidDir(d).c_str(),
              data_layout::CheckpointRootDir(d).c_str());
  std::fflush(stdout);
  auto report =
      ChildProcess::Spawn("report", {"report", "--data-dir", d, "--output-dir", flags.output_dir});
  if (!report.ok()) return Fail(report.status().message());
  wait(*report);
  if (failures.failed()) return failures.exit_code();
  std::printf("[demo] report: %s/report.html (charts: %s/*.png, figures: %s/report.json)\n",
              flags.output_dir.c_str(), flags.output_dir.c_str(), flags.output_dir.c_str());
  std::fflush(stdout);
  if (dashboard) {
    std::printf("[demo] dashboard: http://%s/ (stays up; Ctrl-C to stop it and the broker)\n",
                flags.dashboard_listen.c_str());
    std::fflush(stdout);
    while (!StopRequested() && (**dashboard).running()) {
      if ((**dashboard).Wait(200) >= 0) break;
    }
    (**dashboard).Signal(SIGTERM);
    wait(**dashboard);
    if (broker) {
      broker->Signal(SIGTERM);
      wait(*broker);
    }
  }
  return failures.exit_code();
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Run the whole pipeline on the embedded cluster (or, with --bootstrap-servers, on an "
      "existing Kafka cluster): broker, processor, tracker, two producers, report");
  AddKafkaFlags(*cmd, flags->kafka);  // --data-dir is cleared first
  cmd->add_option("--output-dir", flags->output_dir, "Charts and report (cleared first)")
      ->capture_default_str();
  cmd->add_option("--events", flags->events, "Valid events to produce")->capture_default_str();
  cmd->add_option("--invalid-events", flags->invalid_events, "Invalid events to produce")
      ->capture_default_str();
  cmd->add_option("--events-per-second", flags->events_per_second, "Rate of the valid producer")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--profile", flags->profile, "uniform | realistic")->capture_default_str();
  cmd->add_option("--trigger", flags->trigger, "Processor micro-batch interval")
      ->capture_default_str();
  cmd->add_option("--partitions", flags->partitions, "Partitions of the topic")
      ->capture_default_str();
  cmd->add_option("--seed", flags->seed, "Random seed of the producers")->capture_default_str();
  cmd->add_flag(
      "--dashboard", flags->dashboard,
      "Also run `orderflow dashboard` on the pipeline's metrics; keep it up after the run");
  cmd->add_option("--dashboard-listen", flags->dashboard_listen, "HOST:PORT of the dashboard")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunDemo(*flags); });
}

}  // namespace orderflow::cli

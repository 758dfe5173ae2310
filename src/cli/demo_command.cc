// orderflow demo: the whole pipeline in one command, on the embedded cluster or, with
// --bootstrap-servers, on an existing Kafka cluster. Starts the broker (embedded only), the
// processor, the tracker and two producers (valid and invalid, in parallel, like the original's
// two scripts) as child processes of this binary, waits until every event is processed, stops
// everything cleanly and then builds the report.
#include <fmt/format.h>
#include <signal.h>
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
#include "common/loopback_port.h"
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

// `args` plus --metrics-listen 127.0.0.1:port when port > 0 (for the dashboard), with a linger
// of two of its 1 s scrapes, so that it sees the command finish rather than vanish.
std::vector<std::string> WithPort(std::vector<std::string> args, int port) {
  if (port > 0) {
    args.insert(args.end(), {"--metrics-listen", fmt::format("127.0.0.1:{}", port),
                             "--metrics-linger-seconds", "2"});
  }
  return args;
}

// With --dashboard: WithPort on a free port, and its address added to `targets`.
std::vector<std::string> WithMetrics(std::vector<std::string> args, bool enabled,
                                     std::vector<std::string>& targets) {
  const int port = enabled ? FreeLoopbackPort() : 0;
  if (port > 0) targets.push_back(fmt::format("127.0.0.1:{}", port));
  return WithPort(std::move(args), port);
}

bool WaitForFile(const std::string& path, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline && !StopRequested()) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

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

// The producers' arguments: the valid one at --events-per-second, the invalid one spreading
// its events over about the same time.
std::vector<std::string> ProducerArgs(const DemoFlags& flags, int port) {
  return WithPort(KafkaArgs(flags, {"produce", "--events-per-second",
                                    fmt::format("{}", flags.events_per_second), "--max-events",
                                    std::to_string(flags.events), "--profile", flags.profile,
                                    "--seed", std::to_string(flags.seed)}),
                  port);
}

std::vector<std::string> InvalidProducerArgs(const DemoFlags& flags, int port) {
  const double seconds = static_cast<double>(flags.events) / flags.events_per_second;
  const double invalid_rate =
      std::max(1.0, static_cast<double>(flags.invalid_events) / std::max(seconds, 1.0));
  return WithPort(KafkaArgs(flags, {"produce", "--invalid-mode", "random", "--events-per-second",
                                    fmt::format("{:.1f}", invalid_rate), "--max-events",
                                    std::to_string(flags.invalid_events), "--profile",
                                    flags.profile, "--seed", std::to_string(flags.seed + 1)}),
                  port);
}

void PrintLine(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

// One run of the demo: its child processes, in the order they start (so a failure part-way
// stops them, as their handles are destroyed, in reverse order) and the failures they report.
class DemoRun {
 public:
  explicit DemoRun(const DemoFlags& flags)
      : flags_(flags),
        data_dir_(flags.kafka.data_dir),
        embedded_(flags.kafka.bootstrap_servers.empty()),
        failures_("demo") {}
  DemoRun(const DemoRun&) = delete;
  DemoRun& operator=(const DemoRun&) = delete;

  const FailureTally& failures() const { return failures_; }

  // Resets the folders, starts the cluster (embedded) or prepares the topic (existing), then
  // the processor, tracker, dashboard (asked) and producers.
  Status Start(std::chrono::milliseconds trigger) {
    PrintLine(fmt::format("[demo] starting from a clean {}/ and {}/ (orderflow reset)\n", data_dir_,
                          flags_.output_dir));
    auto reset = ChildProcess::Spawn(
        "reset", {"reset", "--data-dir", data_dir_, "--output-dir", flags_.output_dir});
    if (!reset.ok() || reset->Wait() != 0) return Status::Aborted("reset failed");
    if (Status s = embedded_ ? StartBroker() : UseExistingTopic(); !s.ok()) return s;
    StartConsumers(trigger);
    if (Status s = WaitForTheProcessorToJoin(); !s.ok()) return s;
    if (Status s = StartDashboardIfAsked(); !s.ok()) return s;
    producer_.emplace(ChildProcess::Spawn("producer", ProducerArgs(flags_, producer_port_)));
    if (flags_.invalid_events > 0) {
      invalid_producer_.emplace(ChildProcess::Spawn(
          "invalid producer", InvalidProducerArgs(flags_, invalid_producer_port_)));
    }
    if (!processor_->ok() || !tracker_->ok() || !producer_->ok() ||
        (invalid_producer_ && !invalid_producer_->ok())) {
      return Status::Aborted("could not start the pipeline's processes");
    }
    return Status::Ok();
  }

  // Waits until the producers, the processor and the tracker are done; stops the embedded
  // broker unless the dashboard (which reads the topic) stays up with it.
  // On a stop signal (Ctrl-C reaches the demo alone: each child has a process group of its
  // own) returns at once; the children are then stopped in reverse start order as their
  // handles are destroyed: producers, dashboard, tracker, processor, the broker last.
  void WaitForThePipeline() {
    Wait(**producer_);
    if (invalid_producer_) Wait(**invalid_producer_);
    Wait(**processor_);
    Wait(**tracker_);
    if (StopRequested()) {
      PrintLine(
          "[demo] stopping: the producers, the dashboard, the tracker, the processor (its files "
          "published, its checkpoint committed), then the broker\n");
      return;
    }
    if (broker_ && !flags_.dashboard) Stop(*broker_);
  }

  Status BuildReport() {
    PrintLine(
        fmt::format("[demo] pipeline done: valid events in {}, invalid in {}, checkpoints in {}\n",
                    data_layout::ValidDir(data_dir_), data_layout::InvalidDir(data_dir_),
                    data_layout::CheckpointRootDir(data_dir_)));
    auto report = ChildProcess::Spawn(
        "report", {"report", "--data-dir", data_dir_, "--output-dir", flags_.output_dir});
    if (!report.ok()) return Status::Aborted(report.status().message());
    Wait(*report);
    if (!failures_.failed()) {
      PrintLine(
          fmt::format("[demo] report: {0}/report.html (charts: {0}/*.png, figures: "
                      "{0}/report.json)\n",
                      flags_.output_dir));
    }
    return Status::Ok();
  }

  // With --dashboard: keeps it (and the embedded broker) up until a stop signal.
  void KeepTheDashboardUp() {
    if (!dashboard_) return;
    PrintLine(
        fmt::format("[demo] dashboard: http://{}/ (stays up; Ctrl-C to stop it and the "
                    "broker)\n",
                    flags_.dashboard_listen));
    while (!StopRequested() && (**dashboard_).running()) {
      if ((**dashboard_).Wait(200) >= 0) break;
    }
    Stop(**dashboard_);
    if (broker_) Stop(*broker_);
  }

 private:
  Status StartBroker() {
    auto started = ChildProcess::Spawn(
        "broker", {"broker", "--data-dir", data_dir_, "--topic", flags_.kafka.topic, "--partitions",
                   std::to_string(flags_.partitions)});
    if (!started.ok()) return Status::Aborted(started.status().message());
    broker_.emplace(std::move(started).value());
    if (!WaitForFile(data_layout::BrokerBootstrapFilePath(data_dir_), 20000))
      return Status::Aborted("the embedded broker did not start");
    partitions_ = flags_.partitions;
    return Status::Ok();
  }

  Status UseExistingTopic() {
    auto count = PrepareExistingTopic(flags_);
    if (!count.ok()) return count.status();
    partitions_ = *count;
    PrintLine(fmt::format(
        "[demo] on {}: topic {} has {} partitions; the processor reads only what this demo "
        "sends (--starting-offsets latest)\n",
        flags_.kafka.bootstrap_servers, flags_.kafka.topic, partitions_));
    return Status::Ok();
  }

  // The processor and the tracker; with --dashboard each serves its metrics on a free port.
  void StartConsumers(std::chrono::milliseconds trigger) {
    const std::string trigger_text = fmt::format("{}ms", trigger.count());
    processor_.emplace(ChildProcess::Spawn(
        "processor",
        WithMetrics(KafkaArgs(flags_, {"process", "--starting-offsets",
                                       embedded_ ? "earliest" : "latest", "--trigger", trigger_text,
                                       "--until-idle", "4", "--report-every-seconds", "5"}),
                    flags_.dashboard, metrics_targets_)));
    tracker_.emplace(ChildProcess::Spawn(
        "tracker", WithMetrics(KafkaArgs(flags_, {"track", "--until-idle", "4", "--commit-every",
                                                  "500", "--report-every-seconds", "5"}),
                               flags_.dashboard, metrics_targets_)));
  }

  // Produce only once the processor holds its partitions (it records their starting
  // checkpoints then), so latency figures measure the pipeline, not the group join.
  Status WaitForTheProcessorToJoin() {
    for (int p = 0; p < partitions_; ++p) {
      if (!WaitForFile(
              fmt::format("{}/{}", data_layout::CheckpointDir(data_dir_, flags_.kafka.topic),
                          data_layout::CheckpointFileName(p)),
              30000)) {
        return Status::Aborted("the processor did not join its consumer group within 30 s");
      }
    }
    return Status::Ok();
  }

  // With --dashboard: picks the producers' metrics ports and starts the dashboard on every
  // --metrics-listen address of the pipeline.
  Status StartDashboardIfAsked() {
    if (!flags_.dashboard) return Status::Ok();
    producer_port_ = FreeLoopbackPort();
    invalid_producer_port_ = FreeLoopbackPort();
    std::string metrics =
        fmt::format("127.0.0.1:{},127.0.0.1:{}", producer_port_, invalid_producer_port_);
    for (const std::string& t : metrics_targets_) metrics += "," + t;
    dashboard_.emplace(ChildProcess::Spawn(
        "dashboard", KafkaArgs(flags_, {"dashboard", "--listen", flags_.dashboard_listen,
                                        "--metrics", metrics})));
    if (!dashboard_->ok()) return Status::Aborted(dashboard_->status().message());
    return Status::Ok();
  }

  // Waits for the child to exit, or for a stop signal (then the child is left running, for the
  // orderly stop).
  void Wait(ChildProcess& child) {
    int code = -1;
    while (!StopRequested() && (code = child.Wait(100)) < 0) {
    }
    if (code > 0)
      failures_.Report(Status::Aborted(fmt::format("{} exited with {}", child.name(), code)));
  }

  // A clean stop, waited for even after a stop signal (the next one may depend on it).
  void Stop(ChildProcess& child) {
    child.Signal(SIGTERM);
    if (const int code = child.Wait(); code > 0)
      failures_.Report(Status::Aborted(fmt::format("{} exited with {}", child.name(), code)));
  }

  const DemoFlags& flags_;
  const std::string data_dir_;
  const bool embedded_;
  FailureTally failures_;
  int partitions_ = 0;
  std::vector<std::string> metrics_targets_;  // --metrics-listen addresses, for the dashboard
  int producer_port_ = 0, invalid_producer_port_ = 0;
  // In start order; destroyed (so stopped) in reverse.
  std::optional<ChildProcess> broker_;
  std::optional<Result<ChildProcess>> processor_, tracker_, dashboard_, producer_,
      invalid_producer_;
};

int RunDemo(const DemoFlags& flags) {
  auto trigger = ParseDuration("--trigger", flags.trigger);
  if (!trigger.ok()) return ReportFailure("demo", trigger.status());
  DemoRun demo(flags);
  if (Status s = demo.Start(*trigger); !s.ok()) {
    // Stopped while starting (Ctrl-C): what started is stopped in order, no failure to report.
    return StopRequested() ? demo.failures().exit_code() : ReportFailure("demo", s);
  }
  demo.WaitForThePipeline();
  if (demo.failures().failed() || StopRequested()) return demo.failures().exit_code();
  if (Status s = demo.BuildReport(); !s.ok()) return ReportFailure("demo", s);
  if (demo.failures().failed()) return demo.failures().exit_code();
  demo.KeepTheDashboardUp();
  return demo.failures().exit_code();
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

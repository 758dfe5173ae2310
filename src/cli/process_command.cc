// orderflow process: flags -> stream::ProcessorOptions -> stream::RunProcessor.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/flag_values.h"
#include "cli/kafka_flags.h"
#include "cli/metrics_flag.h"
#include "common/compression.h"
#include "common/data_layout.h"
#include "stream/processor.h"

namespace orderflow::cli {
namespace {

struct ProcessFlags {
  KafkaFlags kafka;
  std::string group_id = "orderflow-processor";
  std::string trigger = "1s";
  std::string starting_offsets = "latest";
  bool fail_on_data_loss = true;
  double until_idle = 0;
  double assignment_timeout = 60;
  double report_every = 5;
  uint64_t max_events_per_batch = 200000;
  std::string roll_interval = "1m";
  std::string roll_size = "128MB";
  std::string compression = "none";
  std::string partition_by;  // empty: no partition folders
  MetricsFlags metrics;
};

// --compression and --partition-by -> the output layout; InvalidArgument naming the flag.
Result<stream::OutputLayout> ParseOutputLayout(const ProcessFlags& flags) {
  stream::OutputLayout layout;
  const std::optional<Compression> compression = ParseCompression(flags.compression);
  if (!compression) {
    return Status::InvalidArgument(
        fmt::format("--compression {}: expected none, gzip or zstd", flags.compression));
  }
  layout.compression = *compression;
  if (flags.partition_by == data_layout::kPurchaseDateColumn) {
    layout.partition_by_purchase_date = true;
  } else if (!flags.partition_by.empty()) {
    return Status::InvalidArgument(fmt::format("--partition-by {}: the one partition column is {}",
                                               flags.partition_by,
                                               data_layout::kPurchaseDateColumn));
  }
  return layout;
}

int RunProcess(const ProcessFlags& flags) {
  stream::ProcessorOptions options;
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return ReportFailure("process", settings.status());
  options.kafka = std::move(settings).value();
  auto trigger = ParseDuration("--trigger", flags.trigger);
  if (!trigger.ok()) return ReportFailure("process", trigger.status());
  if (trigger->count() < 1) {
    return ReportFailure("process", Status::InvalidArgument("--trigger must be at least 1ms"));
  }
  options.trigger = *trigger;
  if (flags.starting_offsets != "latest" && flags.starting_offsets != "earliest") {
    return ReportFailure("process", Status::InvalidArgument(fmt::format(
                                        "--starting-offsets {}: expected latest or earliest",
                                        flags.starting_offsets)));
  }
  auto layout = ParseOutputLayout(flags);
  if (!layout.ok()) return ReportFailure("process", layout.status());
  options.output = *layout;
  options.topic = flags.kafka.topic;
  options.group_id = flags.group_id;
  options.data_dir = flags.kafka.data_dir;
  options.start_from_earliest = flags.starting_offsets == "earliest";
  options.fail_on_data_loss = flags.fail_on_data_loss;
  options.until_idle_seconds = flags.until_idle;
  options.assignment_timeout_seconds = flags.assignment_timeout;
  options.report_every_seconds = flags.report_every;
  options.max_events_per_batch = flags.max_events_per_batch;
  auto roll_interval = ParseDuration("--roll-interval", flags.roll_interval);
  if (!roll_interval.ok()) return ReportFailure("process", roll_interval.status());
  options.roll_interval = *roll_interval;
  auto roll_size = ParseByteSize("--roll-size", flags.roll_size);
  if (!roll_size.ok()) return ReportFailure("process", roll_size.status());
  options.roll_bytes = *roll_size;

  metrics::MetricsRegistry metrics;
  auto metrics_server = ServeMetricsIfAsked(flags.metrics, metrics, "processor");
  if (!metrics_server.ok()) return ReportFailure("process", metrics_server.status());
  if (*metrics_server) options.metrics = &metrics;

  stream::ProcessorSummary summary;
  const Status status = stream::RunProcessor(options, summary);
  std::printf(
      "[processor][summary] processed=%llu valid=%llu invalid=%llu batches=%llu "
      "throughput_eps=%.1f "
      "active_eps=%.1f p50_e2e_ms=%.1f p99_e2e_ms=%.1f p50_visible_ms=%.1f p99_visible_ms=%.1f "
      "elapsed_s=%.2f\n",
      static_cast<unsigned long long>(summary.processed),
      static_cast<unsigned long long>(summary.valid),
      static_cast<unsigned long long>(summary.invalid),
      static_cast<unsigned long long>(summary.batches), summary.throughput_eps(),
      summary.active_eps(), summary.e2e_ms.Quantile(0.5), summary.e2e_ms.Quantile(0.99),
      summary.visible_ms.Quantile(0.5), summary.visible_ms.Quantile(0.99), summary.elapsed_seconds);
  std::fflush(stdout);
  spdlog::info(
      "[processor] {:.2f} s of {:.2f} s active were spent writing batches durably, {:.2f} s of "
      "it waiting for the commit syncs",
      summary.commit_seconds, summary.active_seconds, summary.sync_seconds);
  EndMetrics(flags.metrics, metrics_server->get(), metrics, status.ok());
  if (!status.ok()) return ReportFailure("process", status);
  return 0;
}

}  // namespace

void AddProcessCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ProcessFlags>();
  CLI::App* cmd = app.add_subcommand(
      "process",
      "The stream processor: Kafka -> validated JSON Lines files, exactly once, with checkpoints");
  AddKafkaFlags(*cmd, flags->kafka);
  cmd->add_option("--group-id", flags->group_id, "Consumer group shared by processor instances")
      ->capture_default_str();
  cmd->add_option("--trigger", flags->trigger, "Micro-batch interval, e.g. 5s, 100ms (min 1ms)")
      ->capture_default_str();
  cmd->add_option("--starting-offsets", flags->starting_offsets,
                  "latest | earliest; used only when a partition has no checkpoint")
      ->capture_default_str();
  cmd->add_option("--fail-on-data-loss", flags->fail_on_data_loss,
                  "Stop when retention removed unprocessed messages (true|false)")
      ->capture_default_str();
  cmd->add_option("--until-idle", flags->until_idle,
                  "Exit after this many seconds without new messages; while behind, batches "
                  "follow each other without waiting for the trigger (0 = run until a signal)");
  cmd->add_option(
         "--assignment-timeout", flags->assignment_timeout,
         "With --until-idle: exit 1 when no partition is assigned within this many seconds")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--report-every-seconds", flags->report_every, "Progress line interval (0 = off)")
      ->capture_default_str();
  cmd->add_option("--max-events-per-batch", flags->max_events_per_batch,
                  "Close a batch early at this many events (bounds memory while catching up)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}));
  cmd->add_option("--roll-interval", flags->roll_interval,
                  "Publish a partition's output file this long after it was opened (0 = a file "
                  "per batch); also at --roll-size, on a clean stop and when it is revoked")
      ->capture_default_str();
  cmd->add_option("--roll-size", flags->roll_size,
                  "Publish a partition's output file once it holds this many bytes (e.g. 128MB, "
                  "64KiB)")
      ->capture_default_str();
  cmd->add_option("--compression", flags->compression,
                  "Output files: none (*.json), gzip (*.json.gz) or zstd (*.json.zst)")
      ->capture_default_str();
  cmd->add_option("--partition-by", flags->partition_by,
                  "purchase_date: write into Hive-style purchase_date=YYYY-MM-DD/ folders "
                  "(default: none)");
  AddMetricsFlags(*cmd, flags->metrics);
  cmd->callback([flags, &exit_code] { exit_code = RunProcess(*flags); });
}

}  // namespace orderflow::cli

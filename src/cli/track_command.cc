// orderflow track: flags -> monitor::TrackerOptions -> monitor::RunTracker -> the summary line.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/kafka_flags.h"
#include "cli/metrics_flag.h"
#include "monitor/tracker.h"

namespace orderflow::cli {
namespace {

struct TrackFlags {
  KafkaFlags kafka;
  monitor::TrackerOptions options;
  std::string starting_offsets = "earliest";
  MetricsFlags metrics;
};

int RunTrack(TrackFlags& flags) {
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return ReportFailure("track", settings.status());
  if (flags.starting_offsets != "earliest" && flags.starting_offsets != "latest") {
    return ReportFailure("track",
                         Status::InvalidArgument("--starting-offsets " + flags.starting_offsets +
                                                 ": expected latest or earliest"));
  }
  flags.options.kafka = std::move(settings).value();
  flags.options.topic = flags.kafka.topic;
  flags.options.from_earliest = flags.starting_offsets == "earliest";
  metrics::MetricsRegistry metrics;
  auto metrics_server = ServeMetricsIfAsked(flags.metrics, metrics, "tracker");
  if (!metrics_server.ok()) return ReportFailure("track", metrics_server.status());
  if (*metrics_server) flags.options.metrics = &metrics;
  monitor::TrackerSummary summary;
  const Status status = monitor::RunTracker(flags.options, summary);
  if (summary.started) {
    const std::string line = monitor::TrackerLine("[summary]", summary);
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
  }
  EndMetrics(flags.metrics, metrics_server->get(), metrics, status.ok());
  if (!status.ok()) return ReportFailure("track", status);
  return 0;
}

}  // namespace

void AddTrackCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<TrackFlags>();
  CLI::App* cmd = app.add_subcommand(
      "track", "Independent monitoring consumer: latency, throughput, manual commits, lag");
  AddKafkaFlags(*cmd, flags->kafka);
  auto& o = flags->options;
  cmd->add_option("--group-id", o.group_id, "The tracker's own consumer group")
      ->capture_default_str();
  cmd->add_option("--commit-every", o.commit_every,
                  "Commit offsets every N messages and at close (0 = only at close)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{0}, uint64_t{100000000}));
  cmd->add_option("--report-every-seconds", o.report_every_seconds,
                  "Progress line interval (0 = off)")
      ->capture_default_str();
  cmd->add_option("--lag-group", o.lag_group, "Consumer group whose lag is reported")
      ->capture_default_str();
  cmd->add_option("--until-idle", o.until_idle_seconds,
                  "Exit after this many seconds without new messages (0 = run until a signal)");
  cmd->add_flag("--print-events", o.print_events,
                "Print every event as the original tracker did: [consumer][event] offset=N "
                "partition=N order_id=... item=... quantity=N");
  cmd->add_option("--starting-offsets", flags->starting_offsets,
                  "earliest | latest, when the tracker's group has no committed offsets")
      ->capture_default_str();
  AddMetricsFlags(*cmd, flags->metrics);
  cmd->callback([flags, &exit_code] { exit_code = RunTrack(*flags); });
}

}  // namespace orderflow::cli

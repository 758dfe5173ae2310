// orderflow dashboard: flags -> web::DashboardOptions -> web::RunDashboard -> the summary line.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/kafka_flags.h"
#include "web/dashboard.h"

namespace orderflow::cli {
namespace {

struct DashboardFlags {
  KafkaFlags kafka;
  web::DashboardOptions options;
  std::string starting_offsets = "earliest";
};

int RunDashboardCommand(DashboardFlags& flags) {
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return ReportFailure("dashboard", settings.status());
  if (flags.starting_offsets != "earliest" && flags.starting_offsets != "latest") {
    return ReportFailure("dashboard",
                         Status::InvalidArgument("--starting-offsets " + flags.starting_offsets +
                                                 ": expected latest or earliest"));
  }
  flags.options.kafka = std::move(settings).value();
  flags.options.topic = flags.kafka.topic;
  flags.options.from_earliest = flags.starting_offsets == "earliest";
  // --metrics accepts comma-separated lists too.
  std::vector<std::string> metrics;
  for (const std::string& m : flags.options.metrics) {
    size_t start = 0;
    while (start <= m.size()) {
      const size_t comma = m.find(',', start);
      const std::string one =
          m.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!one.empty()) metrics.push_back(one);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  flags.options.metrics = metrics;
  const Status status = web::RunDashboard(flags.options);
  if (!status.ok()) return ReportFailure("dashboard", status);
  std::printf("[dashboard][summary] stopped=1\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace

void AddDashboardCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<DashboardFlags>();
  CLI::App* cmd = app.add_subcommand(
      "dashboard", "Live web dashboard: pipeline health, per-minute business KPIs, alerts");
  AddKafkaFlags(*cmd, flags->kafka);
  auto& o = flags->options;
  cmd->add_option("--listen", o.listen, "HOST:PORT of the page (port 0 = any)")
      ->capture_default_str();
  cmd->add_option(
      "--metrics", o.metrics,
      "HOST:PORT of a produce/process/track --metrics-listen (repeatable, or comma-separated)");
  cmd->add_option("--group-id", o.group_id, "The dashboard's own consumer group")
      ->capture_default_str();
  cmd->add_option("--starting-offsets", flags->starting_offsets,
                  "earliest | latest, when the dashboard's group has no committed offsets")
      ->capture_default_str();
  cmd->add_option("--window-seconds", o.window_seconds, "KPI event-time window length")
      ->capture_default_str();
  cmd->add_option("--allowed-lateness-seconds", o.allowed_lateness_seconds,
                  "Watermark delay: events older than the newest minus this are late and dropped")
      ->capture_default_str();
  cmd->add_option("--update-seconds", o.update_seconds, "How often the page is updated")
      ->capture_default_str();
  cmd->add_option("--alert-config", o.alert_config,
                  "JSON file overriding the alert thresholds (docs/metrics.md)");
  cmd->add_option(
      "--alert-webhook", o.alert_webhook,
      "POST alert transitions here as Alertmanager webhook JSON (http://HOST:PORT/PATH)");
  cmd->add_option("--web-root", o.web_root,
                  "Folder of the page (default: found beside the binary)");
  cmd->callback([flags, &exit_code] { exit_code = RunDashboardCommand(*flags); });
}

}  // namespace orderflow::cli

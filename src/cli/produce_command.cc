// orderflow produce: flags -> produce::ProducerOptions -> produce::RunEventProducer -> the
// summary line.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string_view>
#include <thread>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/flag_values.h"
#include "cli/kafka_flags.h"
#include "cli/metrics_flag.h"
#include "common/stop_flag.h"
#include "produce/event_producer.h"

namespace orderflow::cli {
namespace {

struct ProduceFlags {
  KafkaFlags kafka;
  std::string events_per_second = "10";
  double duration_seconds = 0;
  uint64_t max_events = 0;
  double report_every = 5;
  std::string invalid_mode;
  std::string profile = "uniform";
  std::optional<uint64_t> seed;
  MetricsFlags metrics;
};

// The original's summary line:
//   [producer][summary] sent_ok=N sent_error=N throughput_eps=F avg_ack_ms=F p99_ack_ms=F
//   elapsed_s=F
// (role producer_invalid for the invalid-event producer).
void PrintProducerSummary(std::string_view role, const produce::ProducerSummary& s) {
  fmt::print(
      "[{}][summary] sent_ok={} sent_error={} throughput_eps={:.1f} avg_ack_ms={:.2f} "
      "p99_ack_ms={:.2f} elapsed_s={:.2f} active_eps={:.1f}\n",
      role, s.sent_ok, s.sent_error, s.throughput_eps, s.ack_ms.mean(), s.ack_ms.Quantile(0.99),
      s.elapsed_seconds, s.active_eps());
  std::fflush(stdout);
}

int RunProduce(const ProduceFlags& flags) {
  produce::ProducerOptions options;  // options.started: now, the command's start
  auto settings = flags.kafka.Settings();
  if (!settings.ok()) return ReportFailure("produce", settings.status());
  options.kafka = std::move(settings).value();
  options.topic = flags.kafka.topic;
  if (flags.events_per_second == "max") {
    options.events_per_second = 0;
  } else {
    auto rate = ParsePositiveNumber("--events-per-second", flags.events_per_second);
    if (!rate.ok()) {
      return ReportFailure("produce", Status::InvalidArgument(rate.status().message() + " or max"));
    }
    options.events_per_second = *rate;
  }
  options.duration_seconds = flags.duration_seconds;
  options.max_events = flags.max_events;
  options.report_every_seconds = flags.report_every;
  if (!flags.invalid_mode.empty()) {
    const auto modes = event::ParseInvalidModeChoice(flags.invalid_mode);
    if (!modes) {
      std::string names = "random, random-all";
      for (event::InvalidMode m : event::AllInvalidModes()) {
        names += fmt::format(", {}", event::InvalidModeName(m));
      }
      return ReportFailure(
          "produce", Status::InvalidArgument(fmt::format("--invalid-mode {}: expected one of {}",
                                                         flags.invalid_mode, names)));
    }
    options.invalid_modes = *modes;
  }
  auto profile = event::ParseProfile(flags.profile);
  if (!profile) {
    return ReportFailure(
        "produce", Status::InvalidArgument(
                       fmt::format("--profile {}: expected uniform or realistic", flags.profile)));
  }
  options.profile = *profile;
  options.seed =
      flags.seed
          ? *flags.seed
          : std::random_device{}() ^
                static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());

  const std::string_view role = options.invalid_modes.empty() ? "producer" : "producer_invalid";
  metrics::MetricsRegistry metrics;
  auto metrics_server = ServeMetricsIfAsked(flags.metrics, metrics, role);
  if (!metrics_server.ok()) return ReportFailure("produce", metrics_server.status());
  if (*metrics_server) options.metrics = &metrics;

  produce::ProducerSummary summary;
  const Status status = produce::RunEventProducer(options, summary);
  if (summary.started) PrintProducerSummary(role, summary);
  EndMetrics(flags.metrics, metrics_server->get(), metrics, status.ok());
  if (!status.ok()) return ReportFailure("produce", status);
  return 0;
}

}  // namespace

void AddProduceCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ProduceFlags>();
  CLI::App* cmd =
      app.add_subcommand("produce", "Send synthetic purchase events (or invalid ones) to Kafka");
  AddKafkaFlags(*cmd, flags->kafka);
  cmd->add_option("--events-per-second", flags->events_per_second, "Target rate, or max")
      ->capture_default_str();
  cmd->add_option("--duration-seconds", flags->duration_seconds,
                  "Stop after this long (0 = no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-events", flags->max_events, "Stop after this many events (0 = no limit)");
  cmd->add_option("--report-every-seconds", flags->report_every, "Progress line interval (0 = off)")
      ->capture_default_str();
  cmd->add_option("--invalid-mode", flags->invalid_mode,
                  "Become the invalid-event producer (lines tagged [producer_invalid]): random "
                  "(the original's five modes), random-all (every mode), or one of "
                  "missing_unit_price, missing_quantity, missing_both, non_positive_unit_price, "
                  "non_positive_quantity, malformed_json, wrong_type");
  cmd->add_option("--profile", flags->profile,
                  "Demand profile: uniform (the original generator) or realistic (daily peaks, "
                  "weekend uplift, skewed products, channel-dependent payments, trend)")
      ->capture_default_str();
  cmd->add_option("--seed", flags->seed, "Random seed: the same seed sends the same events");
  AddMetricsFlags(*cmd, flags->metrics);
  cmd->callback([flags, &exit_code] { exit_code = RunProduce(*flags); });
}

}  // namespace orderflow::cli

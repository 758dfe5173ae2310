#include "cli/metrics_flag.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "common/stop_flag.h"

namespace orderflow::cli {

namespace {
constexpr const char* kFlag = "--metrics-listen";

metrics::Gauge& RunFinished(metrics::MetricsRegistry& registry) {
  return registry.GetGauge(monitor::kRunFinishedMetric,
                           "1 once the run has ended cleanly (the final totals are served)");
}
}  // namespace

void AddMetricsFlags(CLI::App& command, MetricsFlags& flags) {
  command.add_option(
      kFlag, flags.listen,
      "Serve Prometheus metrics at http://HOST:PORT/metrics (off by default; port 0 = any)");
  command
      .add_option("--metrics-linger-seconds", flags.linger_seconds,
                  "With --metrics-listen: keep serving the final totals this long after the run")
      ->capture_default_str();
}

Result<std::unique_ptr<monitor::MetricsServer>> ServeMetricsIfAsked(
    const MetricsFlags& flags, metrics::MetricsRegistry& registry, std::string_view tag) {
  if (flags.listen.empty()) return std::unique_ptr<monitor::MetricsServer>();
  RunFinished(registry).Set(0);
  auto server = monitor::MetricsServer::Start(registry, kFlag, flags.listen);
  if (!server.ok()) return server.status();
  std::printf("[%.*s] metrics at %s\n", static_cast<int>(tag.size()), tag.data(),
              (*server)->url().c_str());
  std::fflush(stdout);
  return server;
}

void EndMetrics(const MetricsFlags& flags, const monitor::MetricsServer* server,
                metrics::MetricsRegistry& registry, bool finished) {
  if (server == nullptr) return;
  if (finished) RunFinished(registry).Set(1);
  for (double waited = 0; waited < flags.linger_seconds && !StopRequested(); waited += 0.1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace orderflow::cli

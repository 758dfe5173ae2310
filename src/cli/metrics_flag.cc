#include "cli/metrics_flag.h"

#include <cstdio>

namespace orderflow::cli {

namespace {
constexpr const char* kFlag = "--metrics-listen";
}

void AddMetricsListenFlag(CLI::App& command, std::string& listen) {
  command.add_option(
      kFlag, listen,
      "Serve Prometheus metrics at http://HOST:PORT/metrics (off by default; port 0 = any)");
}

Result<std::unique_ptr<monitor::MetricsServer>> ServeMetricsIfAsked(
    const std::string& listen, const metrics::MetricsRegistry& registry, std::string_view tag) {
  if (listen.empty()) return std::unique_ptr<monitor::MetricsServer>();
  auto server = monitor::MetricsServer::Start(registry, kFlag, listen);
  if (!server.ok()) return server.status();
  std::printf("[%.*s] metrics at %s\n", static_cast<int>(tag.size()), tag.data(),
              (*server)->url().c_str());
  std::fflush(stdout);
  return server;
}

}  // namespace orderflow::cli

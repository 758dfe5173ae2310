// Serves a MetricsRegistry at GET /metrics (Prometheus text format 0.0.4) on its own thread,
// for `--metrics-listen HOST:PORT`. Other paths get 404, other methods 405. RAII (HttpService):
// destruction stops the server and joins its thread; never throws.
// Safe for concurrent use (the registry is).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "metrics/metrics_registry.h"
#include "monitor/http_service.h"

namespace orderflow::monitor {

// Every command's /metrics has this gauge: 0 while it runs, 1 once its run has ended cleanly and
// it only still serves its final totals (--metrics-linger-seconds). It tells a finished command
// from a dead one after both have gone (the dashboard's targets).
inline constexpr char kRunFinishedMetric[] = "orderflow_run_finished";

class MetricsServer {
 public:
  // Binds `listen` and starts serving `registry`, which must outlive the server.
  // InvalidArgument naming `flag` when the address is malformed or cannot be bound.
  static Result<std::unique_ptr<MetricsServer>> Start(const metrics::MetricsRegistry& registry,
                                                      const std::string& flag,
                                                      const std::string& listen);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // "http://HOST:PORT/metrics" with the bound port.
  std::string url() const;
  int port() const { return http_->port(); }

 private:
  MetricsServer() = default;
  std::unique_ptr<HttpService> http_;
};

}  // namespace orderflow::monitor

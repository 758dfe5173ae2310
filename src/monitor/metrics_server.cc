#include "monitor/metrics_server.h"

#include <httplib.h>

namespace orderflow::monitor {

Result<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const metrics::MetricsRegistry& registry, const std::string& flag, const std::string& listen) {
  auto http = HttpService::Start(flag, listen, [&registry](httplib::Server& http) {
    http.Get("/metrics", [&registry](const httplib::Request&, httplib::Response& res) {
      res.set_content(registry.Expose(), "text/plain; version=0.0.4; charset=utf-8");
    });
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("orderflow metrics: see /metrics\n", "text/plain");
    });
  });
  if (!http.ok()) return http.status();
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->http_ = std::move(http).value();
  return server;
}

std::string MetricsServer::url() const { return http_->url("/metrics"); }

}  // namespace orderflow::monitor

// Serves a MetricsRegistry at GET /metrics (Prometheus text format 0.0.4) on its own thread,
// for `--metrics-listen HOST:PORT`. Other paths get 404, other methods 405. Move-only RAII:
// destruction stops the server and joins its thread; never throws.
// Safe for concurrent use (the registry is).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "common/status.h"
#include "metrics/metrics_registry.h"

namespace httplib {
class Server;
}

namespace orderflow::monitor {

struct HostPort {
  std::string host;
  int port = 0;
};

// Parses "HOST:PORT", ":PORT" or "PORT" (host defaults to 127.0.0.1: loopback unless the user
// says otherwise; "[::1]:PORT" for IPv6). Port 0 means any free port. InvalidArgument naming
// `flag` for anything else.
Result<HostPort> ParseHostPort(const std::string& flag, const std::string& text);

// httplib's default socket options add SO_REUSEPORT, which lets a second process bind a port
// that is already in use (and steal half of its requests). These keep SO_REUSEADDR only, so a
// busy port is reported instead.
void ExclusiveListenSocketOptions(int sock);

// Errors as one plain-text line (the status code; "internal error" for a handler that threw),
// not httplib's empty bodies or a dropped connection.
void InstallPlainTextErrorHandlers(httplib::Server& http);

class MetricsServer {
 public:
  // Binds `listen` and starts serving `registry`, which must outlive the server.
  // InvalidArgument naming `flag` when the address is malformed or cannot be bound.
  static Result<std::unique_ptr<MetricsServer>> Start(const metrics::MetricsRegistry& registry,
                                                      const std::string& flag,
                                                      const std::string& listen);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // "http://HOST:PORT/metrics" with the bound port.
  std::string url() const;
  int port() const { return port_; }

 private:
  MetricsServer() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace orderflow::monitor

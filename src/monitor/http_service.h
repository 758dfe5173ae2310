// The HTTP side every orderflow server shares (the /metrics endpoint, the dashboard, the
// embedded broker's control endpoint): parse a HOST:PORT flag, bind it exclusively, answer
// errors as plain text, serve on one thread, and stop cleanly. HttpService is move-less RAII:
// destruction stops the server and joins its thread; never throws. Safe for concurrent use.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"

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
Result<HostPort> ParseHostPort(std::string_view flag, const std::string& text);

// httplib's default socket options add SO_REUSEPORT, which lets a second process bind a port
// that is already in use (and steal half of its requests). These keep SO_REUSEADDR only, so a
// busy port is reported instead.
void ExclusiveListenSocketOptions(int sock);

// Errors as one plain-text line (the status code; "internal error" for a handler that threw),
// not httplib's empty bodies or a dropped connection.
void InstallPlainTextErrorHandlers(httplib::Server& http);

class HttpService {
 public:
  // Parses `listen` (the value of `flag`), lets `route` add the handlers, binds with
  // ExclusiveListenSocketOptions and plain-text errors, and serves on a new thread.
  // InvalidArgument naming `flag` when the address is malformed or cannot be bound.
  static Result<std::unique_ptr<HttpService>> Start(
      std::string_view flag, const std::string& listen,
      const std::function<void(httplib::Server&)>& route);
  ~HttpService();
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  // "http://HOST:PORT" + path, with IPv6 hosts in brackets.
  std::string url(std::string_view path) const;

 private:
  HttpService() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace orderflow::monitor

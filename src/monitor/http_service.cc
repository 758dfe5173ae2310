#include "monitor/http_service.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>

namespace orderflow::monitor {

Result<HostPort> ParseHostPort(std::string_view flag, const std::string& text) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("{} {}: {} (expected HOST:PORT, e.g. 127.0.0.1:9464)", flag, text, why));
  };
  HostPort out{"127.0.0.1", 0};
  std::string_view port_text = text;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("bad IPv6 address");
    }
    out.host = text.substr(1, close - 1);
    port_text = std::string_view(text).substr(close + 2);
  } else if (const size_t colon = text.rfind(':'); colon != std::string::npos) {
    if (colon > 0) out.host = text.substr(0, colon);
    if (out.host.find(':') != std::string::npos) return bad("IPv6 hosts go in brackets");
    port_text = std::string_view(text).substr(colon + 1);
  }
  int port = -1;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return bad("port must be 0..65535");
  }
  if (out.host.empty()) return bad("empty host");
  out.port = port;
  return out;
}

void ExclusiveListenSocketOptions(int sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

void InstallPlainTextErrorHandlers(httplib::Server& http) {
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(fmt::format("{}\n", res.status), "text/plain");
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content("internal error\n", "text/plain");
      });
}

Result<std::unique_ptr<HttpService>> HttpService::Start(
    std::string_view flag, const std::string& listen,
    const std::function<void(httplib::Server&)>& route) {
  auto address = ParseHostPort(flag, listen);
  if (!address.ok()) return address.status();
  std::unique_ptr<HttpService> service(new HttpService());
  service->server_ = std::make_unique<httplib::Server>();
  httplib::Server& http = *service->server_;
  http.set_socket_options(ExclusiveListenSocketOptions);
  route(http);
  InstallPlainTextErrorHandlers(http);
  service->host_ = address->host;
  service->port_ = address->port == 0
                       ? http.bind_to_any_port(address->host)
                       : (http.bind_to_port(address->host, address->port) ? address->port : -1);
  if (service->port_ <= 0) {
    return Status::InvalidArgument(fmt::format("{} {}: cannot listen there", flag, listen));
  }
  service->thread_ = std::thread([&http] { http.listen_after_bind(); });
  return service;
}

HttpService::~HttpService() {
  // stop() is a no-op before listen_after_bind() has started: wait for that first.
  for (int i = 0; i < 2000 && thread_.joinable() && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string HttpService::url(std::string_view path) const {
  const bool v6 = host_.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}{}", v6 ? "[" : "", host_, v6 ? "]" : "", port_, path);
}

}  // namespace orderflow::monitor

#include "monitor/alert_webhook.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace orderflow::monitor {
namespace {

constexpr size_t kQueueMax = 100;

nlohmann::json LabelsOf(const Alert& a) {
  return {{"alertname", a.name}, {"severity", a.severity}, {"service", "orderflow"}};
}

}  // namespace

std::string Rfc3339(int64_t epoch_ms) {
  if (epoch_ms <= 0) return "0001-01-01T00:00:00Z";
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", tm, epoch_ms % 1000);
}

std::string AlertmanagerPayload(const std::vector<Alert>& alerts, const std::string& external_url) {
  nlohmann::json list = nlohmann::json::array();
  bool any_firing = false;
  for (const Alert& a : alerts) {
    any_firing |= a.firing;
    list.push_back({{"status", a.firing ? "firing" : "resolved"},
                    {"labels", LabelsOf(a)},
                    {"annotations", {{"summary", a.summary}}},
                    {"startsAt", Rfc3339(a.starts_at_ms)},
                    {"endsAt", Rfc3339(a.firing ? 0 : a.ends_at_ms)},
                    {"generatorURL", external_url},
                    {"fingerprint", fmt::format("{:016x}", std::hash<std::string>{}(a.name))}});
  }
  nlohmann::json common = {{"service", "orderflow"}};
  if (alerts.size() == 1) common = LabelsOf(alerts[0]);
  const nlohmann::json body = {
      {"version", "4"},
      {"groupKey", "{}:{service=\"orderflow\"}"},
      {"truncatedAlerts", 0},
      {"status", any_firing ? "firing" : "resolved"},
      {"receiver", "orderflow-webhook"},
      {"groupLabels", {{"service", "orderflow"}}},
      {"commonLabels", common},
      {"commonAnnotations", nlohmann::json::object()},
      {"externalURL", external_url},
      {"alerts", list},
  };
  return body.dump();
}

Result<std::unique_ptr<AlertWebhook>> AlertWebhook::Start(const std::string& url,
                                                          const std::string& external_url) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("--alert-webhook {}: {}", url, why));
  };
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return bad("expected http://HOST[:PORT]/PATH");
  std::unique_ptr<AlertWebhook> hook(new AlertWebhook());
  const std::string rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  hook->path_ = slash == std::string::npos ? "/" : rest.substr(slash);
  if (const size_t colon = authority.rfind(':');
      colon != std::string::npos && authority.find(']') == std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), hook->port_);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || hook->port_ <= 0 ||
        hook->port_ > 65535) {
      return bad("bad port");
    }
    authority.resize(colon);
  }
  if (authority.empty()) return bad("no host");
  hook->host_ = authority;
  hook->external_url_ = external_url;
  hook->thread_ = std::thread([h = hook.get()] { h->Loop(); });
  return hook;
}

AlertWebhook::~AlertWebhook() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertWebhook::Notify(const std::vector<Alert>& changes) {
  std::vector<Alert> firing, resolved;
  for (const Alert& a : changes) (a.firing ? firing : resolved).push_back(a);
  std::lock_guard lock(mu_);
  for (const auto* group : {&firing, &resolved}) {
    if (group->empty()) continue;
    if (queue_.size() >= kQueueMax) {
      ++failed_;
      spdlog::warn("[alerts] webhook queue full: dropping a notification");
      continue;
    }
    queue_.push_back(AlertmanagerPayload(*group, external_url_));
  }
  cv_.notify_all();
}

void AlertWebhook::Loop() {
  httplib::Client client(host_, port_);
  client.set_connection_timeout(2);
  client.set_read_timeout(3);
  client.set_write_timeout(3);
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything was sent
    const std::string body = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    auto res = client.Post(path_.c_str(), body, "application/json");
    const bool ok = res && res->status >= 200 && res->status < 300;
    if (!ok) {
      spdlog::warn("[alerts] webhook http://{}:{}{} failed: {}", host_, port_, path_,
                   res ? fmt::format("HTTP {}", res->status) : httplib::to_string(res.error()));
    }
    lock.lock();
    ++(ok ? delivered_ : failed_);
  }
}

uint64_t AlertWebhook::delivered() const {
  std::lock_guard lock(mu_);
  return delivered_;
}

uint64_t AlertWebhook::failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}

}  // namespace orderflow::monitor

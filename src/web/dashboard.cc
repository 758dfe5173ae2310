#include "web/dashboard.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/clock.h"
#include "common/periodic_report.h"
#include "common/stop_flag.h"
#include "event/event_fields.h"
#include "event/event_validator.h"
#include "kafka/broker_health.h"
#include "kafka/consumer.h"
#include "monitor/alert_webhook.h"
#include "monitor/alerts.h"
#include "web/dashboard_server.h"
#include "web/kpi_windows.h"
#include "web/pipeline_scraper.h"

namespace orderflow::web {
namespace {

constexpr int FieldIndex(std::string_view name) {
  for (size_t i = 0; i < event::kFields.size(); ++i) {
    if (event::kFields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}
constexpr int kItem = FieldIndex("item");
constexpr int kTotal = FieldIndex("total_amount");
constexpr int kPayment = FieldIndex("payment_method");
constexpr int kChannel = FieldIndex("sales_channel");
static_assert(kItem >= 0 && kTotal >= 0 && kPayment >= 0 && kChannel >= 0);

// A raw JSON string token without its quotes (our values have no escapes worth decoding).
std::string_view Unquote(std::string_view raw) {
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"')
    return raw.substr(1, raw.size() - 2);
  return raw;
}

// The KPI side: its own consumer group, validated events into event-time windows.
class KpiConsumer {
 public:
  KpiConsumer(const DashboardOptions& options)
      : options_(options),
        windows_(static_cast<int64_t>(options.window_seconds * 1000),
                 static_cast<int64_t>(options.allowed_lateness_seconds * 1000), 15) {}

  Status Start() {
    auto consumer = kafka::Consumer::Create(
        options_.kafka, options_.group_id,
        {{"enable.auto.commit", "true"},
         {"auto.offset.reset", options_.from_earliest ? "earliest" : "latest"},
         {"session.timeout.ms", "6000"},
         {"heartbeat.interval.ms", "500"},
         {"fetch.wait.max.ms", "100"}},
        nullptr);
    if (!consumer.ok()) return consumer.status();
    consumer_.emplace(std::move(consumer).value());
    if (Status s = consumer_->Subscribe(options_.topic); !s.ok()) return s;
    thread_ = std::thread([this] { Loop(); });
    return Status::Ok();
  }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (consumer_) (void)consumer_->Close();
  }

  nlohmann::json Json() {
    std::lock_guard lock(mu_);
    nlohmann::json j = windows_.ToJson();
    j["consumed"] = consumed_;
    j["consumed_valid"] = valid_;
    j["consumer_error"] = error_;
    return j;
  }

 private:
  void Loop() {
    event::EventValidator validator;
    kafka::MessageBatch batch;
    while (!stop_.load()) {
      batch.Clear();
      const Status s = consumer_->Consume(200, 5000, batch);
      if (!s.ok()) {
        {
          std::lock_guard lock(mu_);
          error_ = s.message();
        }
        // Back off without the lock: the page's requests read the figures meanwhile.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < batch.size(); ++i) {
        const kafka::Message m = batch[i];
        if (m.error != kafka::kNoError) continue;
        ++consumed_;
        const event::Validation& v = validator.Validate(m.value);
        if (!v.valid) continue;
        ++valid_;
        double amount = 0;
        const std::string_view total = v.raw[kTotal];
        std::from_chars(total.data(), total.data() + total.size(), amount);
        windows_.Add(v.event_time_ms, amount, Unquote(v.raw[kItem]), Unquote(v.raw[kChannel]),
                     Unquote(v.raw[kPayment]));
      }
    }
  }

  const DashboardOptions& options_;
  std::optional<kafka::Consumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  KpiWindows windows_;
  uint64_t consumed_ = 0, valid_ = 0;
  std::string error_;
};

nlohmann::json AlertJson(const monitor::Alert& a) {
  return {{"name", a.name},     {"severity", a.severity},         {"summary", a.summary},
          {"firing", a.firing}, {"starts_at_ms", a.starts_at_ms}, {"ends_at_ms", a.ends_at_ms}};
}

Status CheckOptions(const DashboardOptions& options) {
  if (!(options.window_seconds >= 1) || !(options.allowed_lateness_seconds >= 0) ||
      !(options.update_seconds > 0)) {
    return Status::InvalidArgument(
        "--window-seconds must be >= 1, --allowed-lateness-seconds >= 0, --update-seconds > 0");
  }
  return Status::Ok();
}

Result<std::vector<ScrapeTarget>> ParseScrapeTargets(const std::vector<std::string>& metrics) {
  std::vector<ScrapeTarget> targets;
  for (const std::string& m : metrics) {
    auto target = ParseScrapeTarget(m);
    if (!target.ok()) return target.status();
    targets.push_back(*target);
  }
  return targets;
}

// The built-in thresholds, overridden by the --alert-config file when there is one.
Result<monitor::AlertConfig> AlertConfigOf(const DashboardOptions& options) {
  if (options.alert_config.empty()) return monitor::AlertConfig{};
  auto loaded = monitor::LoadAlertConfig(options.alert_config);
  if (!loaded.ok())
    return Status::InvalidArgument(fmt::format("--alert-config: {}", loaded.status().message()));
  return loaded;
}

// nullptr without --alert-webhook.
Result<std::unique_ptr<monitor::AlertWebhook>> StartWebhookIfAsked(const DashboardOptions& options,
                                                                   const std::string& page_url) {
  if (options.alert_webhook.empty()) return std::unique_ptr<monitor::AlertWebhook>();
  return monitor::AlertWebhook::Start(options.alert_webhook, page_url);
}

// The dashboard's update loop: every --update-seconds it scrapes the pipeline, evaluates the
// alerts and publishes one state document to the page.
class DashboardLoop {
 public:
  DashboardLoop(const DashboardOptions& options, std::vector<ScrapeTarget> targets,
                const monitor::AlertConfig& alert_config, DashboardServer& server,
                monitor::AlertWebhook* webhook, const kafka::BrokerHealth& brokers,
                KpiConsumer& kpis)
      : options_(options),
        server_(server),
        webhook_(webhook),
        brokers_(brokers),
        kpis_(kpis),
        scraper_(std::move(targets)),
        alerts_(alert_config),
        started_(Clock::now()),
        updates_(options.update_seconds, started_) {}
  DashboardLoop(const DashboardLoop&) = delete;
  DashboardLoop& operator=(const DashboardLoop&) = delete;

  // Updates the page until a stop signal.
  void Run() {
    while (!StopRequested()) {
      Update();
      while (!StopRequested() && Clock::now() < updates_.next_due())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      updates_.MarkDoneOnSchedule(Clock::now(), std::chrono::seconds(2));
    }
  }

 private:
  void Update() {
    const int64_t now_ms = WallMillis();
    scraper_.Scrape(SecondsSince(started_), now_ms);
    EvaluateAlerts(now_ms);
    server_.Publish(
        StateJson(now_ms).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }

  // Logs each alert that fired or resolved, and sends the transitions to the webhook.
  void EvaluateAlerts(int64_t now_ms) {
    const std::vector<monitor::Alert> changes = alerts_.Evaluate(scraper_.sample(), now_ms);
    for (const monitor::Alert& a : changes) {
      if (a.firing) {
        spdlog::warn("[alerts] FIRING {} ({}): {}", a.name, a.severity, a.summary);
      } else {
        spdlog::info("[alerts] RESOLVED {}", a.name);
      }
    }
    if (webhook_ && !changes.empty()) webhook_->Notify(changes);
  }

  nlohmann::json StateJson(int64_t now_ms) {
    nlohmann::json health = scraper_.health();
    const kafka::BrokerCounts b = brokers_.counts();
    health["brokers_up"] = b.up;
    health["brokers_known"] = b.known;
    nlohmann::json active = nlohmann::json::array(), recent = nlohmann::json::array();
    for (const auto& a : alerts_.Active()) active.push_back(AlertJson(a));
    for (const auto& a : alerts_.Recent()) recent.push_back(AlertJson(a));
    return {
        {"updated_ms", now_ms},
        {"topic", options_.topic},
        {"pipeline", health},
        {"kpis", kpis_.Json()},
        {"alerts", {{"active", active}, {"recent", recent}}},
    };
  }

  const DashboardOptions& options_;
  DashboardServer& server_;
  monitor::AlertWebhook* webhook_;  // nullptr: none
  const kafka::BrokerHealth& brokers_;
  KpiConsumer& kpis_;
  PipelineScraper scraper_;
  monitor::AlertEngine alerts_;
  const Clock::time_point started_;
  PeriodicReport updates_;
};

}  // namespace

Status RunDashboard(const DashboardOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  auto targets = ParseScrapeTargets(options.metrics);
  if (!targets.ok()) return targets.status();
  auto alert_config = AlertConfigOf(options);
  if (!alert_config.ok()) return alert_config.status();
  const std::string web_root = FindWebRoot(options.web_root);
  auto server = DashboardServer::Start(options.listen, web_root);
  if (!server.ok()) return server.status();
  auto webhook = StartWebhookIfAsked(options, (*server)->url());
  if (!webhook.ok()) return webhook.status();
  auto brokers = kafka::BrokerHealth::Start(options.kafka);
  if (!brokers.ok()) return brokers.status();
  KpiConsumer kpis(options);
  if (Status s = kpis.Start(); !s.ok()) return s;

  std::printf("[dashboard] serving %s on %s (web root %s)\n", options.topic.c_str(),
              (*server)->url().c_str(), web_root.c_str());
  std::fflush(stdout);
  DashboardLoop loop(options, std::move(targets).value(), *alert_config, **server, webhook->get(),
                     **brokers, kpis);
  loop.Run();
  kpis.Stop();
  return Status::Ok();
}

}  // namespace orderflow::web

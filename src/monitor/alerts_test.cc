#include "monitor/alerts.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

#include "monitor/alert_webhook.h"

namespace orderflow::monitor {
namespace {

PipelineSample Sample(double t, double processed, double invalid) {
  PipelineSample s;
  s.t = t;
  s.has_processor = true;
  s.processed = processed;
  s.invalid = invalid;
  return s;
}

TEST(AlertConfigTest, OverridesDefaultsAndRejectsUnknownKeys) {
  auto c =
      ParseAlertConfig(R"({"invalid_share": {"threshold": 0.1, "window_seconds": 5}})", "x.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->invalid_share, 0.1);
  EXPECT_EQ(c->invalid_window_seconds, 5);
  EXPECT_EQ(c->lag_max, AlertConfig{}.lag_max);
  for (const char* bad :
       {R"({"invalid_shar": {}})", R"({"lag": {"threshold": -1}})", R"({"lag": {"treshold": 1}})",
        R"({"stall": 3})", "[1]", "{", R"({"invalid_share": {"threshold": 5}})",
        R"({"lag": {"threshold": "9"}})"}) {
    auto r = ParseAlertConfig(bad, "x.json");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("x.json"), std::string::npos);
    }
  }
  EXPECT_FALSE(LoadAlertConfig("/nonexistent/alerts.json").ok());
}

TEST(HistogramQuantileTest, InterpolatesInsideTheBucket) {
  // 100 samples: 50 in (0, 1], 50 in (1, 2].
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.5, {1, 2}, {50, 100, 100}), 1);
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.75, {1, 2}, {50, 100, 100}), 1.5);
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.99, {1, 2}, {0, 0, 10}), 2);  // +Inf bucket
  EXPECT_TRUE(std::isnan(HistogramQuantile(0.5, {1, 2}, {0, 0, 0})));
  EXPECT_TRUE(std::isnan(HistogramQuantile(0.5, {1, 2}, {0, 0})));
}

TEST(AlertEngineTest, InvalidShareFiresOverTheWindowAndResolves) {
  AlertConfig config;
  config.invalid_window_seconds = 10;
  AlertEngine engine(config);
  EXPECT_TRUE(engine.Evaluate(Sample(0, 0, 0), 1000).empty());
  EXPECT_TRUE(engine.Evaluate(Sample(5, 1000, 10), 6000).empty());  // 1%
  auto fired = engine.Evaluate(Sample(10, 1200, 110), 11000);       // +200 of which +100 invalid
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].name, "InvalidShareHigh");
  EXPECT_TRUE(fired[0].firing);
  EXPECT_EQ(fired[0].starts_at_ms, 11000);
  EXPECT_NEAR(fired[0].value, 110.0 / 1200, 1e-9);  // the window reaches back to t=0
  EXPECT_EQ(engine.Active().size(), 1u);
  EXPECT_TRUE(engine.Evaluate(Sample(15, 1300, 110), 16000).empty());  // still 100/300 since t=5
  auto resolved = engine.Evaluate(Sample(21, 5000, 110), 22000);       // 0 invalid since t=10
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_FALSE(resolved[0].firing);
  EXPECT_EQ(resolved[0].ends_at_ms, 22000);
  EXPECT_TRUE(engine.Active().empty());
  ASSERT_EQ(engine.Recent().size(), 2u);
  EXPECT_FALSE(engine.Recent().front().firing);
}

TEST(AlertEngineTest, CounterResetIsNotANegativeShare) {
  AlertConfig config;
  config.invalid_window_seconds = 10;
  AlertEngine engine(config);
  (void)engine.Evaluate(Sample(0, 100000, 100), 0);
  auto changes = engine.Evaluate(Sample(5, 100, 50), 0);  // processor restarted: 50% since
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].name, "InvalidShareHigh");
}

TEST(AlertEngineTest, EndToEndP99AboveThreshold) {
  AlertConfig config;
  config.e2e_p99_seconds = 1;
  config.e2e_window_seconds = 10;
  AlertEngine engine(config);
  PipelineSample s = Sample(0, 0, 0);
  s.e2e_bounds = {0.5, 1, 5};
  s.e2e_cumulative = {0, 0, 0, 0};
  EXPECT_TRUE(engine.Evaluate(s, 0).empty());
  s.t = 5;
  s.e2e_cumulative = {100, 100, 100, 100};  // all fast
  EXPECT_TRUE(engine.Evaluate(s, 0).empty());
  s.t = 16;
  s.e2e_cumulative = {100, 100, 200, 200};  // the last window: 100 samples in (1, 5]
  auto changes = engine.Evaluate(s, 0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].name, "EndToEndLatencyHigh");
  EXPECT_GT(changes[0].value, 1);
}

TEST(AlertEngineTest, LagHighAndGrowingForTheWholeWindow) {
  AlertConfig config;
  config.lag_max = 1000;
  config.lag_growth_seconds = 10;
  AlertEngine engine(config);
  auto lag = [](double t, double value) {
    PipelineSample s;
    s.t = t;
    s.has_lag = true;
    s.lag = value;
    return s;
  };
  EXPECT_TRUE(engine.Evaluate(lag(0, 10), 0).empty());
  EXPECT_TRUE(engine.Evaluate(lag(5, 20), 0).empty());  // not a whole window yet
  auto growing = engine.Evaluate(lag(10, 30), 0);
  ASSERT_EQ(growing.size(), 1u);
  EXPECT_EQ(growing[0].name, "ConsumerLagGrowing");
  auto both = engine.Evaluate(lag(15, 5000), 0);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].name, "ConsumerLagHigh");
  auto down = engine.Evaluate(lag(20, 100), 0);  // fell: neither high nor growing
  EXPECT_EQ(down.size(), 2u);
  EXPECT_TRUE(engine.Active().empty());
}

TEST(AlertEngineTest, StalledOnlyWhileEventsArrive) {
  AlertConfig config;
  config.stall_seconds = 10;
  AlertEngine engine(config);
  auto s = [](double t, double produced, double processed) {
    PipelineSample x = Sample(t, processed, 0);
    x.has_producer = true;
    x.produced = produced;
    return x;
  };
  EXPECT_TRUE(engine.Evaluate(s(0, 100, 100), 0).empty());
  EXPECT_TRUE(engine.Evaluate(s(10, 100, 100), 0).empty());  // idle pipeline: not stalled
  EXPECT_TRUE(engine.Evaluate(s(20, 500, 300), 0).empty());  // progressing
  EXPECT_TRUE(engine.Evaluate(s(25, 900, 300), 0).empty());  // only 5 s without progress
  auto stalled = engine.Evaluate(s(31, 1500, 300), 0);
  ASSERT_EQ(stalled.size(), 1u);
  EXPECT_EQ(stalled[0].name, "ProcessingStalled");
  EXPECT_EQ(stalled[0].severity, "critical");
}

TEST(AlertWebhookTest, PayloadHasAlertmanagerShape) {
  Alert a{"InvalidShareHigh", "warning", "12% invalid", true, 1764000000123, 0, 0.12};
  const auto body = nlohmann::json::parse(AlertmanagerPayload({a}, "http://127.0.0.1:8080/"));
  EXPECT_EQ(body["version"], "4");
  EXPECT_EQ(body["status"], "firing");
  ASSERT_EQ(body["alerts"].size(), 1u);
  EXPECT_EQ(body["alerts"][0]["labels"]["alertname"], "InvalidShareHigh");
  EXPECT_EQ(body["alerts"][0]["annotations"]["summary"], "12% invalid");
  EXPECT_EQ(body["alerts"][0]["startsAt"], "2025-11-24T16:00:00.123Z");
  EXPECT_EQ(body["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(body["commonLabels"]["alertname"], "InvalidShareHigh");
}

TEST(AlertWebhookTest, PostsFiringAndResolvedToTheReceiver) {
  httplib::Server receiver;
  std::mutex mu;
  std::vector<nlohmann::json> received;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    received.push_back(nlohmann::json::parse(req.body));
    res.status = 200;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread t([&] { receiver.listen_after_bind(); });
  {
    auto hook = AlertWebhook::Start(fmt::format("http://127.0.0.1:{}/hook", port), "");
    ASSERT_TRUE(hook.ok()) << hook.status().message();
    Alert a{"ProcessingStalled", "critical", "stalled", true, 1000, 0, 0};
    Alert b = a;
    b.name = "ConsumerLagHigh";
    b.firing = false;
    b.ends_at_ms = 2000;
    (*hook)->Notify({a, b});
  }  // the destructor delivers what is queued
  receiver.stop();
  t.join();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0]["status"], "firing");
  EXPECT_EQ(received[1]["status"], "resolved");
  EXPECT_EQ(received[1]["alerts"][0]["endsAt"], "1970-01-01T00:00:02.000Z");
}

TEST(AlertWebhookTest, RejectsBadUrlsAndSurvivesADeadReceiver) {
  for (const char* bad :
       {"https://x/", "ftp://x", "http://", "http://h:0/", "http://h:99999/", "x"}) {
    EXPECT_FALSE(AlertWebhook::Start(bad, "").ok()) << bad;
  }
  auto hook = AlertWebhook::Start("http://127.0.0.1:1/nothing-listens", "");
  ASSERT_TRUE(hook.ok());
  (*hook)->Notify({Alert{"X", "warning", "s", true, 1, 0, 0}});
  for (int i = 0; i < 100 && (*hook)->failed() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ((*hook)->failed(), 1u);
}

}  // namespace
}  // namespace orderflow::monitor

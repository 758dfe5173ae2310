// End-to-end observability: the real binary's /metrics, and the dashboard's invalid-share alert
// firing during a burst of `produce --invalid-mode random` and resolving after it, seen in the
// dashboard's log and at an Alertmanager-style webhook receiver.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "tests/e2e/e2e_harness.h"

namespace orderflow::e2e {
namespace {

using Clock = std::chrono::steady_clock;

// The first match of `pattern` in the file, waiting up to timeout_s; "" when none.
std::string WaitForMatch(const std::string& path, const std::string& pattern, int timeout_s) {
  const std::regex re(pattern);
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  while (Clock::now() < deadline) {
    std::smatch m;
    const std::string text = ReadFileOrEmpty(path);
    if (std::regex_search(text, m, re)) return m.str(m.size() > 1 ? 1 : 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "";
}

// Stops a background command with SIGTERM (as a user would) and checks it exits cleanly.
void Stop(pid_t pid, const std::string& name) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  EXPECT_EQ(WaitFor(pid, 20), 0) << name;
}

TEST(ObservabilityE2eTest, MetricsEndpointServesThePipelineFigures) {
  BrokerFixture f;
  f.Orderflow(
      "produce --events-per-second max --max-events 3000 --seed 3 --report-every-seconds 0");
  f.Orderflow(
      "produce --events-per-second max --max-events 300 --seed 4 --invalid-mode missing_quantity "
      "--report-every-seconds 0");
  const pid_t processor =
      StartOrderflow(f.dir(),
                     {"process", "--metrics-listen", "127.0.0.1:0", "--starting-offsets",
                      "earliest", "--trigger", "200ms", "--report-every-seconds", "0"},
                     f.Path("process.log"));
  const std::string port =
      WaitForMatch(f.Path("process.log"), "metrics at http://127.0.0.1:(\\d+)", 20);
  ASSERT_FALSE(port.empty()) << ReadFileOrEmpty(f.Path("process.log"));
  httplib::Client client("127.0.0.1", std::stoi(port));
  std::string body;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    auto res = client.Get("/metrics");
    if (res && res->status == 200) body = res->body;
    if (body.find("orderflow_processor_events_total{outcome=\"valid\"} 3000\n") !=
            std::string::npos &&
        body.find("outcome=\"invalid\"} 300\n") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_NE(body.find("orderflow_processor_events_total{outcome=\"valid\"} 3000\n"),
            std::string::npos)
      << body;
  EXPECT_NE(
      body.find("orderflow_processor_invalid_events_total{reason=\"missing_quantity\"} 300\n"),
      std::string::npos)
      << body;
  EXPECT_NE(body.find("orderflow_processor_end_to_end_latency_seconds_count 3000\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("orderflow_processor_consumer_lag{partition=\"0\"} 0\n"), std::string::npos)
      << body;
  EXPECT_NE(body.find("# TYPE orderflow_processor_batch_duration_seconds histogram"),
            std::string::npos);
  auto missing = client.Get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  // A port in use is a configuration error: exit 2 naming the flag.
  const std::string out = f.Orderflow("track --metrics-listen 127.0.0.1:" + port, 2);
  EXPECT_NE(out.find("--metrics-listen"), std::string::npos) << out;
  Stop(processor, "process");
}

TEST(ObservabilityE2eTest, InvalidBurstFiresTheInvalidShareAlertWhichThenResolves) {
  BrokerFixture f;
  // The webhook receiver: records (status, alertname) of every alert it is sent.
  httplib::Server receiver;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> received;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    std::lock_guard lock(mu);
    if (!body.is_discarded() && body.contains("alerts")) {
      for (const auto& a : body["alerts"]) {
        received.emplace_back(a.value("status", ""), a["labels"].value("alertname", ""));
      }
    }
    res.status = 200;
  });
  const int hook_port = receiver.bind_to_any_port("127.0.0.1");
  std::thread receiver_thread([&] { receiver.listen_after_bind(); });
  const auto seen = [&](const std::string& status) {
    std::lock_guard lock(mu);
    return std::find(received.begin(), received.end(),
                     std::make_pair(status, std::string("InvalidShareHigh"))) != received.end();
  };

  std::ofstream(f.Path("alerts.json"))
      << R"({"invalid_share": {"threshold": 0.05, "window_seconds": 4}})";
  const pid_t processor = StartOrderflow(f.dir(),
                                         {"process", "--metrics-listen", "127.0.0.1:0", "--trigger",
                                          "200ms", "--report-every-seconds", "0"},
                                         f.Path("process.log"));
  const std::string metrics =
      WaitForMatch(f.Path("process.log"), "metrics at http://(127.0.0.1:\\d+)", 20);
  ASSERT_FALSE(metrics.empty()) << ReadFileOrEmpty(f.Path("process.log"));
  const pid_t dashboard = StartOrderflow(
      f.dir(),
      {"dashboard", "--listen", "127.0.0.1:0", "--metrics", metrics, "--alert-config",
       "alerts.json", "--alert-webhook", "http://127.0.0.1:" + std::to_string(hook_port) + "/hook"},
      f.Path("dashboard.log"));
  const pid_t producer = StartOrderflow(f.dir(),
                                        {"produce", "--events-per-second", "300",
                                         "--duration-seconds", "60", "--report-every-seconds", "0"},
                                        f.Path("produce.log"));
  // The processor is in its group and processing valid events, and no alert is firing.
  ASSERT_FALSE(WaitForMatch(f.Path("process.log"), "assigned partitions", 30).empty())
      << ReadFileOrEmpty(f.Path("process.log"));
  std::this_thread::sleep_for(std::chrono::seconds(5));
  EXPECT_FALSE(seen("firing")) << ReadFileOrEmpty(f.Path("dashboard.log"));

  // The burst: ~40% of the traffic is invalid for 3 s.
  f.Orderflow(
      "produce --invalid-mode random --events-per-second 200 --duration-seconds 3 "
      "--report-every-seconds 0");
  const auto fire_deadline = Clock::now() + std::chrono::seconds(20);
  while (!seen("firing") && Clock::now() < fire_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(seen("firing")) << ReadFileOrEmpty(f.Path("dashboard.log"));
  // Valid traffic only again: the share over the 4 s window falls to 0.
  const auto resolve_deadline = Clock::now() + std::chrono::seconds(20);
  while (!seen("resolved") && Clock::now() < resolve_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(seen("resolved")) << ReadFileOrEmpty(f.Path("dashboard.log"));
  const std::string log = ReadFileOrEmpty(f.Path("dashboard.log"));
  EXPECT_NE(log.find("FIRING InvalidShareHigh"), std::string::npos) << log;
  EXPECT_NE(log.find("RESOLVED InvalidShareHigh"), std::string::npos) << log;

  Stop(producer, "produce");
  Stop(dashboard, "dashboard");
  Stop(processor, "process");
  receiver.stop();
  receiver_thread.join();
}

TEST(ObservabilityE2eTest, DashboardRejectsBadConfiguration) {
  BrokerFixture f;
  std::ofstream(f.Path("bad.json")) << R"({"invalid_share": {"threshold": "high"}})";
  for (const std::string& args :
       {std::string("dashboard --alert-config bad.json --listen 127.0.0.1:0"),
        std::string("dashboard --alert-config missing.json --listen 127.0.0.1:0"),
        std::string("dashboard --alert-webhook ftp://x --listen 127.0.0.1:0"),
        std::string("dashboard --metrics nohostport --listen 127.0.0.1:0"),
        std::string("dashboard --listen 127.0.0.1:99999"),
        std::string("dashboard --web-root /nonexistent --listen 127.0.0.1:0")}) {
    const std::string out = f.Orderflow(args, 2, 30);
    EXPECT_NE(out.find("orderflow dashboard"), std::string::npos) << args << "\n" << out;
  }
}

}  // namespace
}  // namespace orderflow::e2e

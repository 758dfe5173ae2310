// orderflow broker: hosts the embedded Kafka-protocol cluster until SIGINT/SIGTERM, publishes
// its address in the data directory's bootstrap file and serves a loopback control endpoint
// (published in the control file; both in common/data_layout.h) for topic creation and fault
// injection.
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <climits>
#include <cstdio>
#include <thread>
#include <tuple>

#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/flag_values.h"
#include "cli/kafka_flags.h"
#include "common/data_layout.h"
#include "common/file_system.h"
#include "common/stop_flag.h"
#include "kafka/embedded_cluster.h"
#include "monitor/http_service.h"

namespace orderflow::cli {
namespace {

struct BrokerFlags {
  int brokers = 2;
  int partitions = 6;
  int replication_factor = 2;
  std::string topic = "orders";
  std::string data_dir = data_layout::kDefaultDataDir;
  std::string control_listen = "127.0.0.1:0";
};

// A request's integer parameter, `fallback` when absent; InvalidArgument when it is not one.
Result<int> IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  auto value = ParseInteger(name, req.get_param_value(name), INT32_MIN, INT32_MAX);
  if (!value.ok()) return value.status();
  return static_cast<int>(*value);
}

void Reply(httplib::Response& res, const Status& s) {
  res.status = s.ok() ? 200 : 400;
  res.set_content(s.ok() ? "ok\n" : s.message() + "\n", "text/plain");
}

// Runs `action` with the request's integer parameters (name, default), or replies 400 naming
// the first malformed one.
template <size_t N, typename Action>
void WithIntParams(const httplib::Request& req, httplib::Response& res,
                   const std::pair<const char*, int> (&params)[N], Action action) {
  std::array<int, N> values{};
  for (size_t i = 0; i < N; ++i) {
    auto value = IntParam(req, params[i].first, params[i].second);
    if (!value.ok()) return Reply(res, value.status());
    values[i] = *value;
  }
  Reply(res, std::apply(action, values));
}

// The control endpoint: the embedded cluster has no CreateTopics API (librdkafka's mock does
// not implement it) and its fault switches are in-process calls; this exposes both on
// loopback so `orderflow topic` and the reliability tests can reach them.
void RegisterControlRoutes(httplib::Server& server, kafka::EmbeddedCluster& cluster) {
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server.Post(R"(/topics/([A-Za-z0-9._-]{1,249}))",
              [&](const httplib::Request& req, httplib::Response& res) {
                const std::string topic = req.matches[1];
                WithIntParams(req, res, {{"partitions", 6}, {"replication_factor", 2}},
                              [&](int partitions, int replication_factor) {
                                return cluster.CreateTopic(topic, partitions, replication_factor);
                              });
              });
  server.Post(R"(/brokers/(\d+)/(down|up))",
              [&](const httplib::Request& req, httplib::Response& res) {
                auto id = ParseInteger("broker", req.matches[1].str(), 0, INT32_MAX);
                if (!id.ok()) return Reply(res, id.status());
                const int broker = static_cast<int>(*id);
                Reply(res, req.matches[2] == "down" ? cluster.SetBrokerDown(broker)
                                                    : cluster.SetBrokerUp(broker));
              });
  server.Post("/leader", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string topic = req.get_param_value("topic");
    WithIntParams(req, res, {{"partition", 0}, {"broker", 1}}, [&](int partition, int broker) {
      return cluster.SetPartitionLeader(topic, partition, broker);
    });
  });
  server.Post("/errors", [&](const httplib::Request& req, httplib::Response& res) {
    WithIntParams(req, res, {{"api", 0}, {"error", 6}, {"count", 1}},
                  [&](int api, int error, int count) {
                    return cluster.PushRequestErrors(api, error, count);
                  });
  });
  server.Post("/rtt", [&](const httplib::Request& req, httplib::Response& res) {
    WithIntParams(req, res, {{"broker", 1}, {"ms", 0}},
                  [&](int broker, int ms) { return cluster.SetBrokerRtt(broker, ms); });
  });
}

int RunBroker(const BrokerFlags& flags) {
  auto cluster = kafka::EmbeddedCluster::Start(flags.brokers);
  if (!cluster.ok()) return ReportFailure("broker", cluster.status());
  if (Status s = cluster->CreateTopic(flags.topic, flags.partitions, flags.replication_factor);
      !s.ok()) {
    return ReportFailure("broker", s);
  }
  FileSystem& fs = FileSystem::Default();
  if (Status s = fs.CreateDirs(flags.data_dir); !s.ok()) {
    return ReportFailure("broker",
                         Status::InvalidArgument(fmt::format("--data-dir: {}", s.message())));
  }

  auto control = monitor::HttpService::Start(
      "--control-listen", flags.control_listen,
      [&](httplib::Server& http) { RegisterControlRoutes(http, *cluster); });
  if (!control.ok()) return ReportFailure("broker", control.status());

  const std::string bootstrap = cluster->bootstrap_servers();
  const std::string bootstrap_line = bootstrap + "\n";
  const std::string control_line = fmt::format("{}:{}\n", (*control)->host(), (*control)->port());
  Status published = PublishFiles(fs, flags.data_dir,
                                  {{data_layout::BrokerBootstrapFileName(), bootstrap_line},
                                   {data_layout::BrokerControlFileName(), control_line}});
  if (!published.ok()) return ReportFailure("broker", published);
  std::printf("[broker] embedded Kafka-protocol cluster: %d brokers at %s\n", flags.brokers,
              bootstrap.c_str());
  std::printf("[broker] topic %s: %d partitions, replication factor %d\n", flags.topic.c_str(),
              flags.partitions, flags.replication_factor);
  std::printf("[broker] bootstrap published in %s; control endpoint %s\n",
              data_layout::BrokerBootstrapFilePath(flags.data_dir).c_str(),
              (*control)->url("").c_str());
  std::printf(
      "[broker] in-memory, bounded retention (about 100,000 messages or 5 MB per partition): "
      "for development, demos and tests; use a real Kafka cluster in production\n");
  std::fflush(stdout);

  while (!StopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  (void)fs.Remove(data_layout::BrokerBootstrapFilePath(flags.data_dir));
  (void)fs.Remove(data_layout::BrokerControlFilePath(flags.data_dir));
  control->reset();
  std::printf("[broker][summary] brokers=%d topic=%s partitions=%d stopped=1\n", flags.brokers,
              flags.topic.c_str(), flags.partitions);
  std::fflush(stdout);
  return 0;
}

}  // namespace

void AddBrokerCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<BrokerFlags>();
  CLI::App* cmd = app.add_subcommand(
      "broker",
      "Embedded Kafka-protocol cluster (librdkafka's mock brokers) in this process. Keeps data in "
      "memory with bounded retention: for development, demos and tests; production uses Kafka.");
  cmd->add_option("--brokers", flags->brokers, "Number of brokers")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  cmd->add_option("--partitions", flags->partitions, "Partitions of the topic")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--replication-factor", flags->replication_factor, "Replication factor")
      ->capture_default_str();
  cmd->add_option("--topic", flags->topic, "Topic to create")->capture_default_str();
  cmd->add_option("--data-dir", flags->data_dir,
                  fmt::format("Where {} is published", data_layout::BrokerBootstrapFileName()))
      ->capture_default_str();
  cmd->add_option("--control-listen", flags->control_listen,
                  "Loopback address of the control endpoint (port 0 = any)")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunBroker(*flags); });
}

}  // namespace orderflow::cli

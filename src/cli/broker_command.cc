// orderflow broker: hosts the embedded Kafka-protocol cluster until SIGINT/SIGTERM, publishes
// its address in the data directory's bootstrap file and serves a loopback control endpoint
// (published in the control file; both in common/data_layout.h) for topic creation and fault
// injection.
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/kafka_flags.h"
#include "common/data_layout.h"
#include "common/file_system.h"
#include "common/stop_flag.h"
#include "kafka/embedded_cluster.h"

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

int IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (...) {
    return fallback;
  }
}

void Reply(httplib::Response& res, const Status& s) {
  res.status = s.ok() ? 200 : 400;
  res.set_content(s.ok() ? "ok\n" : s.message() + "\n", "text/plain");
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
                Reply(res, cluster.CreateTopic(req.matches[1], IntParam(req, "partitions", 6),
                                               IntParam(req, "replication_factor", 2)));
              });
  server.Post(
      R"(/brokers/(\d+)/(down|up))", [&](const httplib::Request& req, httplib::Response& res) {
        const int id = std::stoi(req.matches[1]);
        Reply(res, req.matches[2] == "down" ? cluster.SetBrokerDown(id) : cluster.SetBrokerUp(id));
      });
  server.Post("/leader", [&](const httplib::Request& req, httplib::Response& res) {
    Reply(res,
          cluster.SetPartitionLeader(req.get_param_value("topic"), IntParam(req, "partition", 0),
                                     IntParam(req, "broker", 1)));
  });
  server.Post("/errors", [&](const httplib::Request& req, httplib::Response& res) {
    Reply(res, cluster.PushRequestErrors(IntParam(req, "api", 0), IntParam(req, "error", 6),
                                         IntParam(req, "count", 1)));
  });
  server.Post("/rtt", [&](const httplib::Request& req, httplib::Response& res) {
    Reply(res, cluster.SetBrokerRtt(IntParam(req, "broker", 1), IntParam(req, "ms", 0)));
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

  httplib::Server control;
  RegisterControlRoutes(control, *cluster);
  const size_t colon = flags.control_listen.rfind(':');
  const std::string host = flags.control_listen.substr(0, colon);
  const int wanted_port =
      colon == std::string::npos ? 0 : std::atoi(flags.control_listen.c_str() + colon + 1);
  const int port = wanted_port == 0 ? control.bind_to_any_port(host)
                                    : (control.bind_to_port(host, wanted_port) ? wanted_port : -1);
  if (port < 0) {
    return ReportFailure(
        "broker", Status::InvalidArgument(fmt::format("--control-listen {}: cannot listen there",
                                                      flags.control_listen)));
  }
  std::thread control_thread([&] { control.listen_after_bind(); });

  const std::string bootstrap = cluster->bootstrap_servers();
  const std::string bootstrap_line = bootstrap + "\n";
  const std::string control_line = fmt::format("{}:{}\n", host, port);
  Status published = PublishFiles(fs, flags.data_dir,
                                  {{data_layout::BrokerBootstrapFileName(), bootstrap_line},
                                   {data_layout::BrokerControlFileName(), control_line}});
  if (!published.ok()) {
    control.stop();
    control_thread.join();
    return ReportFailure("broker", published);
  }
  std::printf("[broker] embedded Kafka-protocol cluster: %d brokers at %s\n", flags.brokers,
              bootstrap.c_str());
  std::printf("[broker] topic %s: %d partitions, replication factor %d\n", flags.topic.c_str(),
              flags.partitions, flags.replication_factor);
  std::printf("[broker] bootstrap published in %s; control endpoint http://%s:%d\n",
              data_layout::BrokerBootstrapFilePath(flags.data_dir).c_str(), host.c_str(), port);
  std::printf(
      "[broker] in-memory, bounded retention (about 100,000 messages or 5 MB per partition): "
      "for development, demos and tests; use a real Kafka cluster in production\n");
  std::fflush(stdout);

  while (!StopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  (void)fs.Remove(data_layout::BrokerBootstrapFilePath(flags.data_dir));
  (void)fs.Remove(data_layout::BrokerControlFilePath(flags.data_dir));
  control.stop();
  control_thread.join();
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

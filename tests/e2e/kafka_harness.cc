#include "tests/e2e/kafka_harness.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>

#include "tests/e2e/e2e_harness.h"

namespace orderflow::e2e {
namespace {

std::string& ClusterDir() {
  static std::string dir;
  return dir;
}
std::string& Bootstrap() {
  static std::string bootstrap;
  return bootstrap;
}

std::string Script() { return std::string(ORDERFLOW_SOURCE_DIR) + "/deploy/kafka/kafka-local.sh"; }

std::string LastLine(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

bool KafkaCluster::Start(std::string& log) {
  char tmpl[] = "/tmp/orderflow-kafka-XXXXXX";
  ClusterDir() = mkdtemp(tmpl);
  // make test-kafka-versions runs the suite once per Kafka version.
  const char* version = std::getenv("ORDERFLOW_KAFKA_VERSION");
  const std::string args = version != nullptr && *version != '\0'
                               ? std::string("start --ports auto --version ") + version
                               : std::string("start --ports auto");
  const int code = Script(args, log, 600);
  Bootstrap() = LastLine(log);
  if (code != 0 || Bootstrap().find(':') == std::string::npos) return false;
  setenv("ORDERFLOW_BOOTSTRAP_SERVERS", Bootstrap().c_str(), 1);
  return true;
}

void KafkaCluster::Stop() {
  if (ClusterDir().empty()) return;
  std::string out;
  if (Script("stop", out, 120) == 0 && !::testing::UnitTest::GetInstance()->Failed()) {
    std::filesystem::remove_all(ClusterDir());
  } else {
    std::printf("[kafka] cluster logs kept in %s\n%s\n", ClusterDir().c_str(), out.c_str());
  }
}

const std::string& KafkaCluster::bootstrap() { return Bootstrap(); }
const std::string& KafkaCluster::dir() { return ClusterDir(); }

int KafkaCluster::Script(const std::string& args, std::string& out, int timeout_s) {
  const std::string log = ClusterDir() + "/script.log";
  std::filesystem::remove(log);
  const int code =
      RunShell(ClusterDir(), "'" + e2e::Script() + "' " + args + " --dir '" + ClusterDir() + "'",
               log, timeout_s);
  out = ReadFileOrEmpty(log);
  return code;
}

int KafkaCluster::Tool(const std::string& name_and_args, std::string& out, int timeout_s) {
  return Script("tool " + name_and_args, out, timeout_s);
}

KafkaWorkspace::KafkaWorkspace(const std::string& topic, int partitions,
                               const std::vector<std::string>& topic_configs)
    : topic_(topic) {
  char tmpl[] = "/tmp/orderflow-kafka-e2e-XXXXXX";
  dir_ = mkdtemp(tmpl);
  std::string create =
      "topic create --replication-factor 2 --partitions " + std::to_string(partitions);
  for (const std::string& c : topic_configs) create += " --config " + c;
  Orderflow(create);
}

KafkaWorkspace::~KafkaWorkspace() {
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
}

std::vector<std::string> KafkaWorkspace::WithTopic(std::vector<std::string> args) const {
  if (!args.empty() && args[0] != "report") args.insert(args.end(), {"--topic", topic_});
  if (!args.empty() && args[0] == "process") {
    bool has_group = false;
    for (const std::string& a : args) has_group |= a == "--group-id";
    if (!has_group) args.insert(args.end(), {"--group-id", processor_group()});
  }
  return args;
}

int KafkaWorkspace::Run(const std::string& args, std::string& output, int timeout_s) {
  std::istringstream in(args);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  std::string command = "'" + OrderflowBinary() + "'";
  for (const std::string& w : WithTopic(words)) command += " '" + w + "'";
  const std::string log = Path("command.log");
  std::filesystem::remove(log);
  const int code = RunShell(dir_, command, log, timeout_s);
  output = ReadFileOrEmpty(log);
  return code;
}

std::string KafkaWorkspace::Orderflow(const std::string& args, int expected_exit, int timeout_s) {
  std::string output;
  const int code = Run(args, output, timeout_s);
  EXPECT_EQ(code, expected_exit) << "orderflow " << args << "\n" << output;
  return output;
}

pid_t KafkaWorkspace::Start(std::vector<std::string> args, const std::string& log) {
  return StartOrderflow(dir_, WithTopic(std::move(args)), Path(log));
}

std::vector<long long> GroupLagFromKafkaTool(const std::string& group, const std::string& topic,
                                             std::string& tool_output) {
  KafkaCluster::Tool("kafka-consumer-groups --bootstrap-server " + KafkaCluster::bootstrap() +
                         " --describe --group " + group,
                     tool_output);
  // Columns: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
  std::vector<long long> lags;
  std::istringstream in(tool_output);
  for (std::string line; std::getline(in, line);) {
    std::istringstream row(line);
    std::string g, t, partition, current, end, lag;
    if (!(row >> g >> t >> partition >> current >> end >> lag)) continue;
    if (g != group || t != topic) continue;
    lags.push_back(lag == "-" ? -1 : std::stoll(lag));
  }
  return lags;
}

}  // namespace orderflow::e2e

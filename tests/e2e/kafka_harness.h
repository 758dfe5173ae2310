// Helpers for the end-to-end tests on real Apache Kafka (tests/e2e/kafka_e2e_test.cc): one local
// 2-node KRaft cluster for the whole test binary (deploy/kafka/kafka-local.sh on free ports, in
// its own directory), and a per-test workspace with its own topic, groups and data directory.
// One thread only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace orderflow::e2e {

// The cluster shared by the tests of one binary. Start() runs kafka-local.sh start and exports
// ORDERFLOW_BOOTSTRAP_SERVERS, so every orderflow command the tests start finds it.
class KafkaCluster {
 public:
  // False (with the script's output in `log`) when the cluster did not come up.
  static bool Start(std::string& log);
  static void Stop();
  static const std::string& bootstrap();
  static const std::string& dir();
  // Runs `kafka-local.sh ARGS --dir DIR`; returns its exit code, output in `out`.
  static int Script(const std::string& args, std::string& out, int timeout_s = 120);
  // Runs one of Kafka's own tools from the cluster's jars (e.g. kafka-consumer-groups).
  static int Tool(const std::string& name_and_args, std::string& out, int timeout_s = 60);
};

// A temporary directory, a topic of its own (created by `orderflow topic create`) and group
// names derived from the topic, so tests never see each other's data on the shared cluster.
class KafkaWorkspace {
 public:
  // Creates `topic` with `partitions` and replication factor 2 plus `topic_configs` (KEY=VALUE).
  KafkaWorkspace(const std::string& topic, int partitions = 6,
                 const std::vector<std::string>& topic_configs = {});
  ~KafkaWorkspace();
  KafkaWorkspace(const KafkaWorkspace&) = delete;
  KafkaWorkspace& operator=(const KafkaWorkspace&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& topic() const { return topic_; }
  std::string processor_group() const { return topic_ + "-processor"; }
  std::string tracker_group() const { return topic_ + "-tracker"; }
  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }

  // `orderflow ARGS --topic T` (and the processor's group for `process`), to completion; fails
  // the test when the exit code differs. Returns the output.
  std::string Orderflow(const std::string& args, int expected_exit = 0, int timeout_s = 180);
  // The same without an expectation: returns the exit code, the output in `output`.
  int Run(const std::string& args, std::string& output, int timeout_s = 180);
  // The same in the background, output appended to `log` (relative to dir()).
  pid_t Start(std::vector<std::string> args, const std::string& log);

 private:
  std::vector<std::string> WithTopic(std::vector<std::string> args) const;
  std::string dir_;
  std::string topic_;
};

// Lag per partition of `group` on `topic` as Kafka's kafka-consumer-groups --describe prints it
// (-1 for a partition whose lag is shown as "-"); empty when the tool printed no row for it.
std::vector<long long> GroupLagFromKafkaTool(const std::string& group, const std::string& topic,
                                             std::string& tool_output);

}  // namespace orderflow::e2e

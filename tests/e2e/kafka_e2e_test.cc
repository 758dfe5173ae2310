// The contract's promises on real Apache Kafka (a local 2-node KRaft cluster from Maven Central's
// jars, started once for this binary by deploy/kafka/kafka-local.sh on free ports): the pipeline
// exactly once, kill -9 of the processor, a broker node SIGKILLed mid-run with the idempotent
// producer at librdkafka's default 5 requests in flight, a rebalance between two processors,
// real retention by segments, lag as Kafka's own tool sees it, topic administration, a
// recreated topic and `reset --kafka`. RELIABILITY.md, section 7, has the figures.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "tests/e2e/kafka_harness.h"
#include "tests/e2e/reliability_harness.h"

namespace orderflow::e2e {
namespace {

using Clock = std::chrono::steady_clock;

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

class KafkaEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::string log;
    const auto started = Clock::now();
    ASSERT_TRUE(KafkaCluster::Start(log)) << "the local Kafka cluster did not start:\n" << log;
    // kafka-local.sh's own contract: status exits 0 on a running cluster, and a second start
    // says so, exits 0 and prints the same bootstrap list last.
    std::string out;
    EXPECT_EQ(KafkaCluster::Script("status", out), 0) << out;
    EXPECT_EQ(KafkaCluster::Script("start", out), 0) << out;
    EXPECT_TRUE(out.find("already running") != std::string::npos) << out;
    EXPECT_EQ(out.substr(out.rfind('\n', out.size() - 2) + 1), KafkaCluster::bootstrap() + "\n")
        << out;
    std::printf("[kafka] cluster at %s up in %.1f s (%s)\n", KafkaCluster::bootstrap().c_str(),
                std::chrono::duration<double>(Clock::now() - started).count(),
                KafkaCluster::dir().c_str());
  }
  void TearDown() override {
    const std::string dir = KafkaCluster::dir();
    KafkaCluster::Stop();
    // stop leaves no Java process of this cluster behind (kafka-local.sh marks them with DIR).
    const std::string command = "pgrep -f -- '-Dorderflow[.]kafka[.]dir=" + dir + " '";
    std::string left;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char buffer[256];
      while (fgets(buffer, sizeof(buffer), pipe) != nullptr) left += buffer;
      pclose(pipe);
    }
    EXPECT_TRUE(left.empty()) << "Java processes of " << dir << " left after stop: " << left;
  }
};

// A killed group member holds its partitions until the coordinator notices: Kafka's minimum
// session timeout (group.min.session.timeout.ms) is 6 s.
const std::vector<std::string> kGroupTimings = {"-X", "session.timeout.ms=6000", "-X",
                                                "heartbeat.interval.ms=500"};

std::vector<std::string> Process(std::vector<std::string> extra) {
  std::vector<std::string> args = {"process", "--starting-offsets", "earliest",
                                   "--report-every-seconds", "0"};
  args.insert(args.end(), kGroupTimings.begin(), kGroupTimings.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string Drain() {
  return "process --starting-offsets earliest --trigger 100ms --until-idle 4 "
         "--report-every-seconds 0 -X session.timeout.ms=6000";
}

std::vector<std::string> Produce(uint64_t seed, uint64_t events, const std::string& rate,
                                 std::vector<std::string> extra = {},
                                 const std::string& report_every = "0") {
  std::vector<std::string> args = {"produce",
                                   "--events-per-second",
                                   rate,
                                   "--max-events",
                                   std::to_string(events),
                                   "--seed",
                                   std::to_string(seed),
                                   "--report-every-seconds",
                                   report_every};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The last line of `log` that contains `tag` (e.g. "[producer][summary]"), for the record.
std::string LastLineWith(const std::string& log, const std::string& tag) {
  const size_t at = log.rfind(tag);
  if (at == std::string::npos) return "";
  return log.substr(at, log.find('\n', at) - at);
}

// True when `name` is one of the lines of `topic list`'s output.
bool Listed(const std::string& list, const std::string& name) {
  return Contains("\n" + list, "\n" + name + "\n");
}

TEST(KafkaPipelineTest, ValidAndInvalidEventsExactlyOnceAndKafkaToolsSeeLagZero) {
  KafkaWorkspace w("pipeline");
  w.Orderflow(Joined(Produce(71, 20000, "max")));
  w.Orderflow(Joined(Produce(72, 2000, "max", {"--invalid-mode", "random"})));
  const std::string out = w.Orderflow(Drain());
  EXPECT_TRUE(Contains(out, "processed=22000 valid=20000 invalid=2000")) << out;
  CheckExactlyOnce(w.Path("data"), ExpectedOrderIds(71, 20000), 2000);

  // Kafka's own consumer-group tool, from the cluster's jars, sees what the processor committed.
  std::string tool;
  const std::vector<long long> lags = GroupLagFromKafkaTool(w.processor_group(), w.topic(), tool);
  EXPECT_EQ(lags.size(), 6u) << tool;
  for (long long lag : lags) EXPECT_EQ(lag, 0) << tool;
}

TEST(KafkaCrashTest, ProcessorKilledAtRandomMomentsLosesAndDuplicatesNothing) {
  constexpr uint64_t kEvents = 20000, kInvalid = 1000;
  const uint64_t seed = static_cast<uint64_t>(::time(nullptr));
  std::printf("[kafka-torture] seed=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  KafkaWorkspace w("torture");
  // The producers run through most of the kills (~40 s), so kills land mid-stream.
  const pid_t producer = w.Start(Produce(73, kEvents, "500"), "producer.log");
  const pid_t bad =
      w.Start(Produce(74, kInvalid, "25", {"--invalid-mode", "random"}), "bad_producer.log");
  const std::vector<std::string> points = {"after_publish", "mid_publish", "after_intent",
                                           "after_commit"};
  int kills = 0, crash_points = 0;
  for (int k = 0; k < 6; ++k) {
    const std::vector<std::string> args =
        Process({"--trigger", "50ms", "--max-events-per-batch", "1000"});
    if (k % 3 == 0) {
      // A kill between the steps of a batch commit (stream/crash_point.h), while the stream
      // still has many batches to come.
      const std::string point = points[static_cast<size_t>(k / 3) % points.size()] + ":2";
      setenv("ORDERFLOW_CRASH_POINT", point.c_str(), 1);
      const pid_t pid = w.Start(args, "process.log");
      unsetenv("ORDERFLOW_CRASH_POINT");
      const int code = WaitFor(pid, 60);
      EXPECT_EQ(code, 86) << point << "\n" << ReadFileOrEmpty(w.Path("process.log"));
      crash_points += code == 86;
      std::printf("[kafka-torture] kill %d: crash point %s -> exit %d\n", k + 1, point.c_str(),
                  code);
    } else {
      // Some die in the group join, the others while writing batches.
      const int64_t delay = 500 + static_cast<int64_t>(rng() % 6000);
      const pid_t pid = w.Start(args, "process.log");
      SleepMs(delay);
      kill(pid, SIGKILL);
      EXPECT_EQ(WaitFor(pid, 10), 128 + SIGKILL);
      std::printf("[kafka-torture] kill %d: SIGKILL after %lld ms\n", k + 1,
                  static_cast<long long>(delay));
    }
    std::fflush(stdout);
    ++kills;
  }
  EXPECT_EQ(WaitFor(producer, 120), 0) << ReadFileOrEmpty(w.Path("producer.log"));
  EXPECT_EQ(WaitFor(bad, 120), 0) << ReadFileOrEmpty(w.Path("bad_producer.log"));
  w.Orderflow(Drain());
  const ExactlyOnceReport r =
      CheckExactlyOnce(w.Path("data"), ExpectedOrderIds(73, kEvents), kInvalid);
  std::printf(
      "[kafka-torture][summary] kills=%d crash_points=%d valid=%llu invalid=%llu "
      "missing=%llu duplicated=%llu\n",
      kills, crash_points, static_cast<unsigned long long>(r.valid_lines),
      static_cast<unsigned long long>(r.invalid_lines), static_cast<unsigned long long>(r.missing),
      static_cast<unsigned long long>(r.duplicated));
  EXPECT_GE(crash_points, 1);
}

// Two KRaft voters cannot lose one: while node 2 is down no leader moves, so the partitions it
// leads stall and the idempotent producer retries them (5 requests in flight, librdkafka's
// default) until the node is back. Nothing may be lost, duplicated or reported as failed.
TEST(KafkaNodeFaultTest, NodeKilledMidRunAndRestartedLosesAndDuplicatesNothing) {
  constexpr uint64_t kEvents = 24000;
  KafkaWorkspace w("nodefault");
  const pid_t processor = w.Start(Process({"--trigger", "100ms"}), "process.log");
  const pid_t producer = w.Start(Produce(75, kEvents, "2000", {}, "2"), "producer.log");
  SleepMs(4000);
  std::string out;
  ASSERT_EQ(KafkaCluster::Script("kill-node 2", out), 0) << out;
  std::printf("[kafka-node] node 2 SIGKILLed\n");
  EXPECT_NE(KafkaCluster::Script("status", out), 0) << "status with node 2 down\n" << out;
  SleepMs(5000);
  ASSERT_EQ(KafkaCluster::Script("start-node 2", out, 180), 0) << out;
  EXPECT_EQ(KafkaCluster::Script("status", out), 0) << "status after start-node 2\n" << out;
  std::printf("[kafka-node] node 2 started again\n");
  std::fflush(stdout);
  EXPECT_EQ(WaitFor(producer, 180), 0) << ReadFileOrEmpty(w.Path("producer.log"));
  const std::string produced = ReadFileOrEmpty(w.Path("producer.log"));
  EXPECT_TRUE(Contains(produced, "sent_ok=24000 sent_error=0 ")) << produced;
  std::printf("[kafka-node] %s\n", LastLineWith(produced, "[producer][summary]").c_str());
  // The running processor catches up; then it is stopped cleanly.
  const auto deadline = Clock::now() + std::chrono::seconds(90);
  while (Clock::now() < deadline && CommittedMessages(w.Path("data")) < kEvents) SleepMs(200);
  kill(processor, SIGTERM);
  EXPECT_EQ(WaitFor(processor, 60), 0) << ReadFileOrEmpty(w.Path("process.log"));
  std::printf("[kafka-node] %s\n",
              LastLineWith(ReadFileOrEmpty(w.Path("process.log")), "[processor][summary]").c_str());
  const ExactlyOnceReport r = CheckExactlyOnce(w.Path("data"), ExpectedOrderIds(75, kEvents), 0);
  std::printf("[kafka-node] valid=%llu missing=%llu duplicated=%llu\n",
              static_cast<unsigned long long>(r.valid_lines),
              static_cast<unsigned long long>(r.missing),
              static_cast<unsigned long long>(r.duplicated));
  if (r.missing > 0) {
    std::printf(
        "%s\n",
        ExplainMissing(w.dir(), KafkaCluster::bootstrap(), ExpectedOrderIds(75, kEvents)).c_str());
  }
}

TEST(KafkaScaleOutTest, TwoProcessorsWithARebalanceInTheMiddleExactlyOnce) {
  constexpr uint64_t kEvents = 20000;
  KafkaWorkspace w("scaleout");
  const std::vector<std::string> args = Process({"--trigger", "100ms"});
  const pid_t a = w.Start(args, "a.log");
  const pid_t producer = w.Start(Produce(76, kEvents, "2000"), "producer.log");
  auto assigned = [&](const std::string& log, int want, int timeout_s) {
    const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    while (Clock::now() < deadline) {
      if (LastAssignmentSize(ReadFileOrEmpty(w.Path(log))) == want) return true;
      SleepMs(100);
    }
    return false;
  };
  EXPECT_TRUE(assigned("a.log", 6, 30)) << ReadFileOrEmpty(w.Path("a.log"));
  SleepMs(2000);
  const pid_t b = w.Start(args, "b.log");  // joins: the partitions are shared out again
  EXPECT_TRUE(assigned("a.log", 3, 30) && assigned("b.log", 3, 30))
      << ReadFileOrEmpty(w.Path("a.log")) << ReadFileOrEmpty(w.Path("b.log"));
  SleepMs(2000);
  kill(a, SIGTERM);  // leaves: b takes everything
  EXPECT_EQ(WaitFor(a, 30), 0) << ReadFileOrEmpty(w.Path("a.log"));
  EXPECT_TRUE(assigned("b.log", 6, 30)) << ReadFileOrEmpty(w.Path("b.log"));
  EXPECT_EQ(WaitFor(producer, 120), 0) << ReadFileOrEmpty(w.Path("producer.log"));
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline && CommittedMessages(w.Path("data")) < kEvents) SleepMs(200);
  kill(b, SIGTERM);
  EXPECT_EQ(WaitFor(b, 30), 0) << ReadFileOrEmpty(w.Path("b.log"));
  CheckExactlyOnce(w.Path("data"), ExpectedOrderIds(76, kEvents), 0);
}

// Real retention: segments of 1 MiB (a produce batch must fit one) and at most 2 MiB per
// partition; the brokers check every 2 s (kafka-local.sh sets log.retention.check.interval.ms).
TEST(KafkaRetentionTest, DeletedUnprocessedSegmentsStopTheProcessorOrAreSkippedWhenAllowed) {
  KafkaWorkspace w("retention", 1, {"segment.bytes=1048576", "retention.bytes=2097152"});
  w.Orderflow(Joined(Produce(77, 1000, "max", {"-X", "compression.type=none"})));
  w.Orderflow(Drain());
  w.Orderflow(Joined(Produce(78, 20000, "max", {"-X", "compression.type=none"})));
  // Wait until the log start has moved past the processor's checkpoint (offset 1000).
  long long low = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline && low <= 1000) {
    const std::string d = w.Orderflow("topic describe");
    const size_t at = d.find("Offsets: ");
    if (at != std::string::npos) low = std::stoll(d.substr(at + 9));
    if (low <= 1000) SleepMs(1000);
  }
  ASSERT_GT(low, 1000) << "retention never deleted a segment";
  const std::string out = w.Orderflow(Drain(), 1);
  EXPECT_TRUE(Contains(out, "partition 0 of retention")) << out;
  EXPECT_TRUE(Contains(out, "were removed by retention before they were processed")) << out;
  EXPECT_TRUE(Contains(out, "offsets 1000-")) << out;
  EXPECT_EQ(ReadOutputLines(w.Path("data/orders_json")).size(), 1000u);
  const std::string skipped = w.Orderflow(Drain() + " --fail-on-data-loss=false");
  EXPECT_TRUE(Contains(skipped, "skipping them")) << skipped;
  const size_t after = ReadOutputLines(w.Path("data/orders_json")).size();
  EXPECT_GT(after, 1000u);
  EXPECT_LT(after, 21000u);
  // What it reports as skipped plus what it wrote is the whole topic: 21,000 messages.
  const std::string tag = "partition 0 of retention: ";
  const size_t at = skipped.find(tag);
  ASSERT_NE(at, std::string::npos) << skipped;
  const long long lost = std::stoll(skipped.substr(at + tag.size()));
  EXPECT_EQ(static_cast<long long>(after) + lost, 21000) << skipped;
}

TEST(KafkaTopicTest, CreateTwiceWithIfNotExistsListDescribeDelete) {
  KafkaWorkspace w("admin", 3);
  const std::string again = w.Orderflow("topic create --if-not-exists --partitions 3");
  EXPECT_TRUE(Contains(again, "already exists")) << again;
  EXPECT_TRUE(Contains(again, "PartitionCount: 3\tReplicationFactor: 2")) << again;
  const std::string dup = w.Orderflow("topic create --partitions 3", 1);
  EXPECT_TRUE(Contains(dup, "already exists")) << dup;
  EXPECT_TRUE(Listed(w.Orderflow("topic list"), "admin"));
  const std::string described = w.Orderflow("topic describe");
  EXPECT_TRUE(Contains(described, "Topic: admin\tPartitionCount: 3\tReplicationFactor: 2"))
      << described;
  EXPECT_TRUE(Contains(w.Orderflow("topic delete"), "Deleted topic admin"));
  // Each broker learns of the deletion a moment after the controller: wait until neither the
  // list nor a describe shows the topic.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::string list, described_after;
  int describe_code = 0;
  while (Clock::now() < deadline) {
    w.Run("topic list", list);
    describe_code = w.Run("topic describe", described_after);
    if (!Listed(list, "admin") && describe_code == 1) break;
    SleepMs(500);
  }
  EXPECT_FALSE(Listed(list, "admin")) << list;
  EXPECT_EQ(describe_code, 1) << described_after;
  EXPECT_TRUE(Contains(described_after, "topic admin does not exist")) << described_after;
}

TEST(KafkaRecreatedTopicTest, CheckpointBeyondTheLogEndIsNamedAndResetKafkaStartsOver) {
  KafkaWorkspace w("recreated", 2);
  w.Orderflow(Joined(Produce(79, 1000, "max")));
  w.Orderflow(Drain());
  w.Orderflow(
      "track --until-idle 3 --starting-offsets earliest --report-every-seconds 0 "
      "--group-id recreated-tracker");
  // Delete and recreate: the checkpoints now point past the new, empty log.
  w.Orderflow("topic delete");
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::string created;
  while (Clock::now() < deadline && w.Run("topic create --partitions 2", created) != 0)
    SleepMs(500);
  EXPECT_TRUE(Contains(created, "Created topic recreated")) << created;
  w.Orderflow(Joined(Produce(80, 10, "max")));
  const std::string out = w.Orderflow(Drain(), 1);
  EXPECT_TRUE(Contains(out, "of recreated: the checkpoint is at offset")) << out;
  EXPECT_TRUE(Contains(out, "the topic looks recreated or truncated")) << out;
  EXPECT_TRUE(Contains(out, "orderflow reset")) << out;
  EXPECT_FALSE(Contains(out, "removed by retention")) << out;

  const std::string reset = w.Orderflow(
      "reset --kafka --group-id recreated-processor --tracker-group-id recreated-tracker");
  EXPECT_TRUE(Contains(reset, "recreated topic recreated (2 partitions, replication factor 2)"))
      << reset;
  std::string tool;
  KafkaCluster::Tool(
      "kafka-consumer-groups --bootstrap-server " + KafkaCluster::bootstrap() + " --list", tool);
  EXPECT_FALSE(Contains(tool, "recreated-processor")) << tool;
  EXPECT_FALSE(Contains(tool, "recreated-tracker")) << tool;
  EXPECT_TRUE(Contains(w.Orderflow("topic describe"), "Messages: 0"));
  // A fresh start after the reset processes the new events exactly once.
  w.Orderflow(Joined(Produce(81, 500, "max")));
  w.Orderflow(Drain());
  CheckExactlyOnce(w.Path("data"), ExpectedOrderIds(81, 500), 0);
}

}  // namespace
}  // namespace orderflow::e2e

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new orderflow::e2e::KafkaEnvironment);
  return RUN_ALL_TESTS();
}

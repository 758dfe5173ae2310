// End-to-end: the real binary on the embedded cluster. Checks the contract's central promise:
// every message of the topic lands in exactly one of the two outputs, exactly once, also
// across kill -9 of the processor.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "event/generator.h"
#include "tests/e2e/e2e_harness.h"

namespace orderflow::e2e {
namespace {

void ExpectExactlyOnce(const BrokerFixture& f, const std::set<std::string>& expected_valid,
                       size_t expected_invalid) {
  const auto valid = ReadOutputLines(f.Path("data/orders_json"));
  const auto invalid = ReadOutputLines(f.Path("data/invalid_events"));
  std::set<std::string> ids;
  for (const auto& line : valid) ids.insert(line.order_id);
  EXPECT_EQ(valid.size(), expected_valid.size()) << "valid lines";
  EXPECT_EQ(ids.size(), valid.size()) << "duplicate order_id in the valid output";
  EXPECT_TRUE(ids == expected_valid) << "the valid output is not the produced set";
  std::set<std::pair<int64_t, int64_t>> coordinates;
  for (const auto& line : invalid) {
    EXPECT_FALSE(line.invalid_reason.empty());
    coordinates.emplace(line.partition, line.offset);
  }
  EXPECT_EQ(invalid.size(), expected_invalid) << "invalid lines";
  EXPECT_EQ(coordinates.size(), invalid.size()) << "duplicate message in the invalid output";
}

TEST(PipelineE2eTest, ValidAndInvalidEventsLandExactlyOnce) {
  BrokerFixture f;
  f.Orderflow(
      "produce --events-per-second max --max-events 20000 --seed 7 --report-every-seconds 0");
  f.Orderflow(
      "produce --events-per-second max --max-events 2000 --seed 8 --invalid-mode random "
      "--report-every-seconds 0");
  const std::string out = f.Orderflow(
      "process --starting-offsets earliest --trigger 200ms --until-idle 3 --report-every-seconds "
      "0");
  EXPECT_NE(out.find("[processor][summary] processed=22000 valid=20000 invalid=2000"),
            std::string::npos)
      << out;
  ExpectExactlyOnce(f, ExpectedOrderIds(7, 20000), 2000);

  // A second run finds nothing new: the checkpoints hold.
  const std::string again = f.Orderflow("process --until-idle 2 --report-every-seconds 0");
  EXPECT_NE(again.find("processed=0 "), std::string::npos) << again;
  ExpectExactlyOnce(f, ExpectedOrderIds(7, 20000), 2000);

  const std::string tracked =
      f.Orderflow("track --until-idle 2 --report-every-seconds 0 --commit-every 1000");
  EXPECT_NE(tracked.find("[tracker][summary] processed=22000 "), std::string::npos) << tracked;
  EXPECT_NE(tracked.find(" lag=0 "), std::string::npos) << tracked;
}

TEST(PipelineE2eTest, KcatMessagesThatAreNotEventsGoToTheInvalidOutput) {
  BrokerFixture f;
  const std::string kcat = "kcat -P -b " + f.bootstrap() + " -t orders -p 0";
  ASSERT_EQ(RunShell(f.dir(),
                     "printf 'not json\\n{\"quantity\": 3}\\n[1,2]\\n' | " + kcat +
                         " && printf 'k:\\n' | " + kcat + " -K: " + "&& printf 'k:\\n' | " + kcat +
                         " -K: -Z && printf '\\377\\376garbage\\n' | " + kcat,
                     f.Path("kcat.log"), 30),
            0)
      << ReadFileOrEmpty(f.Path("kcat.log"));
  f.Orderflow("process --starting-offsets earliest --trigger 100ms --until-idle 3");
  const auto invalid = ReadOutputLines(f.Path("data/invalid_events"));
  std::multiset<std::string> reasons;
  for (const auto& line : invalid) reasons.insert(line.invalid_reason);
  EXPECT_EQ(reasons,
            (std::multiset<std::string>{"malformed_json", "missing_unit_price", "not_an_object",
                                        "empty_message", "empty_message", "invalid_utf8"}));
  EXPECT_TRUE(ReadOutputLines(f.Path("data/orders_json")).empty());
}

TEST(PipelineE2eTest, KillDashNineDuringProcessingLosesAndDuplicatesNothing) {
  BrokerFixture f;
  constexpr int kEvents = 60000;
  f.Orderflow(
      "produce --events-per-second max --max-events 60000 --seed 11 --report-every-seconds 0");
  f.Orderflow(
      "produce --events-per-second max --max-events 3000 --seed 12 --invalid-mode random "
      "--report-every-seconds 0");
  // Small batches and frequent kills: each kill lands in the middle of some batch's writes.
  int kills = 0;
  for (int round = 0; round < 4; ++round) {
    const pid_t pid =
        StartOrderflow(f.dir(),
                       {"process", "--starting-offsets", "earliest", "--trigger", "20ms",
                        "--max-events-per-batch", "500", "--report-every-seconds", "0",
                        // A killed member's partitions move after its session
                        // times out: keep that short so the test is quick
                        // (the embedded cluster needs more than ~3.5 s).
                        "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=300"},
                       f.Path("process.log"));
    // Wait for progress (commits), then kill at a moment that varies per round.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    const uint64_t target = 3000 + round * 12000;
    while (std::chrono::steady_clock::now() < deadline &&
           CommittedMessages(f.Path("data")) < target) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(7 * round));
    kill(pid, SIGKILL);
    EXPECT_EQ(WaitFor(pid, 10), 128 + SIGKILL);
    ++kills;
  }
  EXPECT_GE(kills, 3);
  f.Orderflow(
      "process --trigger 100ms --until-idle 3 --report-every-seconds 0 -X session.timeout.ms=4000");
  ExpectExactlyOnce(f, ExpectedOrderIds(11, kEvents), 3000);
}

TEST(PipelineE2eTest, RetentionOverrunningTheCheckpointIsReportedAsDataLoss) {
  BrokerFixture f(/*partitions=*/1);
  f.Orderflow(
      "produce --events-per-second max --max-events 1000 --seed 21 --report-every-seconds 0");
  f.Orderflow(
      "process --starting-offsets earliest --trigger 100ms --until-idle 2 --report-every-seconds "
      "0");
  // Uncompressed, 40,000 events overflow the embedded cluster's ~5 MB per partition: the log
  // start moves past the processor's checkpoint.
  f.Orderflow(
      "produce --events-per-second max --max-events 40000 --seed 22 --report-every-seconds 0 "
      "-X compression.type=none");
  const std::string out = f.Orderflow("process --until-idle 2 --report-every-seconds 0", 1);
  EXPECT_NE(out.find("partition 0 of orders"), std::string::npos) << out;
  EXPECT_NE(out.find("were removed by retention before they were processed"), std::string::npos)
      << out;
  EXPECT_NE(out.find("offsets 1000-"), std::string::npos) << out;
  const size_t valid_before = ReadOutputLines(f.Path("data/orders_json")).size();
  EXPECT_EQ(valid_before, 1000u);
  // Told to skip the lost messages, it goes on from the log start.
  const std::string skipped =
      f.Orderflow("process --until-idle 2 --report-every-seconds 0 --fail-on-data-loss=false");
  EXPECT_NE(skipped.find("skipping them"), std::string::npos) << skipped;
  const size_t valid_after = ReadOutputLines(f.Path("data/orders_json")).size();
  EXPECT_GT(valid_after, valid_before);
  EXPECT_LT(valid_after, valid_before + 40000);
}

// A restarted embedded broker starts empty, like a recreated topic on Kafka: the checkpoints now
// point past the log end, which is not retention loss and must say what happened.
TEST(PipelineE2eTest, CheckpointBeyondTheLogEndOfARestartedBrokerIsNamedNotCalledRetention) {
  BrokerFixture before(/*partitions=*/1);
  before.Orderflow(
      "produce --events-per-second max --max-events 500 --seed 23 --report-every-seconds 0");
  before.Orderflow(
      "process --starting-offsets earliest --trigger 100ms --until-idle 2 --report-every-seconds "
      "0");
  BrokerFixture after(/*partitions=*/1);
  std::filesystem::copy(before.Path("data/_checkpoints"), after.Path("data/_checkpoints"),
                        std::filesystem::copy_options::recursive);
  after.Orderflow(
      "produce --events-per-second max --max-events 10 --seed 24 --report-every-seconds 0");
  const std::string out = after.Orderflow("process --until-idle 2 --report-every-seconds 0", 1);
  EXPECT_NE(out.find("partition 0 of orders: the checkpoint is at offset 500 but the log ends at "
                     "offset 10"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("looks recreated or truncated"), std::string::npos) << out;
  EXPECT_NE(out.find("orderflow reset"), std::string::npos) << out;
  EXPECT_EQ(out.find("removed by retention"), std::string::npos) << out;
  // Told to skip data loss, it still stops: these offsets name other messages.
  after.Orderflow("process --until-idle 2 --report-every-seconds 0 --fail-on-data-loss=false", 1);
}

TEST(PipelineE2eTest, BadConfigurationExitsWithTwoAndOneClearLine) {
  BrokerFixture f;
  std::string out = f.Orderflow("process --trigger soon", 2);
  EXPECT_NE(out.find("--trigger soon"), std::string::npos) << out;
  out = f.Orderflow("produce -X no.such.property=1 --max-events 1", 2);
  EXPECT_NE(out.find("no.such.property"), std::string::npos) << out;
  out = f.Orderflow("produce --events-per-second fast", 2);
  EXPECT_NE(out.find("--events-per-second"), std::string::npos) << out;
  out = f.Orderflow("produce --no-such-flag", 2);
  EXPECT_NE(out.find("no-such-flag"), std::string::npos) << out;
  out = f.Orderflow("produce --invalid-mode sometimes --max-events 1", 2);
  EXPECT_NE(out.find("--invalid-mode sometimes"), std::string::npos) << out;
}

TEST(PipelineE2eTest, TopicCommandCreatesAndDescribesOnTheEmbeddedCluster) {
  BrokerFixture f;
  f.Orderflow("topic create --topic payments --partitions 3 --replication-factor 2");
  const std::string out = f.Orderflow("topic describe --topic payments");
  EXPECT_NE(out.find("Topic: payments\tPartitionCount: 3\tReplicationFactor: 2"), std::string::npos)
      << out;
  f.Orderflow("topic describe --topic nothing-here", 1);
}

}  // namespace
}  // namespace orderflow::e2e

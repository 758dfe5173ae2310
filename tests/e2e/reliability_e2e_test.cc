// Reliability, end to end on the real binary and the embedded cluster (RELIABILITY.md):
// crash torture (kill -9 at random moments and at the test-only crash points between the
// steps of a batch commit), broker faults through the control endpoint, bad configuration
// (unreachable bootstrap, read-only and full output disks), and scale-out in one group.
// Each ends with the contract's check: every message in exactly one output, exactly once.
//
// Long crash torture (>= 20 kills over 1,000,000 events): scripts/crash_torture.sh, which
// sets ORDERFLOW_TORTURE_EVENTS / _KILLS / _PARTITIONS / _RATE for the same test.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "tests/e2e/reliability_harness.h"

namespace orderflow::e2e {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kCrashExitCode = 86;  // stream/crash_point.h

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::stoull(v) : fallback;
}

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// A killed member holds its partitions until its session times out: keep that short (the
// embedded cluster needs it above ~3.5 s).
const std::vector<std::string> kFastGroup = {"-X", "session.timeout.ms=4000", "-X",
                                             "heartbeat.interval.ms=300"};

std::vector<std::string> ProcessArgs(std::vector<std::string> extra) {
  std::vector<std::string> args = {"process", "--starting-offsets", "earliest"};
  args.insert(args.end(), kFastGroup.begin(), kFastGroup.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

pid_t StartWithEnv(const BrokerFixture& f, const std::vector<std::string>& args,
                   const std::string& log, const std::string& crash_point) {
  if (!crash_point.empty()) setenv("ORDERFLOW_CRASH_POINT", crash_point.c_str(), 1);
  const pid_t pid = StartOrderflow(f.dir(), args, log);
  unsetenv("ORDERFLOW_CRASH_POINT");
  return pid;
}

bool WaitForText(const std::string& path, const std::string& text, int timeout_s, size_t from = 0) {
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  while (Clock::now() < deadline) {
    const std::string content = ReadFileOrEmpty(path);
    if (content.size() > from && content.find(text, from) != std::string::npos) return true;
    SleepMs(50);
  }
  return false;
}

TEST(CrashTortureTest, KillsAtRandomMomentsAndBetweenCommitStepsLoseAndDuplicateNothing) {
  const uint64_t events = EnvOr("ORDERFLOW_TORTURE_EVENTS", 40000);
  const uint64_t invalid = std::max<uint64_t>(events / 20, 1);
  const int kills = static_cast<int>(EnvOr("ORDERFLOW_TORTURE_KILLS", 5));
  const int partitions = static_cast<int>(EnvOr("ORDERFLOW_TORTURE_PARTITIONS", 6));
  // 0: produce everything first, at full speed (big batches: 1M events fit the embedded
  // cluster's retention); else produce at this rate while the processor is being killed.
  const uint64_t rate = EnvOr("ORDERFLOW_TORTURE_RATE", 4000);
  const uint64_t seed = EnvOr("ORDERFLOW_TORTURE_SEED", static_cast<uint64_t>(::time(nullptr)));
  std::printf("[torture] events=%llu invalid=%llu kills=%d partitions=%d rate=%llu seed=%llu\n",
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(invalid),
              kills, partitions, static_cast<unsigned long long>(rate),
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  BrokerFixture f(partitions);

  // Producers run while the processor is being killed (kills land mid-stream), or first.
  const std::string rate_text = rate == 0 ? "max" : std::to_string(rate);
  const std::string bad_rate_text =
      rate == 0 ? "max" : std::to_string(std::max<uint64_t>(rate / 20, 1));
  const pid_t producer =
      StartOrderflow(f.dir(),
                     {"produce", "--events-per-second", rate_text, "--max-events",
                      std::to_string(events), "--seed", "31", "--report-every-seconds", "5"},
                     f.Path("producer.log"));
  // Returns the producers' exit codes, once each.
  std::map<pid_t, int> exits;
  auto finished = [&](pid_t pid) {
    if (!exits.count(pid)) exits[pid] = WaitFor(pid, static_cast<int>(60 + events / 2000));
    return exits[pid];
  };
  if (rate == 0) finished(producer);
  const pid_t bad_producer = StartOrderflow(
      f.dir(),
      {"produce", "--events-per-second", bad_rate_text, "--max-events", std::to_string(invalid),
       "--seed", "32", "--invalid-mode", "random", "--report-every-seconds", "0"},
      f.Path("bad_producer.log"));
  if (rate == 0) finished(bad_producer);

  // Crash points cycle through the windows of a batch commit; every other kill is a SIGKILL
  // at a random moment (some during the group join, i.e. a rebalance).
  const std::vector<std::string> points = {"after_publish", "mid_publish", "after_intent",
                                           "after_commit"};
  constexpr uint64_t kMaxEventsPerBatch = 1500;
  const std::vector<std::string> args =
      ProcessArgs({"--trigger", "50ms", "--max-events-per-batch",
                   std::to_string(kMaxEventsPerBatch), "--report-every-seconds", "0"});
  int survived = 0, crash_points_tried = 0, crash_points_hit = 0;
  for (int k = 0; k < kills; ++k) {
    const std::string log = f.Path("process.log");
    const size_t log_size = ReadFileOrEmpty(log).size();
    if (k % 2 == 0) {
      // The N-th batch of this run must exist: at least ceil(remaining / batch cap) batches are
      // left. A kill that found the stream already processed cannot crash a batch; it is skipped.
      const uint64_t committed = CommittedMessages(f.Path("data"));
      const uint64_t remaining = events + invalid > committed ? events + invalid - committed : 0;
      if (remaining == 0) {
        std::printf("[torture] kill %d: skipped, every message is already processed\n", k + 1);
        continue;
      }
      const uint64_t batches_left = (remaining + kMaxEventsPerBatch - 1) / kMaxEventsPerBatch;
      const std::string point = points[static_cast<size_t>(k / 2) % points.size()] + ":" +
                                std::to_string(1 + rng() % std::min<uint64_t>(5, batches_left));
      ++crash_points_tried;
      const pid_t pid = StartWithEnv(f, args, log, point);
      const int code = WaitFor(pid, 90);
      if (code == -1) {
        ADD_FAILURE() << "crash point " << point << " not reached in 90 s\n"
                      << ReadFileOrEmpty(log).substr(log_size);
      } else {
        EXPECT_EQ(code, kCrashExitCode) << point << "\n" << ReadFileOrEmpty(log).substr(log_size);
      }
      crash_points_hit += code == kCrashExitCode;
      std::printf("[torture] kill %d: crash point %s -> exit %d\n", k + 1, point.c_str(), code);
    } else {
      const pid_t pid = StartWithEnv(f, args, log, "");
      // Half of these die while joining the group; the others once the processor has committed
      // its share of the run, so the kills spread over the whole stream.
      const bool early = k % 4 == 1;
      int64_t delay = static_cast<int64_t>(rng() % 2500);
      if (!early) {
        const uint64_t target =
            (events + invalid) * static_cast<uint64_t>(k + 1) / static_cast<uint64_t>(kills + 1);
        const auto deadline = Clock::now() + std::chrono::seconds(120);
        while (CommittedMessages(f.Path("data")) < target && Clock::now() < deadline) SleepMs(20);
        delay = static_cast<int64_t>(rng() % 300);
      }
      SleepMs(delay);
      kill(pid, SIGKILL);
      EXPECT_EQ(WaitFor(pid, 10), 128 + SIGKILL);
      std::printf("[torture] kill %d: SIGKILL %lld ms %s (%llu messages committed)\n", k + 1,
                  static_cast<long long>(delay),
                  early ? "after start (group join)" : "after its progress target",
                  static_cast<unsigned long long>(CommittedMessages(f.Path("data"))));
    }
    std::fflush(stdout);
    ++survived;
  }
  EXPECT_EQ(finished(producer), 0) << ReadFileOrEmpty(f.Path("producer.log"));
  EXPECT_EQ(finished(bad_producer), 0) << ReadFileOrEmpty(f.Path("bad_producer.log"));
  EXPECT_NE(ReadFileOrEmpty(f.Path("producer.log")).find("sent_error=0 "), std::string::npos);

  const std::string last = f.Orderflow(
      "process --trigger 100ms --until-idle 3 --report-every-seconds 0 -X session.timeout.ms=4000",
      0, static_cast<int>(120 + events / 5000));
  const ExactlyOnceReport r =
      CheckExactlyOnce(f.Path("data"), ExpectedOrderIds(31, events), invalid);
  std::printf(
      "[torture][summary] kills=%d crash_points=%d events_checked=%llu valid=%llu invalid=%llu "
      "missing=%llu duplicated=%llu\n",
      survived, crash_points_hit, static_cast<unsigned long long>(r.valid_lines + r.invalid_lines),
      static_cast<unsigned long long>(r.valid_lines),
      static_cast<unsigned long long>(r.invalid_lines), static_cast<unsigned long long>(r.missing),
      static_cast<unsigned long long>(r.duplicated));
  EXPECT_GE(survived, 3);
  EXPECT_EQ(crash_points_hit, crash_points_tried);
  EXPECT_GE(crash_points_hit, std::min(2, (kills + 1) / 2));
}

// The producer keeps one request in flight per connection: the embedded cluster (librdkafka's
// mock) checks idempotent sequence numbers only for transactional producers, so when an injected
// error fails one Produce request and the next pipelined one succeeds, librdkafka counts the
// failed batch as delivered ("implicitly acked by subsequent batch success") and it is lost. A
// real broker rejects the later batch with OUT_OF_ORDER_SEQUENCE_NUMBER and the client retries
// both in order. See RELIABILITY.md, section 2.
TEST(BrokerFaultTest, BrokerDownLeaderMovesAndErrorBurstsKeepEveryEventExactlyOnce) {
  BrokerFixture f;
  constexpr uint64_t kEvents = 45000;
  const pid_t producer = StartOrderflow(
      f.dir(),
      {"produce", "--events-per-second", "2500", "--max-events", std::to_string(kEvents), "--seed",
       "41", "--report-every-seconds", "1", "-X", "max.in.flight.requests.per.connection=1"},
      f.Path("producer.log"));
  const pid_t processor =
      StartOrderflow(f.dir(), ProcessArgs({"--trigger", "100ms", "--report-every-seconds", "1"}),
                     f.Path("process.log"));
  ASSERT_TRUE(WaitForText(f.Path("process.log"), "assigned partitions", 30))
      << ReadFileOrEmpty(f.Path("process.log"));
  SleepMs(1000);

  // 1. A broker down for 5 s (leaders of half the partitions and maybe the coordinator).
  ControlPost(f.dir(), "/brokers/1/down");
  SleepMs(5000);
  ControlPost(f.dir(), "/brokers/1/up");
  SleepMs(2000);
  // 2. Leader moves.
  for (int p = 0; p < 6; ++p) {
    ControlPost(f.dir(), "/leader?topic=orders&partition=" + std::to_string(p) +
                             "&broker=" + std::to_string(1 + (p + 1) % 2));
  }
  SleepMs(2000);
  // 3. Bursts of retriable request errors: Produce NOT_LEADER_OR_FOLLOWER, Fetch
  //    REQUEST_TIMED_OUT, OffsetCommit and JoinGroup COORDINATOR_NOT_AVAILABLE (the JoinGroup
  //    ones are met by the final run below, which joins the group).
  ControlPost(f.dir(), "/errors?api=0&error=6&count=20");
  ControlPost(f.dir(), "/errors?api=1&error=7&count=20");
  ControlPost(f.dir(), "/errors?api=8&error=15&count=10");
  ControlPost(f.dir(), "/errors?api=11&error=15&count=3");

  EXPECT_EQ(WaitFor(producer, 120), 0) << ReadFileOrEmpty(f.Path("producer.log"));
  const std::string produced = ReadFileOrEmpty(f.Path("producer.log"));
  EXPECT_NE(produced.find("[producer][summary] sent_ok=45000 sent_error=0 "), std::string::npos)
      << produced;
  SleepMs(2000);
  kill(processor, SIGTERM);
  EXPECT_EQ(WaitFor(processor, 60), 0) << ReadFileOrEmpty(f.Path("process.log"));
  // The next owner of the partitions asks for watermarks while a leader is "moving"
  // (ListOffsets NOT_LEADER_OR_FOLLOWER): it must retry, not stop.
  ControlPost(f.dir(), "/errors?api=2&error=6&count=4");
  const std::string last = f.Orderflow(
      "process --trigger 100ms --until-idle 3 --report-every-seconds 0 -X session.timeout.ms=4000");
  EXPECT_NE(last.find("retrying"), std::string::npos) << last;

  // While degraded, both sides said so.
  const std::string processed = ReadFileOrEmpty(f.Path("process.log"));
  EXPECT_NE(processed.find("warn"), std::string::npos) << "no warning while a broker was down\n"
                                                       << processed;
  EXPECT_NE(produced.find("warn"), std::string::npos) << "no warning while a broker was down\n"
                                                      << produced;
  const std::set<std::string> expected = ExpectedOrderIds(41, kEvents);
  if (CheckExactlyOnce(f.Path("data"), expected, 0).missing > 0) {
    ADD_FAILURE() << ExplainMissing(f.dir(), f.bootstrap(), expected)
                  << ReadFileOrEmpty(f.Path("process.log"));
  }
}

TEST(BadConfigurationTest, UnknownFlagBadPropertyAndUnreachableBootstrapExitWithOneLine) {
  BrokerFixture f;
  std::string out = f.Orderflow("process --no-such-flag", 2);
  EXPECT_NE(out.find("no-such-flag"), std::string::npos) << out;
  out = f.Orderflow("process -X no.such.property=1 --until-idle 1", 2);
  EXPECT_NE(out.find("no.such.property"), std::string::npos) << out;
  out = f.Orderflow("process --assignment-timeout 0", 2);
  EXPECT_NE(out.find("--assignment-timeout"), std::string::npos) << out;
  const auto started = Clock::now();
  out = f.Orderflow(
      "process --bootstrap-servers 127.0.0.1:1 --until-idle 1 --assignment-timeout 3 "
      "--report-every-seconds 0",
      1, 60);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(30));
  EXPECT_NE(out.find("orderflow process: no partitions of orders assigned within 3 s"),
            std::string::npos)
      << out;
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(f.Path("data/_checkpoints/orders"), ec) || ec)
      << "a checkpoint was written";
}

// The output directory on a tmpfs the test mounts (CI runs as root, which writes anywhere
// else): read-only, then full. Each failure is one line and exit 2 or 1, the checkpoints do
// not move past unwritten output, and after the fix a restart loses nothing.
TEST(BadConfigurationTest, ReadOnlyAndFullOutputDisksFailCleanlyAndRecoverAfterTheFix) {
  BrokerFixture f;
  const std::string mount = f.Path("disk");
  if (!MountTmpfs(mount, "size=64m")) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  struct Unmounter {
    std::string dir;
    ~Unmounter() { Unmount(dir); }
  } unmount{mount};
  const std::string process =
      "process --bootstrap-servers " + f.bootstrap() + " --data-dir disk/data " +
      "--starting-offsets earliest --trigger 100ms --until-idle 2 --report-every-seconds 0 " +
      "-X session.timeout.ms=4000";
  f.Orderflow(
      "produce --events-per-second max --max-events 4000 --seed 51 --report-every-seconds 0");
  f.Orderflow(process);
  const std::string checkpoint = f.Path("disk/data/_checkpoints/orders/partition-0");
  const std::string before = ReadFileOrEmpty(checkpoint);
  ASSERT_FALSE(before.empty());

  // Read-only: exit 2 naming the directory, nothing moves.
  f.Orderflow(
      "produce --events-per-second max --max-events 8000 --seed 52 --report-every-seconds 0");
  ASSERT_TRUE(MountTmpfs(mount, "remount,ro,size=64m"));
  std::string out = f.Orderflow(process, 2);
  EXPECT_NE(out.find("orderflow process: --data-dir disk/data: cannot"), std::string::npos) << out;
  EXPECT_NE(out.find("Read-only file system"), std::string::npos) << out;
  EXPECT_EQ(ReadFileOrEmpty(checkpoint), before);

  // Full: the 8000 new events (~4 MB of output) do not fit in 1 MB more than is used now.
  ASSERT_TRUE(MountTmpfs(
      mount,
      "remount,rw,size=" + std::to_string(std::filesystem::space(mount).capacity -
                                          std::filesystem::space(mount).available + (1 << 20))));
  out = f.Orderflow(process, 1);
  EXPECT_NE(out.find("No space left on device"), std::string::npos) << out;
  size_t error_lines = 0;
  for (size_t at = out.find("orderflow process:"); at != std::string::npos;
       at = out.find("orderflow process:", at + 1)) {
    ++error_lines;
  }
  EXPECT_EQ(error_lines, 1u) << out;

  // Fixed: a restart writes everything, once.
  ASSERT_TRUE(MountTmpfs(mount, "remount,rw,size=64m"));
  f.Orderflow(process);
  std::set<std::string> expected = ExpectedOrderIds(51, 4000);
  expected.merge(ExpectedOrderIds(52, 8000));
  CheckExactlyOnce(f.Path("disk/data"), expected, 0);
}

TEST(ScaleOutTest, TwoProcessorsShareKillHandOverAndRejoinExactlyOnce) {
  BrokerFixture f;
  constexpr uint64_t kEvents = 36000;
  const pid_t producer =
      StartOrderflow(f.dir(),
                     {"produce", "--events-per-second", "2000", "--max-events",
                      std::to_string(kEvents), "--seed", "61", "--report-every-seconds", "0"},
                     f.Path("producer.log"));
  const std::vector<std::string> args =
      ProcessArgs({"--trigger", "100ms", "--report-every-seconds", "0"});
  const pid_t a = StartOrderflow(f.dir(), args, f.Path("a.log"));
  const pid_t b = StartOrderflow(f.dir(), args, f.Path("b.log"));
  auto shares = [&](const std::string& log, int want, int timeout_s) {
    const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    while (Clock::now() < deadline) {
      if (LastAssignmentSize(ReadFileOrEmpty(f.Path(log))) == want) return true;
      SleepMs(100);
    }
    return false;
  };
  EXPECT_TRUE(shares("a.log", 3, 30) && shares("b.log", 3, 30))
      << ReadFileOrEmpty(f.Path("a.log")) << ReadFileOrEmpty(f.Path("b.log"));
  SleepMs(2000);
  kill(a, SIGKILL);
  EXPECT_EQ(WaitFor(a, 10), 128 + SIGKILL);
  EXPECT_TRUE(shares("b.log", 6, 30)) << "b did not take over a's partitions\n"
                                      << ReadFileOrEmpty(f.Path("b.log"));
  SleepMs(1000);
  const pid_t c = StartOrderflow(f.dir(), args, f.Path("c.log"));
  EXPECT_TRUE(shares("c.log", 3, 30) && shares("b.log", 3, 30))
      << ReadFileOrEmpty(f.Path("b.log")) << ReadFileOrEmpty(f.Path("c.log"));

  EXPECT_EQ(WaitFor(producer, 60), 0) << ReadFileOrEmpty(f.Path("producer.log"));
  // The two survivors drain the topic between them (committed; rolled files are published at
  // the stop).
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline && CommittedMessages(f.Path("data")) < kEvents) SleepMs(200);
  kill(b, SIGTERM);
  kill(c, SIGTERM);
  EXPECT_EQ(WaitFor(b, 30), 0) << ReadFileOrEmpty(f.Path("b.log"));
  EXPECT_EQ(WaitFor(c, 30), 0) << ReadFileOrEmpty(f.Path("c.log"));
  CheckExactlyOnce(f.Path("data"), ExpectedOrderIds(61, kEvents), 0);
}

}  // namespace
}  // namespace orderflow::e2e

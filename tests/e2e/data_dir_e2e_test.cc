// Who may write a data dir (docs/checkpoint_format.md, "Who writes a data dir"), end to end on
// the real binary and the embedded cluster: processors of another group are refused at once
// with a message that names the owner and the way out, and so is a process of the same group
// that is given a partition a live process still writes; the one that goes on loses and
// duplicates nothing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/reliability_harness.h"

namespace orderflow::e2e {
namespace {

using Clock = std::chrono::steady_clock;

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

bool WaitForText(const std::string& path, const std::string& text, int timeout_s) {
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  while (Clock::now() < deadline) {
    if (ReadFileOrEmpty(path).find(text) != std::string::npos) return true;
    SleepMs(50);
  }
  return false;
}

// The exit code of a process that has ended (128+signal when killed), -1 while it runs.
int ExitedWith(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> Process(const std::string& group) {
  return {"process",
          "--group-id",
          group,
          "--starting-offsets",
          "earliest",
          "--trigger",
          "100ms",
          "--report-every-seconds",
          "0",
          "-X",
          "session.timeout.ms=4000",
          "-X",
          "heartbeat.interval.ms=300"};
}

// The case: two processors of different groups started together on one data dir both
// died with "cannot rename data/_checkpoints/orders/.partition-5.tmp".
TEST(DataDirOwnerE2eTest, AProcessorOfAnotherGroupIsRefusedAtOnceAndTheOwnerGoesOn) {
  BrokerFixture f;
  constexpr uint64_t kEvents = 12000;
  const pid_t producer =
      StartOrderflow(f.dir(),
                     {"produce", "--events-per-second", "3000", "--max-events",
                      std::to_string(kEvents), "--seed", "81", "--report-every-seconds", "0"},
                     f.Path("producer.log"));
  const pid_t a = StartOrderflow(f.dir(), Process("group-a"), f.Path("a.log"));
  const pid_t b = StartOrderflow(f.dir(), Process("group-b"), f.Path("b.log"));
  // One of them owns the data dir; the other stops before it joins its group.
  const auto started = Clock::now();
  int exit_a = -1, exit_b = -1;
  while (Clock::now() - started < std::chrono::seconds(20) && exit_a == -1 && exit_b == -1) {
    if (exit_a == -1) exit_a = ExitedWith(a);
    if (exit_b == -1) exit_b = ExitedWith(b);
    SleepMs(50);
  }
  ASSERT_TRUE(exit_a == 2 || exit_b == 2)
      << ReadFileOrEmpty(f.Path("a.log")) << ReadFileOrEmpty(f.Path("b.log"));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10)) << "not refused at once";
  const bool a_refused = exit_a == 2;
  const std::string refused = ReadFileOrEmpty(f.Path(a_refused ? "a.log" : "b.log"));
  const std::string owner = a_refused ? "group-b" : "group-a";
  const std::string mine = a_refused ? "group-a" : "group-b";
  EXPECT_NE(refused.find("orderflow process: --data-dir data belongs to the processors of group '" +
                         owner + "' on topic 'orders' (data/_owner); this one (group '" + mine +
                         "', topic 'orders')"),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.find("use another --data-dir"), std::string::npos) << refused;
  EXPECT_EQ(refused.find("assigned partitions"), std::string::npos) << "it joined its group";

  // The owner drains everything, once.
  const pid_t survivor = a_refused ? b : a;
  EXPECT_EQ(WaitFor(producer, 60), 0) << ReadFileOrEmpty(f.Path("producer.log"));
  SleepMs(3000);
  kill(survivor, SIGTERM);
  EXPECT_EQ(WaitFor(survivor, 30), 0) << ReadFileOrEmpty(f.Path(a_refused ? "b.log" : "a.log"));
  CheckExactlyOnce(f.Path("data"), ExpectedOrderIds(81, kEvents), 0);
  // The same group may join later and finds nothing left.
  const std::string again = f.Orderflow("process --group-id " + owner +
                                        " --until-idle 2 --report-every-seconds 0 "
                                        "-X session.timeout.ms=4000");
  EXPECT_NE(again.find("processed=0 "), std::string::npos) << again;
}

// A member the group has given up on (stopped: no heartbeats) still holds its partitions' locks:
// the member that is given them is refused instead of writing them too; the stopped one, once it
// runs again, rejoins and goes on.
TEST(DataDirOwnerE2eTest, AProcessGivenPartitionsALiveOneHoldsIsRefusedNamingIt) {
  BrokerFixture f;
  constexpr uint64_t kEvents = 6000;
  f.Orderflow(
      "produce --events-per-second max --max-events 3000 --seed 82 --report-every-seconds 0");
  const pid_t a = StartOrderflow(f.dir(), Process("shared"), f.Path("a.log"));
  ASSERT_TRUE(WaitForText(f.Path("a.log"), "assigned partitions", 30))
      << ReadFileOrEmpty(f.Path("a.log"));
  SleepMs(1500);
  kill(a, SIGSTOP);
  const pid_t b = StartOrderflow(f.dir(), Process("shared"), f.Path("b.log"));
  const int exit_b = WaitFor(b, 60);
  kill(a, SIGCONT);
  const std::string refused = ReadFileOrEmpty(f.Path("b.log"));
  EXPECT_EQ(exit_b, 2) << refused;
  EXPECT_NE(refused.find("is being written by process " + std::to_string(a) + " on "),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.find("(group shared, topic orders, data dir data)"), std::string::npos)
      << refused;
  EXPECT_NE(refused.find("stop that one, or use another --data-dir"), std::string::npos) << refused;
  // a runs again: it rejoins, takes the rest, and nothing is lost or duplicated.
  f.Orderflow(
      "produce --events-per-second max --max-events 3000 --seed 83 --report-every-seconds 0");
  SleepMs(8000);
  kill(a, SIGTERM);
  EXPECT_EQ(WaitFor(a, 30), 0) << ReadFileOrEmpty(f.Path("a.log"));
  std::set<std::string> expected = ExpectedOrderIds(82, 3000);
  expected.merge(ExpectedOrderIds(83, 3000));
  EXPECT_EQ(expected.size(), kEvents);
  CheckExactlyOnce(f.Path("data"), expected, 0);
}

}  // namespace
}  // namespace orderflow::e2e

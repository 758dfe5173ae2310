// End-to-end stops of `orderflow demo`, as a user stops it: Ctrl-C from the terminal (SIGINT to
// the terminal's process group) stops every stage cleanly, the broker last, with nothing lost
// or duplicated in the output; a demo killed with SIGKILL takes its stages with it.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/loopback_port.h"
#include "tests/e2e/e2e_harness.h"

namespace orderflow::e2e {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// The pids of the processes running in `dir` (the demo's stages inherit its directory).
std::set<pid_t> ProcessesIn(const std::string& dir) {
  std::set<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code link_ec;
    const fs::path cwd = fs::read_symlink(entry.path() / "cwd", link_ec);
    if (!link_ec && cwd == fs::path(dir)) pids.insert(static_cast<pid_t>(std::stoi(name)));
  }
  return pids;
}

// "N processes left:" and their command lines.
std::string Describe(const std::set<pid_t>& pids) {
  std::string text = std::to_string(pids.size()) + " processes left:\n";
  for (pid_t pid : pids) {
    std::string cmdline = ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    text += "  " + std::to_string(pid) + ": " + cmdline + "\n";
  }
  return text;
}

bool WaitUntil(const std::function<bool()>& done, int timeout_s) {
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

class DemoE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fs::path("orderflow-demo-e2e-XXXXXX");
    std::string pattern = dir_;
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = fs::canonical(pattern);
    log_ = dir_ + "/demo.log";
  }
  void TearDown() override {
    for (pid_t pid : ProcessesIn(dir_)) kill(pid, SIGKILL);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A demo long enough to be stopped in the middle (50 s of events), on its own cluster.
  pid_t StartLongDemo(bool dashboard) {
    std::vector<std::string> args = {"--data-dir",       "data",    "--output-dir",        "output",
                                     "--events",         "1000000", "--events-per-second", "20000",
                                     "--invalid-events", "2000"};
    if (dashboard) {
      args.insert(args.end(), {"--dashboard", "--dashboard-listen",
                               "127.0.0.1:" + std::to_string(FreeLoopbackPort())});
    }
    args.insert(args.begin(), "demo");
    const pid_t demo = StartOrderflow(dir_, args, log_, /*own_process_group=*/true);
    EXPECT_GT(demo, 0);
    // Running: the processor has committed events (its group joined, the producers sending).
    EXPECT_TRUE(WaitUntil([&] { return CommittedMessages(dir_ + "/data") > 20000; }, 60))
        << ReadFileOrEmpty(log_);
    return demo;
  }

  std::string dir_, log_;
};

TEST_F(DemoE2eTest, CtrlCStopsEveryStageInOrderAndKeepsTheOutputExactlyOnce) {
  const pid_t demo = StartLongDemo(/*dashboard=*/true);
  const std::set<pid_t> stages = ProcessesIn(dir_);
  EXPECT_GE(stages.size(), 6u);       // demo, broker, processor, tracker, dashboard, two producers
  ASSERT_EQ(kill(-demo, SIGINT), 0);  // the terminal's Ctrl-C: to the foreground group

  EXPECT_EQ(WaitFor(demo, 90), 0) << ReadFileOrEmpty(log_);
  EXPECT_TRUE(WaitUntil([&] { return ProcessesIn(dir_).empty(); }, 20))
      << Describe(ProcessesIn(dir_));
  const std::string log = ReadFileOrEmpty(log_);
  EXPECT_NE(log.find("[demo] stopping:"), std::string::npos) << log;
  // The broker went last: nothing was cut off from it, and no stage failed.
  const std::regex broker_gone("Connection refused|Connect to .* failed|brokers are down",
                               std::regex::icase);
  EXPECT_FALSE(std::regex_search(log, broker_gone)) << log;
  const std::regex error_line(R"(\d\d:\d\d:\d\d\.\d{3} (error|critical) )");
  EXPECT_FALSE(std::regex_search(log, error_line)) << log;
  EXPECT_EQ(log.find("exited with"), std::string::npos) << log;

  // The processor stopped cleanly: what it committed is in the files once, nothing more.
  const uint64_t committed = CommittedMessages(dir_ + "/data");
  const std::vector<OutputLine> lines = ReadOutputLines(dir_ + "/data");
  std::set<std::string> ids;
  for (const OutputLine& l : lines) {
    if (l.invalid_reason.empty()) {
      EXPECT_TRUE(ids.insert(l.order_id).second) << l.order_id;
    }
  }
  EXPECT_EQ(lines.size(), committed);
  EXPECT_GT(committed, 20000u);
}

TEST_F(DemoE2eTest, AKilledDemoTakesItsStagesWithIt) {
  const pid_t demo = StartLongDemo(/*dashboard=*/false);
  EXPECT_GE(ProcessesIn(dir_).size(), 5u);  // demo, broker, processor, tracker, producers
  ASSERT_EQ(kill(demo, SIGKILL), 0);
  EXPECT_EQ(WaitFor(demo, 10), 128 + SIGKILL);
  // Each stage gets SIGTERM from the kernel when the demo dies, and stops: a producer that can
  // no longer reach the broker (stopped at the same moment) gives its last events 30 s.
  EXPECT_TRUE(WaitUntil([&] { return ProcessesIn(dir_).empty(); }, 60))
      << Describe(ProcessesIn(dir_)) << ReadFileOrEmpty(log_);
}

}  // namespace
}  // namespace orderflow::e2e

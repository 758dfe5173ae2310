// The output options end to end on the real binary and the embedded cluster
// (docs/output_format.md): `process --compression zstd --partition-by purchase_date` killed with
// SIGKILL mid-stream, then crashed inside a batch commit while running with the other layout (plain
// files, no folders), then run to the end: every message in exactly one output exactly once, each
// valid line in the folder of its purchase_date, and `orderflow report` (with and without
// --since/--until) counting exactly what was written. Bad values of the new flags exit 2 with a
// one-line reason.
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "common/data_layout.h"
#include "common/output_file_reader.h"
#include "tests/e2e/reliability_harness.h"

namespace orderflow::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kCrashExitCode = 86;  // stream/crash_point.h

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// The value of `key=` in a key=value line of `text` starting with `tag` (-1 when absent).
int64_t Figure(const std::string& text, const std::string& tag, const std::string& key) {
  const size_t line = text.find(tag);
  if (line == std::string::npos) return -1;
  const size_t at = text.find(" " + key + "=", line);
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + key.size() + 2));
}

// What the folders of one output hold: lines per purchase_date folder ("" = files at the top),
// and the lines whose purchase_date differs from their folder's.
struct FolderCounts {
  std::map<std::string, uint64_t> lines;
  uint64_t misplaced = 0;
  uint64_t files = 0, zstd_files = 0;
};

FolderCounts CountByFolder(const std::string& dir) {
  FolderCounts counts;
  simdjson::dom::parser parser;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !data_layout::IsOutputFileName(name)) continue;
    ++counts.files;
    counts.zstd_files += data_layout::CompressionOfFileName(name) == Compression::kZstd;
    const std::string parent = entry.path().parent_path().filename().string();
    const auto folder = data_layout::ParsePartitionDirName(parent);
    const std::string folder_value = folder ? std::string(folder->value) : "";
    auto content = ReadOutputFile(entry.path().string());
    if (!content.ok()) {
      ADD_FAILURE() << content.status().message();
      continue;
    }
    std::istringstream lines(*content);
    std::string line;
    while (std::getline(lines, line)) {
      ++counts.lines[folder_value];
      if (!folder) continue;
      simdjson::dom::element doc;
      std::string_view date;
      const bool has_date = !parser.parse(line).get(doc) && !doc["purchase_date"].get(date) &&
                            data_layout::IsCalendarDate(date);
      const std::string expected =
          has_date ? std::string(date) : std::string(data_layout::kDefaultPartitionValue);
      if (expected != folder_value) ++counts.misplaced;
    }
  }
  return counts;
}

TEST(OutputLayoutE2eTest, ZstdDatePartitionsSurviveKillsAndALayoutChangeExactlyOnce) {
  constexpr uint64_t kEvents = 30000, kInvalid = 1200, kMalformed = 300;
  BrokerFixture f(6);
  const pid_t producer =
      StartOrderflow(f.dir(),
                     {"produce", "--events-per-second", "6000", "--max-events",
                      std::to_string(kEvents), "--seed", "41", "--report-every-seconds", "0"},
                     f.Path("producer.log"));
  const pid_t bad_producer = StartOrderflow(
      f.dir(),
      {"produce", "--events-per-second", "300", "--max-events", std::to_string(kInvalid), "--seed",
       "42", "--invalid-mode", "random", "--report-every-seconds", "0"},
      f.Path("bad_producer.log"));
  // Not JSON at all: no purchase_date to read, so the default folder.
  const pid_t malformed_producer = StartOrderflow(
      f.dir(),
      {"produce", "--events-per-second", "100", "--max-events", std::to_string(kMalformed),
       "--seed", "43", "--invalid-mode", "malformed_json", "--report-every-seconds", "0"},
      f.Path("malformed_producer.log"));

  const std::vector<std::string> common = {
      "process", "--starting-offsets",        "earliest",  "-X",   "session.timeout.ms=4000",
      "-X",      "heartbeat.interval.ms=300", "--trigger", "50ms", "--max-events-per-batch",
      "1500",    "--report-every-seconds",    "0"};
  std::vector<std::string> zstd_dated = common;
  for (const char* a : {"--compression", "zstd", "--partition-by", "purchase_date"}) {
    zstd_dated.push_back(a);
  }
  const uint64_t total = kEvents + kInvalid + kMalformed;

  // 1. SIGKILL once a third of the stream is committed.
  pid_t pid = StartOrderflow(f.dir(), zstd_dated, f.Path("process.log"));
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (CommittedMessages(f.Path("data")) < total / 3 && Clock::now() < deadline) SleepMs(20);
  SleepMs(37);
  kill(pid, SIGKILL);
  EXPECT_EQ(WaitFor(pid, 10), 128 + SIGKILL);
  std::printf("[layout] SIGKILL with %llu messages committed\n",
              static_cast<unsigned long long>(CommittedMessages(f.Path("data"))));

  // 2. The other layout (plain files, no folders), crashing inside its second batch's commit:
  // the restart below, with zstd folders, must publish what it left open and lose nothing.
  setenv("ORDERFLOW_CRASH_POINT", "mid_publish:2", 1);
  pid = StartOrderflow(f.dir(), common, f.Path("process.log"));
  unsetenv("ORDERFLOW_CRASH_POINT");
  EXPECT_EQ(WaitFor(pid, 90), kCrashExitCode) << ReadFileOrEmpty(f.Path("process.log"));

  EXPECT_EQ(WaitFor(producer, 120), 0) << ReadFileOrEmpty(f.Path("producer.log"));
  EXPECT_EQ(WaitFor(bad_producer, 60), 0) << ReadFileOrEmpty(f.Path("bad_producer.log"));
  EXPECT_EQ(WaitFor(malformed_producer, 60), 0);

  // 3. To the end, zstd folders again.
  std::vector<std::string> last = zstd_dated;
  last.insert(last.end(), {"--until-idle", "3"});
  pid = StartOrderflow(f.dir(), last, f.Path("process.log"));
  EXPECT_EQ(WaitFor(pid, 180), 0) << ReadFileOrEmpty(f.Path("process.log"));
  // Step 2 left files open (rolled files, the default) under the plain layout: the restart
  // publishes them as they are before it writes zstd folders.
  EXPECT_NE(ReadFileOrEmpty(f.Path("process.log"))
                .find("publishing the files opened under another --compression or --partition-by"),
            std::string::npos);

  const ExactlyOnceReport r =
      CheckExactlyOnce(f.Path("data"), ExpectedOrderIds(41, kEvents), kInvalid + kMalformed);
  FolderCounts valid = CountByFolder(f.Path("data/orders_json"));
  FolderCounts invalid = CountByFolder(f.Path("data/invalid_events"));
  EXPECT_EQ(valid.misplaced, 0u);
  EXPECT_EQ(invalid.misplaced, 0u);
  EXPECT_GE(valid.lines.size(), 20u);  // the generator spreads purchases over 28 days
  EXPECT_EQ(valid.lines.count(data_layout::kDefaultPartitionValue), 0u);
  // Malformed messages: in the default folder, unless step 2 wrote them (files at the top).
  EXPECT_GE(invalid.lines[data_layout::kDefaultPartitionValue] + invalid.lines[""], kMalformed);
  EXPECT_GT(valid.zstd_files, valid.files / 2);  // most batches ran with zstd
  std::printf("[layout] valid=%llu invalid=%llu folders=%zu files=%llu (zstd %llu) plain=%llu\n",
              static_cast<unsigned long long>(r.valid_lines),
              static_cast<unsigned long long>(r.invalid_lines), valid.lines.size(),
              static_cast<unsigned long long>(valid.files),
              static_cast<unsigned long long>(valid.zstd_files),
              static_cast<unsigned long long>(valid.lines[""]));

  // The report reads the mix: zstd folders and the plain files of step 2.
  std::string out = f.Orderflow("report --data-dir data --output-dir output");
  EXPECT_EQ(Figure(out, "[report][summary]", "order_rows"), static_cast<int64_t>(kEvents)) << out;
  EXPECT_EQ(Figure(out, "[report][summary]", "invalid_rows"),
            static_cast<int64_t>(kInvalid + kMalformed))
      << out;
  EXPECT_EQ(Figure(out, "[report][summary]", "bad_lines"), 0) << out;

  // --since/--until: the lines of the days in range, whichever layout holds them. A plain file
  // at the top may hold any day: count its lines by their purchase_date.
  std::vector<std::string> days;
  for (const auto& [day, n] : valid.lines) {
    if (!day.empty()) days.push_back(day);
  }
  ASSERT_GE(days.size(), 10u);
  const std::string since = days[3], until = days[8];
  uint64_t want = 0;
  {
    simdjson::dom::parser parser;
    for (const auto& entry : fs::recursive_directory_iterator(f.Path("data/orders_json"))) {
      if (!entry.is_regular_file() ||
          !data_layout::IsOutputFileName(entry.path().filename().string())) {
        continue;
      }
      std::istringstream lines(ReadOutputFile(entry.path().string()).value());
      std::string line;
      while (std::getline(lines, line)) {
        simdjson::dom::element doc;
        std::string_view date;
        if (!parser.parse(line).get(doc) && !doc["purchase_date"].get(date)) {
          want += date >= since && date <= until;
        }
      }
    }
  }
  out = f.Orderflow("report --data-dir data --output-dir output-range --since " + since +
                    " --until " + until);
  EXPECT_EQ(Figure(out, "[report][summary]", "order_rows"), static_cast<int64_t>(want)) << out;
  EXPECT_NE(out.find("[report] purchase dates " + since + " to " + until), std::string::npos);
}

TEST(OutputLayoutE2eTest, BadValuesOfTheNewFlagsExitTwoWithOneLine) {
  char tmpl[] = "/tmp/orderflow-layout-flags-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  fs::create_directories(dir + "/data/orders_json");
  const std::string bin = "'" + OrderflowBinary() + "' ";
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {
           Case{"report --since 2026-02-30", "--since 2026-02-30: expected a date YYYY-MM-DD"},
           Case{"report --until yesterday", "--until yesterday: expected a date YYYY-MM-DD"},
           Case{"report --since 2026-11-30 --until 2026-11-01",
                "--since 2026-11-30 is after --until 2026-11-01"},
           Case{"process --compression lz4 --bootstrap-servers 127.0.0.1:1",
                "--compression lz4: expected none, gzip or zstd"},
           Case{"process --partition-by user --bootstrap-servers 127.0.0.1:1",
                "--partition-by user: the one partition column is purchase_date"},
       }) {
    const std::string log = dir + "/out.log";
    EXPECT_EQ(RunShell(dir, bin + c.args, log, 30), 2) << c.args << "\n" << ReadFileOrEmpty(log);
    const std::string output = ReadFileOrEmpty(log);
    EXPECT_NE(output.find(c.message), std::string::npos) << c.args << "\n" << output;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace orderflow::e2e

// End-to-end: what a user of the original Python tools (producer.py, producer_invalid.py,
// tracker.py, the notebook) finds in the real binary: the invalid producer's tag and modes,
// the original's throughput figure, --commit-every 0, --print-events, undelivered events
// counted as sent_error, and the report's row count, rejected sample and empty-folder notice.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/e2e_harness.h"

namespace orderflow::e2e {
namespace {

// The lines of `output` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& output, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) lines.push_back(line);
  }
  return lines;
}

// The value of ` key=` in a key=value line; NaN when absent.
double Value(const std::string& line, const std::string& key) {
  const size_t at = line.find(" " + key + "=");
  if (at == std::string::npos) return std::nan("");
  return std::strtod(line.c_str() + at + key.size() + 2, nullptr);
}

// throughput_eps is count / elapsed_s (the original's figure), up to the printed rounding.
void ExpectCountPerElapsed(const std::string& line, const std::string& count_key) {
  const double count = Value(line, count_key), eps = Value(line, "throughput_eps"),
               elapsed = Value(line, "elapsed_s");
  ASSERT_GT(elapsed, 0) << line;
  const double expected = count / elapsed;
  // elapsed_s is printed with 2 decimals, throughput_eps with 1.
  const double slack = 0.06 + count * 0.005 / (elapsed * elapsed) + 0.001 * expected;
  EXPECT_NEAR(eps, expected, slack) << line;
}

std::multiset<std::string> InvalidReasons(const BrokerFixture& f) {
  std::multiset<std::string> reasons;
  for (const auto& line : ReadOutputLines(f.Path("data/invalid_events"))) {
    reasons.insert(line.invalid_reason);
  }
  return reasons;
}

TEST(FidelityE2eTest, InvalidProducerIsTaggedAndRandomSendsOnlyTheOriginalFiveModes) {
  BrokerFixture f;
  const std::string produced = f.Orderflow(
      "produce --invalid-mode random --events-per-second 400 --max-events 1200 --seed 3 "
      "--report-every-seconds 0.5");
  EXPECT_NE(produced.find("[producer_invalid][summary] sent_ok=1200 sent_error=0 "),
            std::string::npos)
      << produced;
  EXPECT_FALSE(LinesStartingWith(produced, "[producer_invalid] sent_ok=").empty()) << produced;
  EXPECT_TRUE(LinesStartingWith(produced, "[producer]").empty()) << produced;
  f.Orderflow("process --starting-offsets earliest --trigger 200ms --until-idle 3");
  // missing_both is reported as missing_quantity (the original's precedence).
  const std::set<std::string> original = {"missing_unit_price", "missing_quantity",
                                          "non_positive_unit_price", "non_positive_quantity"};
  const auto reasons = InvalidReasons(f);
  EXPECT_EQ(reasons.size(), 1200u);
  for (const std::string& reason : std::set<std::string>(reasons.begin(), reasons.end())) {
    EXPECT_TRUE(original.count(reason)) << "random sent a mode the original never sent: " << reason;
  }
  EXPECT_EQ(std::set<std::string>(reasons.begin(), reasons.end()), original);

  // random-all adds our modes; they also stay selectable by name.
  f.Orderflow(
      "produce --invalid-mode random-all --events-per-second max --max-events 700 --seed 4 "
      "--report-every-seconds 0");
  f.Orderflow(
      "produce --invalid-mode wrong_type --events-per-second max --max-events 10 --seed 5 "
      "--report-every-seconds 0");
  f.Orderflow("process --trigger 200ms --until-idle 3");
  const auto all = InvalidReasons(f);
  EXPECT_EQ(all.size(), 1910u);
  EXPECT_GT(all.count("malformed_json"), 0u);
  size_t wrong_type = 0;
  for (const auto& reason : all) wrong_type += reason.rfind("wrong_type_", 0) == 0;
  EXPECT_GT(wrong_type, 10u);

  const std::string bad = f.Orderflow("produce --invalid-mode random_all --max-events 1", 2);
  EXPECT_NE(bad.find("--invalid-mode random_all"), std::string::npos) << bad;
  EXPECT_NE(bad.find("random-all"), std::string::npos) << bad;
}

TEST(FidelityE2eTest, ProducerThroughputCountsFromTheCommandStartAndIntervalEpsIsAdded) {
  BrokerFixture f;
  const std::string produced = f.Orderflow(
      "produce --events-per-second 300 --max-events 900 --seed 9 --report-every-seconds 0.5");
  const auto periodic = LinesStartingWith(produced, "[producer] sent_ok=");
  ASSERT_GE(periodic.size(), 2u) << produced;
  for (const std::string& line : periodic) {
    SCOPED_TRACE(line);
    ExpectCountPerElapsed(line, "sent_ok");
    EXPECT_FALSE(std::isnan(Value(line, "interval_eps"))) << line;
  }
  const auto summary = LinesStartingWith(produced, "[producer][summary] ");
  ASSERT_EQ(summary.size(), 1u) << produced;
  EXPECT_NE(summary[0].find("sent_ok=900 sent_error=0 "), std::string::npos) << summary[0];
  ExpectCountPerElapsed(summary[0], "sent_ok");
}

// At a slow rate the send loop waits between events; the ack latency must not count that wait.
// Before, it slept in 50 ms slices and served delivery reports after each: every ack took ~50 ms
// at 1 event/s, against the client's ~5 ms (linger.ms) now.
TEST(FidelityE2eTest, AckLatencyAtASlowRateIsTheClientsNotTheSendLoopsWait) {
  BrokerFixture f;
  const std::string produced = f.Orderflow(
      "produce --events-per-second 1 --duration-seconds 3 --seed 9 --report-every-seconds 0");
  const auto summary = LinesStartingWith(produced, "[producer][summary] ");
  ASSERT_EQ(summary.size(), 1u) << produced;
  EXPECT_NE(summary[0].find("sent_ok=3 sent_error=0 "), std::string::npos) << summary[0];
  EXPECT_LT(Value(summary[0], "avg_ack_ms"), 25) << summary[0];
}

TEST(FidelityE2eTest, TrackerThroughputCommitEveryZeroAndPrintEventsAsTheOriginal) {
  BrokerFixture f;
  f.Orderflow(
      "produce --events-per-second max --max-events 300 --seed 11 --report-every-seconds 0");
  const std::string tracked =
      f.Orderflow("track --commit-every 0 --print-events --until-idle 3 --report-every-seconds 0");
  const auto summary = LinesStartingWith(tracked, "[tracker][summary] ");
  ASSERT_EQ(summary.size(), 1u) << tracked;
  const std::string& line = summary[0];
  EXPECT_NE(line.find("processed=300 errors=0 "), std::string::npos) << line;
  // --commit-every 0: one commit, at close.
  EXPECT_NE(line.find(" commits=1 "), std::string::npos) << line;
  // throughput_eps counts from the command's start (3 s of idleness included); active_eps is
  // the rate while the messages flowed, so it is the larger one here.
  ExpectCountPerElapsed(line, "processed");
  EXPECT_GT(Value(line, "elapsed_s"), 3.0) << line;
  EXPECT_GT(Value(line, "active_eps"), Value(line, "throughput_eps")) << line;

  const auto events = LinesStartingWith(tracked, "[consumer][event] ");
  ASSERT_EQ(events.size(), 300u) << tracked;
  const std::regex format(
      R"(\[consumer\]\[event\] offset=\d+ partition=[0-5] order_id=[0-9a-f-]{36} )"
      R"(item=(yogurt|potatoes|apples|bananas|carrots|cheese|bread|rice|pasta|eggs) )"
      R"(quantity=([1-9]|1\d|20))");
  std::set<std::string> ids = ExpectedOrderIds(11, 300), seen;
  for (const std::string& event : events) {
    EXPECT_TRUE(std::regex_match(event, format)) << event;
    seen.insert(event.substr(event.find("order_id=") + 9, 36));
  }
  EXPECT_EQ(seen, ids);

  // The committed offsets are there: a second run of the same group reads nothing new.
  const std::string again =
      f.Orderflow("track --commit-every 0 --until-idle 2 --report-every-seconds 0");
  EXPECT_NE(again.find("[tracker][summary] processed=0 "), std::string::npos) << again;
}

TEST(FidelityE2eTest, UndeliveredEventsCountAsSentErrorWhenTheProducerGivesUp) {
  char tmpl[] = "/tmp/orderflow-e2e-undelivered-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  // Nothing listens on port 1: the events can never be delivered. The producer waits for
  // message.timeout.ms (+5 s; 300 s by default, 5 s here), then must count all ten as failed.
  const int code = RunShell(dir,
                            "'" + OrderflowBinary() +
                                "' produce --bootstrap-servers 127.0.0.1:1 --max-events 10 "
                                "--events-per-second max --report-every-seconds 0 "
                                "-X message.timeout.ms=5000",
                            dir + "/produce.log", 90);
  const std::string output = ReadFileOrEmpty(dir + "/produce.log");
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("[producer][summary] sent_ok=0 sent_error=10 "), std::string::npos)
      << output;
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

TEST(FidelityE2eTest, ReportCountsCleanRowsAndShowsTheRejectedSample) {
  BrokerFixture f;
  f.Orderflow(
      "produce --events-per-second max --max-events 500 --seed 21 --report-every-seconds 0");
  f.Orderflow(
      "produce --invalid-mode random --events-per-second max --max-events 120 --seed 22 "
      "--report-every-seconds 0");
  f.Orderflow("process --starting-offsets earliest --trigger 200ms --until-idle 3");
  const std::string report = f.Orderflow("report --output-dir out", 0, 300);
  EXPECT_NE(report.find("[report][summary] "), std::string::npos) << report;
  EXPECT_NE(report.find(" rows=500 order_rows=500 invalid_rows=120 bad_lines=0 "),
            std::string::npos)
      << report;
  const std::string html = ReadFileOrEmpty(f.Path("out/report.html"));
  EXPECT_NE(html.find("Rejected events (first 20 of 120)"), std::string::npos);
  const std::string json = ReadFileOrEmpty(f.Path("out/report.json"));
  EXPECT_NE(json.find("\"rejected_sample\""), std::string::npos);
}

TEST(FidelityE2eTest, ReportOnAnEmptyOutputFolderSaysNoDataYetAndAMissingOneFails) {
  char tmpl[] = "/tmp/orderflow-e2e-nodata-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  std::filesystem::create_directories(dir + "/data/orders_json");
  const std::string orderflow = "'" + OrderflowBinary() + "' report --data-dir data ";
  int code = RunShell(dir, orderflow + "--output-dir out", dir + "/report.log", 60);
  std::string output = ReadFileOrEmpty(dir + "/report.log");
  EXPECT_EQ(code, 0) << output;
  EXPECT_NE(output.find("[report] no data yet"), std::string::npos) << output;
  EXPECT_NE(output.find("[report][summary] files=0 rows=0 "), std::string::npos) << output;
  EXPECT_NE(ReadFileOrEmpty(dir + "/out/report.html").find("No data yet"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/orders_boxplot_channel_payment.png"));

  code = RunShell(dir, orderflow + "--input nowhere --output-dir out2", dir + "/missing.log", 60);
  output = ReadFileOrEmpty(dir + "/missing.log");
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("nowhere does not exist"), std::string::npos) << output;
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace orderflow::e2e

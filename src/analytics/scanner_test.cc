#include "analytics/scanner.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "analytics/order_files.h"
#include "analytics/rejected_sample.h"
#include "analytics/summary.h"
#include "common/data_layout.h"
#include "common/output_encoder.h"
#include "common/output_file_reader.h"
#include "event/catalogue.h"

namespace orderflow::analytics {
namespace {

namespace fs = std::filesystem;

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("scanner_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Orders() const { return (dir_ / "orders_json").string(); }
  std::string Invalid() const { return (dir_ / "invalid_events").string(); }

  void WriteFile(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  Result<ScanResult> ScanWith(int threads, size_t chunk_bytes = kChunkBytes) {
    ScanOptions options;
    options.orders_dir = Orders();
    options.invalid_dir = Invalid();
    options.threads = threads;
    options.chunk_bytes = chunk_bytes;
    return Scan(options);
  }

  fs::path dir_;
};

// The expected figures, computed straight from the generated events (no JSON involved).
struct Expected {
  uint64_t orders = 0;
  int64_t revenue_cents = 0;
  std::array<std::array<int64_t, 7>, 10> item_weekday_quantity{};
  std::array<std::array<int64_t, 24>, 7> weekday_hour_cents{};
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>> values;
  std::map<std::string, int64_t> city_cents, day_cents;
};

double Quantile(std::vector<int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return (static_cast<double>(v[lo]) + (static_cast<double>(v[hi]) - static_cast<double>(v[lo])) *
                                           (pos - static_cast<double>(lo))) /
         100;
}

void ExpectAggregatesMatch(const Expected& e, const Aggregates& a) {
  EXPECT_EQ(a.clean_orders(), e.orders);
  EXPECT_EQ(a.total().revenue_cents, e.revenue_cents);
  for (int i = 0; i < 10; ++i) {
    for (int w = 0; w < 7; ++w) {
      EXPECT_EQ(a.item_weekday()[i][w].quantity, e.item_weekday_quantity[i][w]) << i << " " << w;
    }
  }
  EXPECT_EQ(a.weekday_hour_cents(), e.weekday_hour_cents);
  const Summary s = Summarize(a, 100);
  ASSERT_EQ(s.boxes.size(), e.values.size());
  for (const BoxFigure& box : s.boxes) {
    const auto& v = e.values.at({box.channel, box.payment_method});
    EXPECT_EQ(box.box.count, v.size());
    EXPECT_NEAR(box.box.q1, Quantile(v, 0.25), 1e-9);
    EXPECT_NEAR(box.box.median, Quantile(v, 0.5), 1e-9);
    EXPECT_NEAR(box.box.q3, Quantile(v, 0.75), 1e-9);
  }
  ASSERT_EQ(s.top_cities.size(), e.city_cents.size());
  for (const NamedTotals& city : s.top_cities) {
    EXPECT_NEAR(city.revenue, static_cast<double>(e.city_cents.at(city.name)) / 100, 1e-6);
  }
  ASSERT_EQ(s.days.size(), e.day_cents.size());
  for (const DayFigure& day : s.days) {
    EXPECT_NEAR(day.revenue, static_cast<double>(e.day_cents.at(day.date)) / 100, 1e-6);
  }
  // Pareto: descending, cumulative share ends at 100%.
  ASSERT_FALSE(s.items.empty());
  for (size_t i = 1; i < s.items.size(); ++i) EXPECT_GE(s.items[i - 1].revenue, s.items[i].revenue);
  EXPECT_NEAR(s.items.back().cumulative_share, 1.0, 1e-9);
}

void Count(const event::OrderEvent& ev, Expected& e) {
  ++e.orders;
  e.revenue_cents += ev.total_amount_cents;
  e.item_weekday_quantity[ev.item_index][ev.purchase.weekday] += ev.quantity;
  e.weekday_hour_cents[ev.purchase.weekday][ev.purchase.hour] += ev.total_amount_cents;
  e.values[{std::string(ev.sales_channel), std::string(ev.payment_method)}].push_back(
      ev.total_amount_cents);
  e.city_cents[std::string(ev.store_city)] += ev.total_amount_cents;
  e.day_cents[fmt::format("{:04}-{:02}-{:02}", ev.purchase.year, ev.purchase.month,
                          ev.purchase.day)] += ev.total_amount_cents;
}

TEST_F(ScannerTest, AggregatesMatchAStraightforwardComputation) {
  OrderFilesSpec spec;
  spec.seed = 42;
  spec.events = 20000;
  spec.invalid_events = 700;
  spec.files = 3;
  Expected e;
  auto written = WriteOrderFiles(Orders(), Invalid(), spec,
                                 [&](const event::OrderEvent& ev) { Count(ev, e); });
  ASSERT_TRUE(written.ok()) << written.status().message();

  // One thread with whole files, two threads with tiny chunks (lines cut everywhere), and
  // more threads than chunks: the same figures every time.
  for (auto [threads, chunk] : {std::pair<int, size_t>{1, kChunkBytes}, {2, 997}, {7, 1 << 20}}) {
    SCOPED_TRACE(fmt::format("threads={} chunk={}", threads, chunk));
    auto result = ScanWith(threads, chunk);
    ASSERT_TRUE(result.ok()) << result.status().message();
    const ScanStats& stats = result->stats;
    EXPECT_EQ(stats.order_files, 3u);
    EXPECT_EQ(stats.invalid_files, 3u);
    EXPECT_EQ(stats.bytes, written->bytes);
    EXPECT_EQ(stats.order_rows, 20000u);
    EXPECT_EQ(stats.bad_order_lines, 0u);
    // Invalid events are stored as the processor stores them: every line is an object.
    EXPECT_EQ(stats.invalid_rows, 700u);
    EXPECT_EQ(stats.bad_invalid_lines, 0u);
    ExpectAggregatesMatch(e, result->aggregates);
    const Aggregates& a = result->aggregates;
    // 7 modes in turn: 100 each; missing_both reports missing_quantity (contract precedence).
    EXPECT_EQ(a.invalid_counts()[a.invalid_reasons().Find("missing_unit_price")], 100u);
    EXPECT_EQ(a.invalid_counts()[a.invalid_reasons().Find("missing_quantity")], 200u);
    EXPECT_EQ(a.invalid_counts()[a.invalid_reasons().Find("non_positive_quantity")], 100u);
    EXPECT_EQ(a.invalid_rows(), 700u);
  }
}

TEST_F(ScannerTest, DamagedLinesAreCountedNotFatal) {
  OrderFilesSpec spec;
  spec.events = 50;
  ASSERT_TRUE(WriteOrderFiles(Orders(), Invalid(), spec).ok());
  std::ifstream in(Orders() + "/part-00000-0000000000000000000-0000000000000000049.json");
  std::string good, text;
  std::getline(in, good);
  text += good + "\n";
  text += good.substr(0, good.size() / 2) + "\n";       // truncated object
  text += "order 123 item=bread qty=2\n";               // not JSON
  text += "\n   \r\n";                                  // blank lines: skipped, not bad
  text += "[1,2,3]\n";                                  // JSON, not an object
  text += good + " {\"x\":1}\n";                        // trailing content
  text += "{\"item\":\"bread\",\"quantity\":\"3\"}\n";  // object: dropped by cleaning
  text += good;                                         // last line without a newline
  WriteFile(Orders() + "/damaged.json", text);
  WriteFile(Invalid() + "/x.json", "{\"invalid_reason\":\"malformed_json\"}\n{\"invalid_re\n");
  WriteFile(Orders() + "/.hidden.json.tmp", "garbage\n");
  WriteFile(Orders() + "/.partial.json", "garbage\n");
  WriteFile(Orders() + "/notes.txt", "garbage\n");

  for (size_t chunk : {kChunkBytes, size_t{64}}) {
    auto result = ScanWith(2, chunk);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->stats.order_files, 2u);
    EXPECT_EQ(result->stats.order_rows, 50u + 3u);
    EXPECT_EQ(result->stats.bad_order_lines, 4u);
    EXPECT_EQ(result->stats.bad_invalid_lines, 1u);
    EXPECT_EQ(result->stats.invalid_rows, 1u);
    EXPECT_EQ(result->aggregates.clean_orders(), 52u);
    EXPECT_EQ(result->aggregates.dropped()[static_cast<int>(DropReason::kBadQuantity)], 1u);
  }
}

TEST_F(ScannerTest, MissingInputIsAnErrorAndAnEmptyFolderAScanOfNothing) {
  auto missing = ScanWith(2);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find("orders_json"), std::string::npos);

  // An existing folder the processor has not written to yet: no data, not an error.
  fs::create_directories(Orders());
  auto empty = ScanWith(2);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->stats.order_files, 0u);
  EXPECT_EQ(empty->stats.order_rows, 0u);

  // Empty files: a successful scan of nothing too (the report says there is no data yet).
  WriteFile(Orders() + "/empty.json", "");
  auto nothing = ScanWith(2);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->stats.order_rows, 0u);
  EXPECT_EQ(nothing->aggregates.clean_orders(), 0u);
}

TEST_F(ScannerTest, FilesInSubdirectoriesAreScanned) {
  OrderFilesSpec spec;
  spec.events = 10;
  ASSERT_TRUE(WriteOrderFiles(Orders() + "/date=2025-11-24", "", spec).ok());
  WriteFile(Orders() + "/_checkpoints/offsets.json", "not an order\n");
  auto result = ScanWith(1);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->stats.order_rows, 10u);
  EXPECT_EQ(result->stats.bad_lines(), 0u);
}

// The purchase_date of a generated line ("" when it has none).
std::string DateOf(const std::string& line) {
  static const std::string kKey = "\"purchase_date\":\"";
  const size_t at = line.find(kKey);
  if (at == std::string::npos) return "";
  return line.substr(at + kKey.size(), 10);
}

// Rewrites every output file under `from` into `to` as the processor would have written it
// with --compression `compression` (two units per file: a file appended to by two batches)
// and, with `partitioned`, --partition-by purchase_date.
void Relayout(const std::string& from, const std::string& to, Compression compression,
              bool partitioned) {
  OutputEncoder encoder(compression);
  int32_t file = 0;
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    if (!entry.is_regular_file() ||
        !data_layout::IsOutputFileName(entry.path().filename().string()))
      continue;
    auto content = ReadOutputFile(entry.path().string());
    ASSERT_TRUE(content.ok()) << content.status().message();
    std::map<std::string, std::vector<std::string>> by_folder;
    std::istringstream lines(*content);
    std::string line;
    while (std::getline(lines, line)) {
      const std::string date = DateOf(line);
      by_folder[partitioned
                    ? data_layout::PurchaseDateDirName(
                          date.empty() ? std::nullopt : std::optional<std::string_view>(date))
                    : ""]
          .push_back(line + "\n");
    }
    for (const auto& [folder, folder_lines] : by_folder) {
      std::string bytes;
      const size_t half = folder_lines.size() / 2;
      for (auto [begin, end] : {std::pair<size_t, size_t>{0, half}, {half, folder_lines.size()}}) {
        std::vector<std::string_view> pieces(folder_lines.begin() + static_cast<long>(begin),
                                             folder_lines.begin() + static_cast<long>(end));
        ASSERT_TRUE(encoder.Encode(pieces, bytes).ok());
      }
      const fs::path dir = folder.empty() ? fs::path(to) : fs::path(to) / folder;
      fs::create_directories(dir);
      std::ofstream(dir / data_layout::PartFileName(file, 0, 1, compression), std::ios::binary)
          << bytes;
    }
    ++file;
  }
}

TEST_F(ScannerTest, CompressedAndPartitionedLayoutsGiveTheSameFigures) {
  OrderFilesSpec spec;
  spec.seed = 7;
  spec.events = 6000;
  spec.invalid_events = 300;
  spec.files = 3;
  Expected e;
  const std::string plain = (dir_ / "plain").string();
  auto written = WriteOrderFiles(plain + "/orders_json", plain + "/invalid_events", spec,
                                 [&](const event::OrderEvent& ev) { Count(ev, e); });
  ASSERT_TRUE(written.ok());
  // A data dir written by the previous version (plain files at the top) goes on with zstd date
  // folders: the report reads both side by side.
  for (auto [compression, partitioned, mixed] :
       {std::tuple{Compression::kGzip, false, false}, std::tuple{Compression::kZstd, true, false},
        std::tuple{Compression::kGzip, true, false}, std::tuple{Compression::kZstd, true, true}}) {
    SCOPED_TRACE(fmt::format("{} partitioned={} mixed={}", CompressionName(compression),
                             partitioned, mixed));
    fs::remove_all(Orders());
    fs::remove_all(Invalid());
    for (const char* sub : {"orders_json", "invalid_events"}) {
      const fs::path from = fs::path(plain) / sub, to = dir_ / sub, aside = dir_ / "aside";
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(from)) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      if (mixed) {
        // The first file stays as the previous version wrote it; the others get the new layout.
        fs::create_directories(to);
        fs::create_directories(aside);
        fs::copy_file(files[0], to / files[0].filename());
        fs::rename(files[0], aside / files[0].filename());
      }
      Relayout(from.string(), to.string(), compression, partitioned);
      if (mixed) fs::rename(aside / files[0].filename(), files[0]);
    }
    auto result = ScanWith(2);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->stats.order_rows, 6000u);
    EXPECT_EQ(result->stats.invalid_rows, 300u);
    EXPECT_EQ(result->stats.bad_lines(), 0u);
    EXPECT_EQ(result->stats.damaged_files, 0u);
    EXPECT_EQ(result->stats.decoded_bytes, written->bytes);
    EXPECT_LT(result->stats.bytes, written->bytes);
    ExpectAggregatesMatch(e, result->aggregates);
    auto rejected = SampleRejected(Invalid(), 5);
    ASSERT_TRUE(rejected.ok());
    EXPECT_EQ(rejected->size(), 5u);
  }
}

TEST_F(ScannerTest, ADateRangeFiltersRowsAndSkipsFoldersOutsideIt) {
  OrderFilesSpec spec;
  spec.seed = 9;
  spec.events = 4000;
  spec.invalid_events = 280;
  std::map<std::string, uint64_t> per_day;
  const std::string plain = (dir_ / "plain").string();
  ASSERT_TRUE(WriteOrderFiles(plain + "/orders_json", plain + "/invalid_events", spec,
                              [&](const event::OrderEvent& ev) {
                                ++per_day[fmt::format("{:04}-{:02}-{:02}", ev.purchase.year,
                                                      ev.purchase.month, ev.purchase.day)];
                              })
                  .ok());
  ASSERT_GE(per_day.size(), 10u);
  // The processor writes the fields that parsed beside json_str: give every other invalid line
  // the purchase_date its message has.
  for (const auto& entry : fs::directory_iterator(plain + "/invalid_events")) {
    std::istringstream lines(ReadOutputFile(entry.path().string()).value());
    std::string line, out;
    for (int i = 0; std::getline(lines, line); ++i) {
      const size_t at = line.find("purchase_date\\\":\\\"");
      if (i % 2 == 0 && at != std::string::npos) {
        line = "{\"purchase_date\":\"" + line.substr(at + 18, 10) + "\"," + line.substr(1);
      }
      out += line + "\n";
    }
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << out;
  }
  auto it = per_day.begin();
  std::advance(it, 3);
  const std::string since = it->first;
  std::advance(it, 4);
  const std::string until = it->first;
  uint64_t want = 0;
  for (const auto& [day, n] : per_day) want += day >= since && day <= until ? n : 0;
  // The invalid events with a readable date in the range, read from the plain files.
  uint64_t want_invalid = 0;
  for (const auto& entry : fs::directory_iterator(plain + "/invalid_events")) {
    std::istringstream lines(ReadOutputFile(entry.path().string()).value());
    std::string line;
    while (std::getline(lines, line)) {
      const std::string date = DateOf(line);
      want_invalid += data_layout::IsCalendarDate(date) && date >= since && date <= until;
    }
  }
  ASSERT_GT(want_invalid, 0u);
  const DayRange days{ParseDay(since), ParseDay(until)};
  for (bool partitioned : {false, true}) {
    SCOPED_TRACE(partitioned ? "partitioned" : "plain");
    fs::remove_all(Orders());
    fs::remove_all(Invalid());
    Relayout(plain + "/orders_json", Orders(), Compression::kZstd, partitioned);
    Relayout(plain + "/invalid_events", Invalid(), Compression::kNone, partitioned);
    ScanOptions options;
    options.orders_dir = Orders();
    options.invalid_dir = Invalid();
    options.days = days;
    auto result = Scan(options);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->stats.order_rows, want);
    EXPECT_EQ(result->stats.invalid_rows, want_invalid);
    EXPECT_EQ(result->stats.bad_lines(), 0u);
    if (partitioned) {
      // Only the folders of the 5 days in range are listed; the default folder is not.
      auto listed = ListJsonFiles(Orders(), days);
      ASSERT_TRUE(listed.ok());
      EXPECT_EQ(listed->size(), 5u);
      auto all = ListJsonFiles(Invalid());
      auto kept = ListJsonFiles(Invalid(), days);
      EXPECT_LT(kept->size(), all->size());
      for (const std::string& path : *kept) {
        EXPECT_EQ(path.find(data_layout::kDefaultPartitionValue), std::string::npos) << path;
      }
    }
    auto rejected = SampleRejected(Invalid(), 1000, days);
    ASSERT_TRUE(rejected.ok());
    EXPECT_EQ(rejected->size(), want_invalid);
  }
  // Only a lower or an upper bound.
  ScanOptions options;
  options.orders_dir = Orders();
  options.days = {ParseDay(since), kNoDay};
  uint64_t from_since = 0;
  for (const auto& [day, n] : per_day) from_since += day >= since ? n : 0;
  EXPECT_EQ(Scan(options)->stats.order_rows, from_since);
  options.days = {kNoDay, ParseDay(until)};
  uint64_t to_until = 0;
  for (const auto& [day, n] : per_day) to_until += day <= until ? n : 0;
  EXPECT_EQ(Scan(options)->stats.order_rows, to_until);
}

TEST_F(ScannerTest, ACutCompressedFileKeepsTheLinesBeforeTheCut) {
  OrderFilesSpec spec;
  spec.events = 3000;
  const std::string plain = (dir_ / "plain").string();
  ASSERT_TRUE(WriteOrderFiles(plain, "", spec).ok());
  Relayout(plain, Orders(), Compression::kZstd, false);
  const std::string path = Orders() + "/" + data_layout::PartFileName(0, 0, 1, Compression::kZstd);
  // Cut inside the second frame (the second half of the lines).
  fs::resize_file(path, fs::file_size(path) - 100);
  auto result = ScanWith(2);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->stats.damaged_files, 1u);
  EXPECT_GE(result->stats.order_rows, 1500u);
  EXPECT_LT(result->stats.order_rows, 3000u);
  EXPECT_LE(result->stats.bad_order_lines, 1u);
}

TEST_F(ScannerTest, StopRequestInterruptsTheScan) {
  OrderFilesSpec spec;
  spec.events = 100;
  ASSERT_TRUE(WriteOrderFiles(Orders(), "", spec).ok());
  ScanOptions options;
  options.orders_dir = Orders();
  options.should_stop = [] { return true; };
  auto result = Scan(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "interrupted");
}

}  // namespace
}  // namespace orderflow::analytics

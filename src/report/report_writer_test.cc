#include "report/report_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analytics/order_files.h"
#include "report/charts.h"

namespace orderflow::report {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

uint32_t BigEndian32(const std::string& bytes, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

class ReportWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("report_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Generates, scans and reports; returns WriteReport's status.
  Status Report(uint64_t events, uint64_t invalid_events) {
    analytics::OrderFilesSpec spec;
    spec.profile = event::Profile::kRealistic;
    spec.events = events;
    spec.invalid_events = invalid_events;
    spec.files = 2;
    EXPECT_TRUE(WriteOrderFiles(Orders(), Invalid(), spec).ok());
    analytics::ScanOptions options;
    options.orders_dir = Orders();
    options.invalid_dir = Invalid();
    auto scan = analytics::Scan(options);
    EXPECT_TRUE(scan.ok()) << scan.status().message();
    stats_ = scan->stats;
    summary_ = analytics::Summarize(scan->aggregates);
    forecast_ = analytics::ForecastDemand(scan->aggregates);
    const ReportInput input{stats_,   summary_,  forecast_,
                            Orders(), Invalid(), "2025-11-24 17:00:00"};
    return WriteReport(input, Output(), &written_);
  }

  std::string Orders() const { return (dir_ / "data/orders_json").string(); }
  std::string Invalid() const { return (dir_ / "data/invalid_events").string(); }
  std::string Output() const { return (dir_ / "output").string(); }

  fs::path dir_;
  analytics::ScanStats stats_;
  analytics::Summary summary_;
  analytics::DemandForecast forecast_;
  std::vector<std::string> written_;
};

TEST_F(ReportWriterTest, WritesEveryChartAsAPngOfTheExpectedSize) {
  const Status s = Report(30000, 700);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(ChartFileNames().size(), 6u);
  for (const std::string& name : ChartFileNames()) {
    SCOPED_TRACE(name);
    const std::string png = ReadAll(fs::path(Output()) / name);
    ASSERT_GT(png.size(), 10000u);  // a drawn chart, not an empty canvas
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    EXPECT_EQ(BigEndian32(png, 16), static_cast<uint32_t>(kChartWidth));
    EXPECT_EQ(BigEndian32(png, 20), static_cast<uint32_t>(kChartHeight));
  }
  // Nothing but the published files is left: no scratch directory, no temporaries.
  size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(Output())) {
    EXPECT_NE(entry.path().filename().string()[0], '.') << entry.path();
    ++entries;
  }
  EXPECT_EQ(entries, 8u);
  EXPECT_EQ(written_.size(), 8u);
}

TEST_F(ReportWriterTest, HtmlEmbedsAndReferencesEveryChart) {
  ASSERT_TRUE(Report(30000, 700).ok());
  const std::string html = ReadAll(fs::path(Output()) / "report.html");
  for (const std::string& name : ChartFileNames()) {
    EXPECT_NE(html.find(fmt::format("<a href=\"{}\">", name)), std::string::npos) << name;
    EXPECT_NE(html.find(fmt::format(
                  "<figure id=\"{}\"><img src=\"data:image/png;base64,iVBORw0KGgo", name)),
              std::string::npos)
        << name;
  }
  EXPECT_NE(html.find("Average order value"), std::string::npos);
  EXPECT_NE(html.find("seasonal-naive"), std::string::npos);
  EXPECT_NE(html.find("missing_unit_price"), std::string::npos);
}

TEST_F(ReportWriterTest, JsonCarriesTheSameFigures) {
  ASSERT_TRUE(Report(30000, 700).ok());
  const auto j = nlohmann::json::parse(ReadAll(fs::path(Output()) / "report.json"));
  EXPECT_EQ(j["kpis"]["orders"].get<uint64_t>(), 30000u);
  EXPECT_EQ(j["kpis"]["orders"].get<uint64_t>(), summary_.orders);
  EXPECT_NEAR(j["kpis"]["revenue"].get<double>(), summary_.revenue, 0.005);
  EXPECT_EQ(j["kpis"]["invalid_events"].get<uint64_t>(), 700u);
  EXPECT_EQ(j["items"].size(), 10u);
  EXPECT_NEAR(j["items"].back()["cumulative_share"].get<double>(), 1.0, 1e-6);
  EXPECT_EQ(j["order_value_by_channel_payment"].size(), summary_.boxes.size());
  EXPECT_EQ(j["forecast"]["item_quantity"].size(), 10u);
  EXPECT_EQ(j["forecast"]["revenue"]["next_7_days"].size(), 7u);
  EXPECT_EQ(j["charts"].size(), 6u);
  EXPECT_EQ(j["scan"]["rows"].get<uint64_t>(), 30700u);
}

TEST_F(ReportWriterTest, NoInvalidEventsAndShortHistoryStillRender) {
  // 300 events over 28 days: too few hours covered per boundary day to keep them, and every
  // chart must still be drawn.
  const Status s = Report(300, 0);
  ASSERT_TRUE(s.ok()) << s.message();
  for (const std::string& name : ChartFileNames()) {
    EXPECT_TRUE(fs::exists(fs::path(Output()) / name)) << name;
  }
}

TEST_F(ReportWriterTest, MissingGnuplotIsAClearError) {
  const std::string path = std::getenv("PATH");
  ::setenv("PATH", "/nonexistent", 1);
  const Status s = Report(100, 0);
  ::setenv("PATH", path.c_str(), 1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("gnuplot"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(fs::path(Output()) / "report.html"));
}

}  // namespace
}  // namespace orderflow::report

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
    return WriteFromScan();
  }

  // Scans what is in Orders() and Invalid() and writes the report, as the report command does.
  Status WriteFromScan() {
    analytics::ScanOptions options;
    options.orders_dir = Orders();
    options.invalid_dir = Invalid();
    auto scan = analytics::Scan(options);
    EXPECT_TRUE(scan.ok()) << scan.status().message();
    if (!scan.ok()) return scan.status();
    stats_ = scan->stats;
    summary_ = analytics::Summarize(scan->aggregates);
    forecast_ = analytics::ForecastDemand(scan->aggregates);
    auto rejected = analytics::SampleRejected(Invalid());
    EXPECT_TRUE(rejected.ok());
    const ReportInput input{
        stats_, summary_, forecast_, Orders(), Invalid(), "2025-11-24 17:00:00", *rejected};
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
  EXPECT_EQ(j["scan"]["order_rows"].get<uint64_t>(), 30000u);
  EXPECT_EQ(j["scan"]["invalid_rows"].get<uint64_t>(), 700u);
  EXPECT_FALSE(j["no_data"].get<bool>());
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

TEST_F(ReportWriterTest, BoxplotGroupsPaymentMethodsInsideEachSalesChannel) {
  // The original notebook: x = sales_channel, one box per payment_method inside each channel,
  // no outlier points, and its title.
  analytics::OrderFilesSpec spec;
  spec.events = 5000;
  ASSERT_TRUE(WriteOrderFiles(Orders(), Invalid(), spec).ok());
  analytics::ScanOptions options;
  options.orders_dir = Orders();
  auto scan = analytics::Scan(options);
  ASSERT_TRUE(scan.ok());
  const analytics::Summary summary = analytics::Summarize(scan->aggregates);
  const analytics::DemandForecast forecast = analytics::ForecastDemand(scan->aggregates);
  const fs::path scratch = dir_ / "scratch";
  fs::create_directories(scratch);
  ASSERT_TRUE(RenderCharts(summary, forecast, scratch.string()).ok());
  const std::string script = ReadAll(scratch / "charts.gp");
  const size_t begin = script.find("orders_boxplot_channel_payment.png");
  ASSERT_NE(begin, std::string::npos);
  const std::string boxplot = script.substr(begin, script.find("\nreset", begin) - begin);
  EXPECT_NE(boxplot.find("set title 'Order value by sales channel and payment method'"),
            std::string::npos)
      << boxplot;
  EXPECT_NE(boxplot.find("set xlabel 'Sales channel'"), std::string::npos);
  EXPECT_NE(boxplot.find("set xtics ('online' 0, 'pickup' 1, 'store' 2)"), std::string::npos)
      << boxplot;
  EXPECT_NE(boxplot.find("title 'Payment method'"), std::string::npos);
  EXPECT_EQ(boxplot.find("max "), std::string::npos) << "no outlier or maximum marks";
  // One data file per payment method (the legend), each with one box per channel, placed
  // inside that channel's group around x = channel index.
  ASSERT_EQ(summary.payment_methods.size(), 4u);
  for (size_t p = 0; p < summary.payment_methods.size(); ++p) {
    SCOPED_TRACE(summary.payment_methods[p]);
    EXPECT_NE(boxplot.find(fmt::format("title '{}'", summary.payment_methods[p])),
              std::string::npos);
    std::istringstream rows(ReadAll(scratch / fmt::format("box_{}.dat", p)));
    double x = 0, low = 0, q1 = 0, median = 0, q3 = 0, high = 0;
    int channel = 0;
    while (rows >> x >> low >> q1 >> median >> q3 >> high) {
      EXPECT_GT(x, channel - 0.4);
      EXPECT_LT(x, channel + 0.4);
      EXPECT_LE(low, q1);
      EXPECT_LE(q1, median);
      EXPECT_LE(median, q3);
      EXPECT_LE(q3, high);
      ++channel;
    }
    EXPECT_EQ(channel, 3);
  }
}

TEST_F(ReportWriterTest, RejectedEventsSampleIsShownShortAndKeptInFullInJson) {
  ASSERT_TRUE(Report(2000, 300).ok());
  const std::string html = ReadAll(fs::path(Output()) / "report.html");
  EXPECT_NE(html.find("Rejected events (first 20 of 300)"), std::string::npos);
  EXPECT_NE(html.find("<th>invalid_reason</th><th>order_id</th><th>item</th><th>quantity</th>"
                      "<th>unit_price</th><th>json_str</th><th>event_time_ms</th>"),
            std::string::npos);
  const auto j = nlohmann::json::parse(ReadAll(fs::path(Output()) / "report.json"));
  const auto& sample = j["rejected_sample"];
  ASSERT_EQ(sample.size(), 20u);
  size_t shortened = 0;
  for (const auto& e : sample) {
    for (const char* key : {"invalid_reason", "order_id", "item", "quantity", "unit_price",
                            "json_str", "event_time_ms"}) {
      EXPECT_TRUE(e.contains(key)) << key;
    }
    const std::string json_str = e["json_str"].get<std::string>();
    ASSERT_FALSE(json_str.empty());
    if (json_str.size() > 60) {
      // Full in the JSON, cut to 60 bytes with an ellipsis on the page.
      ++shortened;
      size_t cut = 60;  // on a UTF-8 character boundary
      while ((static_cast<unsigned char>(json_str[cut]) & 0xC0) == 0x80) --cut;
      std::string escaped = json_str.substr(0, cut);
      std::string html_escaped;
      for (char c : escaped) html_escaped += c == '"' ? std::string("&quot;") : std::string(1, c);
      EXPECT_NE(html.find(html_escaped + "\u2026</td>"), std::string::npos) << json_str;
      EXPECT_EQ(html.find(json_str), std::string::npos);
    }
  }
  EXPECT_GT(shortened, 0u);
}

TEST_F(ReportWriterTest, NoCleanOrderWritesANoDataReportWithoutCharts) {
  fs::create_directories(Orders());  // the processor's folder, still empty
  fs::create_directories(Invalid());
  std::ofstream(fs::path(Invalid()) / "part-0.json")
      << R"({"order_id":"a1","invalid_reason":"missing_quantity","json_str":"{}"})"
      << "\n";
  const Status s = WriteFromScan();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(written_, (std::vector<std::string>{"report.json", "report.html"}));
  for (const std::string& name : ChartFileNames()) {
    EXPECT_FALSE(fs::exists(fs::path(Output()) / name)) << name;
  }
  const std::string html = ReadAll(fs::path(Output()) / "report.html");
  EXPECT_NE(html.find("<h2>No data yet</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("missing_quantity"), std::string::npos);
  const auto j = nlohmann::json::parse(ReadAll(fs::path(Output()) / "report.json"));
  EXPECT_TRUE(j["no_data"].get<bool>());
  EXPECT_EQ(j["kpis"]["orders"].get<uint64_t>(), 0u);
  EXPECT_TRUE(j["charts"].empty());
  EXPECT_EQ(j["rejected_sample"].size(), 1u);
}

TEST(ReadmeChartsTest, ReadmeShowsEveryChartFromDocsImages) {
  // The README shows the charts as the original's example_charts did: every chart the report
  // draws has a committed PNG under docs/images/ that the README embeds.
  const fs::path source = ORDERFLOW_SOURCE_DIR;
  const std::string readme = ReadAll(source / "README.md");
  ASSERT_FALSE(readme.empty());
  for (const std::string& name : ChartFileNames()) {
    SCOPED_TRACE(name);
    EXPECT_NE(readme.find("](docs/images/" + name + ")"), std::string::npos);
    const std::string png = ReadAll(source / "docs/images" / name);
    ASSERT_GT(png.size(), 10000u);
    EXPECT_LT(png.size(), 400000u);  // small enough for a repository
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(BigEndian32(png, 16), static_cast<uint32_t>(kChartWidth));
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

#include "analytics/forecast.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

#include "analytics/demand_forecast.h"
#include "analytics/order_files.h"
#include "analytics/scanner.h"

namespace orderflow::analytics {
namespace {

namespace fs = std::filesystem;

TEST(ForecastTest, ErrorsFollowTheirDefinitions) {
  const std::vector<double> actual = {10, 0, 20, 0};
  const std::vector<double> forecast = {12, 0, 10, 5};
  const ForecastErrors e = MeasureErrors(actual, forecast);
  // sMAPE: 200*2/22, 0 (both zero), 200*10/30, 200*5/5 -> mean over 4 days.
  EXPECT_NEAR(e.smape, (400.0 / 22 + 0 + 2000.0 / 30 + 200) / 4, 1e-9);
  // MAPE over the non-zero actuals: 20% and 50%.
  EXPECT_NEAR(e.mape, 35, 1e-9);
}

TEST(ForecastTest, SeasonalNaiveRepeatsTheLastWeek) {
  std::vector<double> y(21);
  for (size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i);
  const std::vector<double> f = SeasonalNaive(y, 9);
  EXPECT_EQ(f, (std::vector<double>{14, 15, 16, 17, 18, 19, 20, 14, 15}));
}

TEST(ForecastTest, HoltWintersRecoversTrendAndSeasonality) {
  const double pattern[7] = {-5, -3, 0, 2, 4, 9, -7};
  std::vector<double> y;
  for (int t = 0; t < 42; ++t) y.push_back(100 + 1.5 * t + pattern[t % 7]);
  auto model = FitHoltWinters(y);
  ASSERT_TRUE(model.ok());
  const auto next = model->Forecast(7, 0);
  for (int h = 0; h < 7; ++h) {
    const double truth = 100 + 1.5 * (42 + h) + pattern[(42 + h) % 7];
    EXPECT_NEAR(next[h].mean, truth, 1.0) << h;
    EXPECT_LE(next[h].lower, next[h].mean);
    EXPECT_GE(next[h].upper, next[h].mean);
  }
}

TEST(ForecastTest, IntervalWidensWithNoiseAndHorizon) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 5);
  std::vector<double> y;
  for (int t = 0; t < 35; ++t) y.push_back(50 + (t % 7 == 5 ? 20 : 0) + noise(rng));
  auto model = FitHoltWinters(y);
  ASSERT_TRUE(model.ok());
  const auto next = model->Forecast(7, 0);
  EXPECT_GT(next[0].upper - next[0].lower, 5.0);
  EXPECT_GE(next[6].upper - next[6].lower, next[0].upper - next[0].lower);
}

TEST(ForecastTest, ShortHistoryIsRejected) {
  EXPECT_FALSE(FitHoltWinters(std::vector<double>(13, 1.0)).ok());
  EXPECT_FALSE(ForecastSeries(std::vector<double>(20, 1.0)).ok());
  EXPECT_TRUE(ForecastSeries(std::vector<double>(21, 1.0)).ok());
}

class DemandForecastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("forecast_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  DemandForecast Run(event::Profile profile, uint64_t events) {
    OrderFilesSpec spec;
    spec.seed = 2024;
    spec.profile = profile;
    spec.events = events;
    spec.files = 2;
    const std::string orders = (dir_ / "orders_json").string();
    EXPECT_TRUE(WriteOrderFiles(orders, "", spec).ok());
    ScanOptions options;
    options.orders_dir = orders;
    auto scan = Scan(options);
    EXPECT_TRUE(scan.ok()) << scan.status().message();
    return ForecastDemand(scan->aggregates);
  }

  fs::path dir_;
};

TEST_F(DemandForecastTest, BeatsSeasonalNaiveOnTheRealisticProfile) {
  const DemandForecast f = Run(event::Profile::kRealistic, 150000);
  // 28 days back from 16:00 UTC: the first and the last calendar day are partial.
  EXPECT_TRUE(f.series.dropped_partial_first);
  EXPECT_TRUE(f.series.dropped_partial_last);
  EXPECT_EQ(f.series.days(), 27u);
  ASSERT_TRUE(f.revenue.has_value()) << f.note;
  for (const auto& item : f.items) ASSERT_TRUE(item.has_value());
  const ForecastErrors model = f.MeanModelErrors(), naive = f.MeanNaiveErrors();
  EXPECT_LT(model.smape, naive.smape);
  EXPECT_LT(model.mape, naive.mape);
  EXPECT_LT(f.revenue->model_errors.smape, f.revenue->naive_errors.smape);
  for (const ForecastPoint& p : f.revenue->next) {
    EXPECT_GT(p.mean, 0);
    EXPECT_LE(p.lower, p.mean);
    EXPECT_GE(p.upper, p.mean);
  }
}

TEST_F(DemandForecastTest, UniformProfileStillForecasts) {
  const DemandForecast f = Run(event::Profile::kUniform, 20000);
  ASSERT_TRUE(f.revenue.has_value()) << f.note;
  for (const auto& item : f.items) {
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(item->next.size(), 7u);
    EXPECT_TRUE(std::isfinite(item->model_errors.smape));
  }
}

}  // namespace
}  // namespace orderflow::analytics

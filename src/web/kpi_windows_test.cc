#include "web/kpi_windows.h"

#include <gtest/gtest.h>

#include "web/prometheus_text.h"

namespace orderflow::web {
namespace {

constexpr int64_t kMinute = 60000;

TEST(KpiWindowsTest, AggregatesPerMinuteOfEventTime) {
  KpiWindows k(kMinute, 30000, 10);
  const int64_t t0 = 100 * kMinute;
  EXPECT_TRUE(k.Add(t0 + 1000, 10.5, "cheese", "store", "card"));
  EXPECT_TRUE(k.Add(t0 + 2000, 4.5, "bread", "online", "blik"));
  EXPECT_TRUE(k.Add(t0 + 3000, 20, "cheese", "online", "card"));
  EXPECT_TRUE(k.Add(t0 + kMinute + 5, 1, "rice", "pickup", "cash"));
  const auto j = k.ToJson();
  ASSERT_EQ(j["windows"].size(), 2u);
  const auto& w = j["windows"][0];
  EXPECT_EQ(w["start_ms"], t0);
  EXPECT_EQ(w["orders"], 3);
  EXPECT_DOUBLE_EQ(w["revenue"].get<double>(), 35);
  EXPECT_DOUBLE_EQ(w["avg_order_value"].get<double>(), 11.67);
  EXPECT_EQ(w["top_products"][0]["item"], "cheese");
  EXPECT_EQ(w["top_products"][0]["orders"], 2);
  EXPECT_EQ(w["channels"]["online"], 2);
  EXPECT_EQ(w["payments"]["card"], 2);
  EXPECT_EQ(j["windows"][1]["orders"], 1);
}

TEST(KpiWindowsTest, WatermarkDropsLateEventsAndFinalizesWindows) {
  KpiWindows k(kMinute, 30000, 10);
  const int64_t t0 = 100 * kMinute;
  EXPECT_TRUE(k.Add(t0 + 10000, 1, "a", "store", "card"));
  EXPECT_TRUE(k.Add(t0 + kMinute + 40000, 1, "a", "store", "card"));  // watermark t0+70s
  EXPECT_EQ(k.watermark_ms(), t0 + kMinute + 10000);
  EXPECT_FALSE(k.Add(t0 + 20000, 1, "a", "store", "card"));          // its window ended at t0+60s
  EXPECT_TRUE(k.Add(t0 + kMinute + 1000, 1, "a", "store", "card"));  // late but within lateness
  EXPECT_EQ(k.late_events(), 1u);
  const auto j = k.ToJson();
  EXPECT_TRUE(j["windows"][0]["final"].get<bool>());
  EXPECT_FALSE(j["windows"][1]["final"].get<bool>());
  EXPECT_EQ(j["windows"][1]["orders"], 2);
  EXPECT_FALSE(k.Add(-5, 1, "a", "b", "c"));
}

TEST(KpiWindowsTest, KeepsOnlyTheNewestWindows) {
  KpiWindows k(kMinute, 0, 3);
  for (int m = 0; m < 10; ++m) EXPECT_TRUE(k.Add(m * kMinute, 1, "a", "b", "c"));
  EXPECT_EQ(k.window_count(), 3u);
  EXPECT_EQ(k.ToJson()["windows"][0]["start_ms"], 7 * kMinute);
}

TEST(PrometheusTextTest, ParsesSamplesLabelsAndSpecialValues) {
  const auto m = ParsePrometheusText(
      "# HELP x_total X.\n# TYPE x_total counter\n"
      "x_total{reason=\"a\\\"b\",partition=\"3\"} 42\n"
      "h_bucket{le=\"+Inf\"} 7\r\n"
      "g NaN\n"
      "plain 1.5e3 1700000000000\n"
      "\n"
      "broken{a=\"x} 1\n"
      "{} 3\n"
      "novalue\n");
  ASSERT_EQ(m.samples.size(), 4u);
  EXPECT_EQ(m.samples[0].name, "x_total");
  EXPECT_EQ(m.samples[0].Label("reason"), "a\"b");
  EXPECT_EQ(m.samples[0].Label("partition"), "3");
  EXPECT_EQ(m.samples[0].Label("absent"), "");
  EXPECT_EQ(m.samples[0].value, 42);
  EXPECT_EQ(m.samples[1].Label("le"), "+Inf");
  EXPECT_EQ(m.samples[3].value, 1500);
  EXPECT_EQ(m.malformed_lines, 3u);
}

TEST(PrometheusTextTest, GarbageNeverCrashes) {
  std::string junk;
  for (int i = 0; i < 2000; ++i) junk += static_cast<char>((i * 7919) % 256);
  (void)ParsePrometheusText(junk);
  (void)ParsePrometheusText("a{");
  (void)ParsePrometheusText("a{b=\"\\");
  SUCCEED();
}

}  // namespace
}  // namespace orderflow::web

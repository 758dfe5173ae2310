#include "metrics/metrics_registry.h"

#include <gtest/gtest.h>

#include <thread>

namespace orderflow::metrics {
namespace {

TEST(MetricsRegistryTest, ExposesCountersAndGaugesWithSortedEscapedLabels) {
  MetricsRegistry r;
  r.GetCounter("orderflow_events_total", "Events.", {{"reason", "a\"b\\c\nd"}, {"outcome", "x"}})
      .Add(3);
  r.GetGauge("orderflow_lag", "Lag per partition.", {{"partition", "1"}}).Set(2.5);
  EXPECT_EQ(r.Expose(),
            "# HELP orderflow_events_total Events.\n"
            "# TYPE orderflow_events_total counter\n"
            "orderflow_events_total{outcome=\"x\",reason=\"a\\\"b\\\\c\\nd\"} 3\n"
            "# HELP orderflow_lag Lag per partition.\n"
            "# TYPE orderflow_lag gauge\n"
            "orderflow_lag{partition=\"1\"} 2.5\n");
}

TEST(MetricsRegistryTest, SameLabelsInAnyOrderAreOneChild) {
  MetricsRegistry r;
  Counter& a = r.GetCounter("c_total", "h", {{"a", "1"}, {"b", "2"}});
  Counter& b = r.GetCounter("c_total", "h", {{"b", "2"}, {"a", "1"}});
  EXPECT_EQ(&a, &b);
}

TEST(MetricsRegistryTest, CounterSetNeverGoesDown) {
  Counter c;
  c.Set(10);
  c.Set(4);
  EXPECT_EQ(c.value(), 10);
  c.Add(-5);
  EXPECT_EQ(c.value(), 10);
  c.Add(1.5);
  EXPECT_EQ(c.value(), 11.5);
}

TEST(MetricsRegistryTest, HistogramHasCumulativeBucketsSumAndCount) {
  MetricsRegistry r;
  Histogram& h = r.GetHistogram("d_seconds", "Durations.", {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.1);  // on the bound: counts in le="0.1"
  h.Observe(0.5);
  h.Observe(7);
  const std::string text = r.Expose();
  EXPECT_NE(text.find("# TYPE d_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{le=\"0.1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{le=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{le=\"+Inf\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_sum 7.65\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_count 4\n"), std::string::npos) << text;
}

TEST(MetricsRegistryTest, HistogramFromMillisecondsConvertsToSeconds) {
  LatencyHistogram ms;
  for (int i = 0; i < 90; ++i) ms.Record(3);    // 3 ms
  for (int i = 0; i < 10; ++i) ms.Record(400);  // 0.4 s
  Histogram h(LatencySecondsBuckets());
  h.SetFromMillis(ms);
  const Histogram::Snapshot s = h.Get();
  ASSERT_EQ(s.bounds.size(), s.cumulative.size());
  EXPECT_EQ(s.count, 100u);
  EXPECT_NEAR(s.sum, 90 * 0.003 + 10 * 0.4, 1e-9);
  auto at = [&](double bound) {
    for (size_t i = 0; i < s.bounds.size(); ++i) {
      if (s.bounds[i] == bound) return s.cumulative[i];
    }
    return uint64_t{999};
  };
  EXPECT_EQ(at(0.0025), 0u);
  EXPECT_EQ(at(0.005), 90u);
  EXPECT_EQ(at(0.25), 90u);
  EXPECT_EQ(at(0.5), 100u);
}

TEST(MetricsRegistryTest, RemoveDropsOneChild) {
  MetricsRegistry r;
  r.GetGauge("lag", "h", {{"partition", "0"}}).Set(1);
  r.GetGauge("lag", "h", {{"partition", "1"}}).Set(2);
  r.Remove("lag", {{"partition", "0"}});
  r.Remove("absent", {});
  const std::string text = r.Expose();
  EXPECT_EQ(text.find("partition=\"0\""), std::string::npos);
  EXPECT_NE(text.find("lag{partition=\"1\"} 2"), std::string::npos);
}

TEST(MetricsRegistryTest, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry r;
  Counter& c = r.GetCounter("n_total", "h");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.Add(1);
    });
  }
  std::thread reader([&] {
    for (int i = 0; i < 100; ++i) (void)r.Expose();
  });
  for (auto& t : threads) t.join();
  reader.join();
  EXPECT_EQ(c.value(), 40000);
}

TEST(MetricsRegistryTest, NameValidation) {
  EXPECT_TRUE(IsValidMetricName("orderflow_x:y_total"));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_TRUE(IsValidLabelName("partition"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(MetricsRegistryDeathTest, TypeConflictAborts) {
  MetricsRegistry r;
  r.GetCounter("x_total", "h");
  EXPECT_DEATH(r.GetGauge("x_total", "h"), "two types");
}

}  // namespace
}  // namespace orderflow::metrics

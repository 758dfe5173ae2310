#include "metrics/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace orderflow::metrics {
namespace {

TEST(LatencyHistogramTest, EmptyHistogramReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Quantile(0.99), 0.0);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(LatencyHistogramTest, QuantilesAreWithinThreePercentOfExact) {
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> dist(2.0, 1.2);
  std::vector<double> samples;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    samples.push_back(dist(rng));
    h.Record(samples.back());
  }
  std::sort(samples.begin(), samples.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = samples[static_cast<size_t>(q * samples.size()) - 1];
    EXPECT_NEAR(h.Quantile(q), exact, exact * 0.035) << q;
  }
  EXPECT_DOUBLE_EQ(h.max(), samples.back());
}

TEST(LatencyHistogramTest, NegativeAndHugeSamplesAreClamped) {
  LatencyHistogram h;
  h.Record(-5);
  h.Record(1e15);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_LE(h.Quantile(0.5), LatencyHistogram::BucketUpperMs(0));
  EXPECT_EQ(h.Quantile(1.0), 1e15);
}

TEST(LatencyHistogramTest, MergeAddsCounts) {
  LatencyHistogram a, b;
  for (int i = 1; i <= 100; ++i) a.Record(i);
  for (int i = 101; i <= 200; ++i) b.Record(i);
  a.Merge(b);
  EXPECT_EQ(a.count(), 200u);
  EXPECT_NEAR(a.Quantile(0.5), 100, 3.5);
  EXPECT_DOUBLE_EQ(a.mean(), 100.5);
}

}  // namespace
}  // namespace orderflow::metrics

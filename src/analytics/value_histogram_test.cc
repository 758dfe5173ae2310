#include "analytics/value_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace orderflow::analytics {
namespace {

// The textbook computation on a sorted copy: numpy's linear interpolation, Tukey's whiskers.
double ReferenceQuantile(const std::vector<int64_t>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return static_cast<double>(sorted[lo]) +
         (static_cast<double>(sorted[hi]) - static_cast<double>(sorted[lo])) *
             (pos - static_cast<double>(lo));
}

void ExpectMatchesReference(std::vector<int64_t> values, const ValueHistogram& h) {
  std::sort(values.begin(), values.end());
  const BoxStats box = h.Box();
  ASSERT_EQ(box.count, values.size());
  const double q1 = ReferenceQuantile(values, 0.25), q3 = ReferenceQuantile(values, 0.75);
  EXPECT_NEAR(box.q1, q1 / 100, 1e-9);
  EXPECT_NEAR(box.median, ReferenceQuantile(values, 0.5) / 100, 1e-9);
  EXPECT_NEAR(box.q3, q3 / 100, 1e-9);
  EXPECT_DOUBLE_EQ(box.min, static_cast<double>(values.front()) / 100);
  EXPECT_DOUBLE_EQ(box.max, static_cast<double>(values.back()) / 100);
  const double lo_fence = q1 - 1.5 * (q3 - q1), hi_fence = q3 + 1.5 * (q3 - q1);
  int64_t whisker_low = values.back(), whisker_high = values.front();
  uint64_t outliers = 0;
  for (int64_t v : values) {
    const auto d = static_cast<double>(v);
    if (d >= lo_fence) whisker_low = std::min(whisker_low, v);
    if (d <= hi_fence) whisker_high = std::max(whisker_high, v);
    if (d < lo_fence || d > hi_fence) ++outliers;
  }
  EXPECT_DOUBLE_EQ(box.whisker_low, static_cast<double>(whisker_low) / 100);
  EXPECT_DOUBLE_EQ(box.whisker_high, static_cast<double>(whisker_high) / 100);
  EXPECT_EQ(box.outliers, outliers);
}

TEST(ValueHistogramTest, QuartilesAndWhiskersMatchASortedCopy) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(7.0, 0.9);  // long right tail: outliers
  ValueHistogram h;
  std::vector<int64_t> values;
  for (int i = 0; i < 20001; ++i) {
    const auto v = static_cast<int64_t>(dist(rng));
    values.push_back(v);
    h.Add(v);
  }
  ExpectMatchesReference(values, h);
}

TEST(ValueHistogramTest, ValuesOutsideTheDenseRangeStayExact) {
  ValueHistogram h;
  const std::vector<int64_t> values = {-500, 3, 3, 70000, 65535, 65536, 1000000, 12, -1, 0, 999};
  for (int64_t v : values) h.Add(v);
  ExpectMatchesReference(values, h);
  EXPECT_EQ(h.KthSmallest(0), -500);
  EXPECT_EQ(h.KthSmallest(10), 1000000);
}

TEST(ValueHistogramTest, MergeEqualsAddingEverythingToOne) {
  ValueHistogram a, b, all;
  std::vector<int64_t> values;
  for (int i = 0; i < 999; ++i) {
    const int64_t v = (i * 7919) % 90000 - 100;
    values.push_back(v);
    (i % 3 == 0 ? a : b).Add(v);
    all.Add(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.sum_cents(), all.sum_cents());
  ExpectMatchesReference(values, a);
}

TEST(ValueHistogramTest, SingleValueAndEmpty) {
  ValueHistogram h;
  EXPECT_EQ(h.Box().count, 0u);
  h.Add(1234);
  const BoxStats box = h.Box();
  EXPECT_DOUBLE_EQ(box.q1, 12.34);
  EXPECT_DOUBLE_EQ(box.q3, 12.34);
  EXPECT_DOUBLE_EQ(box.whisker_low, 12.34);
  EXPECT_DOUBLE_EQ(box.whisker_high, 12.34);
  EXPECT_EQ(box.outliers, 0u);
}

}  // namespace
}  // namespace orderflow::analytics

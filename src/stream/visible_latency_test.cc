#include "stream/visible_latency.h"

#include <gtest/gtest.h>

#include <vector>

namespace orderflow::stream {
namespace {

TEST(VisibleLatencyTest, RecordsEveryEventOfAFileWhenItIsPublished) {
  VisibleLatency visible;
  metrics::LatencyHistogram h;
  const std::vector<int64_t> first = {1000, 1010}, second = {1500};
  visible.Add(3, first);
  visible.Add(3, second);
  visible.Add(4, second);
  visible.Published(3, 2000, h);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_NEAR(h.max(), 1000, 1);
  EXPECT_EQ(visible.kept(3), 0u);
  EXPECT_EQ(visible.kept(4), 1u);  // another partition's file is still open
  visible.Forget(4);
  visible.Published(4, 3000, h);
  EXPECT_EQ(h.count(), 3u);
}

TEST(VisibleLatencyTest, KeepsBoundedMemoryAndStillCountsEveryEvent) {
  VisibleLatency visible;
  std::vector<int64_t> times(VisibleLatency::kMaxKept * 5);
  for (size_t i = 0; i < times.size(); ++i) times[i] = static_cast<int64_t>(i);
  visible.Add(0, times);
  EXPECT_LT(visible.kept(0), VisibleLatency::kMaxKept);
  metrics::LatencyHistogram h;
  const int64_t at = static_cast<int64_t>(times.size());
  visible.Published(0, at, h);
  EXPECT_NEAR(static_cast<double>(h.count()), static_cast<double>(times.size()),
              times.size() * 0.01);
  // Uniform over 1..N ms: the median near N/2.
  EXPECT_NEAR(h.Quantile(0.5), at / 2.0, at * 0.05);
}

}  // namespace
}  // namespace orderflow::stream

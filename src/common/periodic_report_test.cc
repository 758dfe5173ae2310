#include "common/periodic_report.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace orderflow {
namespace {

using std::chrono::milliseconds;

// A fixed origin: the tests never read the clock.
const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

TEST(PeriodicReportTest, FirstReportIsDueOneIntervalAfterTheStart) {
  PeriodicReport report(5, kStart);
  EXPECT_TRUE(report.enabled());
  EXPECT_FALSE(report.Due(kStart));
  EXPECT_FALSE(report.Due(kStart + milliseconds(4999)));
  EXPECT_TRUE(report.Due(kStart + milliseconds(5000)));
  EXPECT_EQ(report.next_due(), kStart + milliseconds(5000));
}

TEST(PeriodicReportTest, MarkDoneCountsTheNextIntervalFromTheReport) {
  PeriodicReport report(2.5, kStart);
  const Clock::time_point late = kStart + milliseconds(3000);  // the loop looked 0.5 s late
  ASSERT_TRUE(report.Due(late));
  EXPECT_DOUBLE_EQ(report.SecondsSinceLast(late), 3.0);
  report.MarkDone(late);
  EXPECT_FALSE(report.Due(late));
  EXPECT_FALSE(report.Due(late + milliseconds(2499)));
  EXPECT_TRUE(report.Due(late + milliseconds(2500)));
  EXPECT_DOUBLE_EQ(report.SecondsSinceLast(late + milliseconds(1000)), 1.0);
}

TEST(PeriodicReportTest, MarkDoneOnScheduleKeepsAFixedRate) {
  PeriodicReport report(1, kStart);
  // Each round is looked at 50 ms after it was due; the schedule does not drift by it.
  report.MarkDoneOnSchedule(kStart + milliseconds(1050), std::chrono::seconds(2));
  EXPECT_EQ(report.next_due(), kStart + milliseconds(2000));
  report.MarkDoneOnSchedule(kStart + milliseconds(2050), std::chrono::seconds(2));
  EXPECT_EQ(report.next_due(), kStart + milliseconds(3000));
  EXPECT_DOUBLE_EQ(report.SecondsSinceLast(kStart + milliseconds(2550)), 0.5);
}

TEST(PeriodicReportTest, MarkDoneOnScheduleRestartsFromNowWhenFarBehind) {
  PeriodicReport report(1, kStart);
  // Due at 1 s, done at 3.5 s: 2.5 s behind, more than the 2 s allowed. No burst of catch-up
  // rounds: the next is one interval after now.
  report.MarkDoneOnSchedule(kStart + milliseconds(3500), std::chrono::seconds(2));
  EXPECT_EQ(report.next_due(), kStart + milliseconds(4500));
  // Within the allowance the missed time is caught up on schedule.
  report.MarkDoneOnSchedule(kStart + milliseconds(6000), std::chrono::seconds(2));
  EXPECT_EQ(report.next_due(), kStart + milliseconds(5500));
}

TEST(PeriodicReportTest, ZeroNegativeOrNanIntervalIsNeverDue) {
  for (double interval : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    PeriodicReport report(interval, kStart);
    EXPECT_FALSE(report.enabled()) << interval;
    EXPECT_FALSE(report.Due(kStart)) << interval;
    EXPECT_FALSE(report.Due(kStart + std::chrono::hours(1000))) << interval;
  }
}

TEST(PeriodicReportTest, HugeIntervalDoesNotOverflow) {
  PeriodicReport report(1e300, kStart);
  EXPECT_TRUE(report.enabled());
  EXPECT_FALSE(report.Due(kStart + std::chrono::hours(24 * 365 * 10)));
  EXPECT_GT(report.next_due(), kStart);
}

}  // namespace
}  // namespace orderflow

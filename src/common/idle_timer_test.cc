#include "common/idle_timer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace orderflow {
namespace {

using std::chrono::milliseconds;

// A fixed origin: the tests never read the clock.
const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

TEST(IdleTimerTest, ExpiresAfterTheTimeoutWithoutActivity) {
  IdleTimer idle(4);
  idle.Start(kStart);
  EXPECT_TRUE(idle.enabled());
  EXPECT_TRUE(idle.started());
  EXPECT_FALSE(idle.Expired(kStart + milliseconds(3999)));
  EXPECT_TRUE(idle.Expired(kStart + milliseconds(4000)));
}

TEST(IdleTimerTest, ActivityRestartsTheCount) {
  IdleTimer idle(4);
  idle.Start(kStart);
  idle.Touch(kStart + milliseconds(3000));
  EXPECT_FALSE(idle.Expired(kStart + milliseconds(6999)));
  EXPECT_TRUE(idle.Expired(kStart + milliseconds(7000)));
}

TEST(IdleTimerTest, IdlenessCountsOnlyOnceStarted) {
  IdleTimer idle(1);
  EXPECT_FALSE(idle.started());
  EXPECT_FALSE(idle.Expired(kStart + std::chrono::hours(1)));  // still joining: not idle
  idle.Touch(kStart);  // activity before the start does not start the count
  EXPECT_FALSE(idle.Expired(kStart + std::chrono::hours(1)));
  const Clock::time_point assigned = kStart + std::chrono::hours(1);
  idle.Start(assigned);
  EXPECT_FALSE(idle.Expired(assigned + milliseconds(999)));
  EXPECT_TRUE(idle.Expired(assigned + milliseconds(1000)));
}

TEST(IdleTimerTest, ZeroNegativeOrNanTimeoutNeverExpires) {
  for (double timeout : {0.0, -2.0, std::numeric_limits<double>::quiet_NaN()}) {
    IdleTimer idle(timeout);
    idle.Start(kStart);
    EXPECT_FALSE(idle.enabled()) << timeout;
    EXPECT_FALSE(idle.Expired(kStart + std::chrono::hours(1000))) << timeout;
  }
}

}  // namespace
}  // namespace orderflow

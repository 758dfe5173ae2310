#include "monitor/tracker.h"

#include <gtest/gtest.h>

#include <string>

#include "event/event_validator.h"

namespace orderflow::monitor {
namespace {

TEST(TrackerTest, ThroughputCountsFromTheCommandStartAndActiveEpsFromTheFirstMessage) {
  TrackerSummary s;
  s.processed = 1000;
  s.elapsed_seconds = 10;  // the command ran 10 s ...
  s.active_seconds = 2;    // ... and the messages came within 2 s of it
  EXPECT_DOUBLE_EQ(s.throughput_eps(), 100.0);
  EXPECT_DOUBLE_EQ(s.active_eps(), 500.0);
  const std::string line = TrackerLine("[summary]", s);
  EXPECT_EQ(line.rfind("[tracker][summary] processed=1000 errors=0 throughput_eps=100.0 "
                       "active_eps=500.0 ",
                       0),
            0u)
      << line;
  EXPECT_NE(line.find(" elapsed_s=10.00\n"), std::string::npos) << line;

  TrackerSummary none;
  EXPECT_DOUBLE_EQ(none.throughput_eps(), 0.0);
  EXPECT_DOUBLE_EQ(none.active_eps(), 0.0);
}

TEST(TrackerTest, EventLineIsTheOriginalsFormat) {
  event::EventValidator validator;
  const std::string json =
      R"({"order_id":"3f2a","user":"Ann Lee","item":"bread","quantity":7,"unit_price":4.2})";
  const event::Validation& v = validator.Validate(json);
  EXPECT_EQ(EventLine(42, 3, v),
            "[consumer][event] offset=42 partition=3 order_id=3f2a item=bread quantity=7\n");

  const event::Validation& missing = validator.Validate(R"({"order_id":"x1","item":"eggs"})");
  EXPECT_EQ(EventLine(0, 1, missing),
            "[consumer][event] offset=0 partition=1 order_id=x1 item=eggs quantity=None\n");

  const event::Validation& broken = validator.Validate("not json at all");
  EXPECT_EQ(EventLine(5, 0, broken),
            "[consumer][event] offset=5 partition=0 order_id=None item=None quantity=None\n");
}

}  // namespace
}  // namespace orderflow::monitor

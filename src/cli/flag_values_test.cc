#include "cli/flag_values.h"

#include <gtest/gtest.h>

namespace orderflow::cli {
namespace {

TEST(ParseNumberTest, AcceptsWholeDecimalNumbers) {
  EXPECT_EQ(*ParseNumber("--x", "2000"), 2000);
  EXPECT_EQ(*ParseNumber("--x", "0.5"), 0.5);
  EXPECT_EQ(*ParseNumber("--x", "1e3"), 1000);
  EXPECT_EQ(*ParseNumber("--x", "-2"), -2);
}

TEST(ParseNumberTest, RejectsTextTrailingGarbageAndNonFiniteNamingTheFlag) {
  for (const char* bad : {"", "abc", "12x", " 12", "12 ", "inf", "nan", "1e999", "+"}) {
    auto r = ParseNumber("--events-per-second", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().ExitCode(), 2);
    EXPECT_EQ(r.status().message(),
              std::string("--events-per-second ") + bad + ": expected a number");
  }
}

TEST(ParsePositiveNumberTest, RejectsZeroAndNegatives) {
  EXPECT_EQ(*ParsePositiveNumber("--x", "0.001"), 0.001);
  for (const char* bad : {"0", "-1", "-0", "max"}) {
    auto r = ParsePositiveNumber("--rate", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(), std::string("--rate ") + bad + ": expected a positive number");
  }
}

TEST(ParseIntegerTest, AcceptsIntegersInRangeOnly) {
  EXPECT_EQ(*ParseInteger("partitions", "6", 1, 100), 6);
  EXPECT_EQ(*ParseInteger("ms", "-5", -10, 10), -5);
  for (const char* bad : {"", "0", "101", "6.0", "6x", "x", "99999999999999999999"}) {
    auto r = ParseInteger("partitions", bad, 1, 100);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(),
              std::string("partitions ") + bad + ": expected an integer from 1 to 100");
  }
}

TEST(ParseDurationTest, ReadsUnitsAndBareSeconds) {
  EXPECT_EQ(ParseDuration("--trigger", "100ms")->count(), 100);
  EXPECT_EQ(ParseDuration("--trigger", "5s")->count(), 5000);
  EXPECT_EQ(ParseDuration("--trigger", "2")->count(), 2000);
  EXPECT_EQ(ParseDuration("--trigger", "1.5m")->count(), 90000);
  EXPECT_EQ(ParseDuration("--trigger", "2min")->count(), 120000);
  EXPECT_EQ(ParseDuration("--trigger", "0")->count(), 0);
}

TEST(ParseDurationTest, RejectsUnknownUnitsNegativesAndGarbage) {
  for (const char* bad : {"", "s", "5h", "-1s", "5 s", "abc", "1e300s"}) {
    auto r = ParseDuration("--trigger", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(),
              std::string("--trigger ") + bad + ": expected a duration such as 100ms, 5s or 1m");
  }
}

TEST(ParseByteSizeTest, ReadsBytesAndBinaryUnits) {
  EXPECT_EQ(*ParseByteSize("--roll-size", "134217728"), 134217728u);
  EXPECT_EQ(*ParseByteSize("--roll-size", "128MB"), 134217728u);
  EXPECT_EQ(*ParseByteSize("--roll-size", "128mb"), 134217728u);
  EXPECT_EQ(*ParseByteSize("--roll-size", "64KiB"), 65536u);
  EXPECT_EQ(*ParseByteSize("--roll-size", "1.5GB"), 1610612736u);
  EXPECT_EQ(*ParseByteSize("--roll-size", "7B"), 7u);
}

TEST(ParseByteSizeTest, RejectsUnknownUnitsZeroAndGarbage) {
  for (const char* bad : {"", "0", "0MB", "-1MB", "12 MB", "12TB", "lots", "MB", "1e30"}) {
    auto r = ParseByteSize("--roll-size", bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("--roll-size"), std::string::npos);
      EXPECT_EQ(r.status().ExitCode(), 2);
    }
  }
}

}  // namespace
}  // namespace orderflow::cli

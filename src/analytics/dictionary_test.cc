#include "analytics/dictionary.h"

#include <gtest/gtest.h>

#include <string>

namespace orderflow::analytics {
namespace {

TEST(DictionaryTest, GivesDenseIdsInOrderOfFirstAppearance) {
  Dictionary d;
  EXPECT_EQ(d.Intern("store"), 0);
  EXPECT_EQ(d.Intern("online"), 1);
  EXPECT_EQ(d.Intern("store"), 0);
  EXPECT_EQ(d.Intern(""), 2);
  EXPECT_EQ(d.size(), 3);
  EXPECT_EQ(d.name(1), "online");
  EXPECT_EQ(d.Find("pickup"), -1);
}

TEST(DictionaryTest, KeepsEveryNameAcrossGrowth) {
  Dictionary d;
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(d.Intern("city-" + std::to_string(i)), i);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(d.Find("city-" + std::to_string(i)), i);
  EXPECT_EQ(d.Find("city-5000"), -1);
}

}  // namespace
}  // namespace orderflow::analytics

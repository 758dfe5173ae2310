#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace orderflow {
namespace {

TEST(Crc32cTest, MatchesTheStandardCheckValueAndContinues) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(Crc32c(""), 0u);
  const std::string text = "a batch of lines, appended in pieces\n";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_EQ(Crc32c(text.substr(cut), Crc32c(text.substr(0, cut))), Crc32c(text)) << cut;
  }
}

}  // namespace
}  // namespace orderflow

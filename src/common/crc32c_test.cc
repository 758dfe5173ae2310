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

TEST(Crc32cTest, CombinesTwoChecksumsIntoTheChecksumOfTheConcatenation) {
  std::string a, b;
  uint32_t seed = 7;
  auto next = [&] { return static_cast<char>((seed = seed * 1103515245u + 12345u) >> 16); };
  for (size_t length_a : {0, 1, 7, 440, 100000}) {
    for (size_t length_b : {0, 1, 2, 8, 9, 441, 65536, 1000003}) {
      a.clear();
      b.clear();
      for (size_t i = 0; i < length_a; ++i) a.push_back(next());
      for (size_t i = 0; i < length_b; ++i) b.push_back(next());
      EXPECT_EQ(Crc32cCombine(Crc32c(a), Crc32c(b), b.size()), Crc32c(a + b))
          << length_a << " + " << length_b;
    }
  }
}

}  // namespace
}  // namespace orderflow

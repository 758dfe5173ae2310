#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

// The CRC-32C a bit at a time, straight from its definition: the yardstick for the fast paths
// (the crc32 instruction in one chain, three stripes joined by carry-less multiplication).
uint32_t BitwiseCrc32c(std::string_view data, uint32_t crc) {
  uint32_t c = ~crc;
  for (unsigned char byte : data) {
    c ^= byte;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? 0x82F63B78u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

TEST(Crc32cTest, EveryLengthAndAlignmentGivesTheBitwiseChecksum) {
  std::string bytes(3 * 2048 * 2 + 200, '\0');
  uint32_t seed = 11;
  for (char& byte : bytes) byte = static_cast<char>((seed = seed * 1103515245u + 12345u) >> 16);
  for (size_t length = 0; length <= 3 * 2048 + 100; ++length) {
    const size_t offset = length % 7;  // not always on an 8-byte boundary
    const std::string_view piece(bytes.data() + offset, length);
    const uint32_t start = length % 3 == 0 ? 0 : seed + static_cast<uint32_t>(length);
    ASSERT_EQ(Crc32c(piece, start), BitwiseCrc32c(piece, start)) << length;
  }
  ASSERT_EQ(Crc32c(bytes, 5), BitwiseCrc32c(bytes, 5));  // more than one full round of stripes
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

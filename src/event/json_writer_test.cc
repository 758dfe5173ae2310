#include "event/json_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace orderflow::event {
namespace {

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  EXPECT_TRUE(AppendJsonString(out, std::string_view("a\"b\\c\nd\x01", 8)));
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001")");
}

TEST(JsonWriterTest, KeepsValidUtf8AsItIs) {
  std::string out;
  EXPECT_TRUE(AppendJsonString(out, "Łódź"));
  EXPECT_EQ(out, "\"Łódź\"");
}

TEST(JsonWriterTest, ReplacesInvalidUtf8WithReplacementCharacter) {
  std::string out;
  EXPECT_FALSE(AppendJsonString(out, std::string_view("a\xff"
                                                      "b\xc3",
                                                      4)));
  EXPECT_EQ(out,
            "\"a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\"");
}

TEST(JsonWriterTest, WritesCentsLikePythonFloats) {
  std::string out;
  AppendCents(out, 320);
  out += ' ';
  AppendCents(out, 1600);
  out += ' ';
  AppendCents(out, 1234);
  out += ' ';
  AppendCents(out, 5);
  out += ' ';
  AppendCents(out, 0);
  EXPECT_EQ(out, "3.2 16.0 12.34 0.05 0.0");
}

TEST(JsonWriterTest, WritesIntegersIncludingExtremes) {
  std::string out;
  AppendInt(out, 0);
  out += ' ';
  AppendInt(out, -42);
  out += ' ';
  AppendInt(out, INT64_MIN);
  EXPECT_EQ(out, "0 -42 -9223372036854775808");
}

// Every digit count on both sides of its boundary, and the extremes, as std::to_string writes
// them; the cents the same way, from the integer and its last two digits.
TEST(JsonWriterTest, WritesEveryDigitCountAsToStringDoes) {
  std::vector<int64_t> values = {0, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
    for (int64_t v : {p - 1, p, p + 1, 2 * p - 1, 10 * p - 1}) {
      values.push_back(v);
      values.push_back(-v);
    }
  }
  for (int64_t v : values) {
    std::string out;
    AppendInt(out, v);
    EXPECT_EQ(out, std::to_string(v));
    char buf[kMaxIntChars];
    EXPECT_LE(static_cast<size_t>(WriteInt(buf, v) - buf), kMaxIntChars) << v;

    const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    std::string want = (v < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." +
                       std::to_string(magnitude % 100 / 10);
    if (magnitude % 10 != 0) want += std::to_string(magnitude % 10);
    std::string cents;
    AppendCents(cents, v);
    EXPECT_EQ(cents, want) << v;
    char cents_buf[kMaxCentsChars];
    EXPECT_LE(static_cast<size_t>(WriteCents(cents_buf, v) - cents_buf), kMaxCentsChars) << v;
  }
}

TEST(JsonWriterTest, Base64MatchesRfc4648Vectors) {
  for (auto [in, want] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foobar", "Zm9vYmFy"}}) {
    std::string out;
    AppendBase64(out, in);
    EXPECT_EQ(out, want);
  }
}

}  // namespace
}  // namespace orderflow::event

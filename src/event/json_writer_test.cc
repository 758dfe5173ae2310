#include "event/json_writer.h"

#include <gtest/gtest.h>

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

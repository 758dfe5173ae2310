#include "event/plain_number.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "event/random.h"

namespace orderflow::event {
namespace {

// `token` inside an object, in a padded buffer, as the validator sees it.
class Token {
 public:
  explicit Token(std::string_view token, char end = '}')
      : json_("{\"a\":" + std::string(token) + (end == ',' ? ",\"b\":0}" : std::string(1, end))),
        padded_(json_),
        size_(token.size()) {}
  std::string_view view() const { return {padded_.data() + 5, size_}; }

  // What simdjson On-Demand says: the error, and the value when there is none.
  simdjson::error_code Int(int64_t& value) {
    simdjson::ondemand::value v;
    if (auto error = Value(v)) return error;
    return v.get_int64().get(value);
  }
  simdjson::error_code Double(double& value) {
    simdjson::ondemand::value v;
    if (auto error = Value(v)) return error;
    return v.get_double().get(value);
  }

 private:
  simdjson::error_code Value(simdjson::ondemand::value& v) {
    if (auto error = parser_.iterate(padded_).get(doc_)) return error;
    return doc_["a"].get(v);
  }
  std::string json_;
  simdjson::padded_string padded_;
  size_t size_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
};

TEST(PlainNumberTest, ReadsTheProducersIntegers) {
  for (const auto& [text, expected] : std::initializer_list<std::pair<const char*, int64_t>>{
           {"0", 0},
           {"7", 7},
           {"12", 12},
           {"12345678", 12345678},
           {"123456789", 123456789},
           {"1764000000000", 1764000000000},
           {"9999999999999999", 9999999999999999}}) {
    Token token(text);
    int64_t value = -1;
    ASSERT_TRUE(ReadPlainInt(token.view(), value)) << text;
    EXPECT_EQ(value, expected);
  }
}

TEST(PlainNumberTest, LeavesEveryOtherIntegerToSimdjson) {
  for (const char* text :
       {"-1", "01", "00", "1.0", "1e2", "12345678901234567", "1x", "+1", "", "\"1\"", "1 ", "x1"}) {
    Token token(text);
    int64_t value = 0;
    EXPECT_FALSE(ReadPlainInt(token.view(), value)) << text;
  }
  Token followed_by_space("12", ' ');
  int64_t value = 0;
  EXPECT_FALSE(ReadPlainInt(followed_by_space.view(), value));
}

TEST(PlainNumberTest, ReadsTheSignOfTheProducersDecimals) {
  for (const auto& [text, positive] :
       std::initializer_list<std::pair<const char*, bool>>{{"3.2", true},
                                                           {"0.0", false},
                                                           {"0.00", false},
                                                           {"0.01", true},
                                                           {"16.0", true},
                                                           {"1234567.12345678", true},
                                                           {"10.0", true}}) {
    Token token(text);
    bool sign = !positive;
    ASSERT_TRUE(ReadPlainDecimal(token.view(), sign)) << text;
    EXPECT_EQ(sign, positive) << text;
  }
}

TEST(PlainNumberTest, LeavesEveryOtherDecimalToSimdjson) {
  for (const char* text : {"-3.2", "3", "3.", ".5", "03.2", "1.2.3", "1.5e3", "12345678.5",
                           "1.123456789", "1.2x", "1..2", "\"1.2\""}) {
    Token token(text);
    bool positive = false;
    EXPECT_FALSE(ReadPlainDecimal(token.view(), positive)) << text;
  }
}

// Whatever the token, an accepted one is one simdjson accepts too, with the same meaning.
TEST(PlainNumberTest, AgreesWithSimdjsonOnRandomTokens) {
  Random random(3);
  const std::string alphabet = "0123456789.-e";
  int accepted_ints = 0, accepted_decimals = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text(1 + random.Below(18), '0');
    for (char& c : text)
      c = random.Below(4) == 0 ? alphabet[random.Below(13)] : '0' + random.Below(10);
    Token token(text, random.Below(2) ? ',' : '}');
    int64_t plain_int = 0;
    if (ReadPlainInt(token.view(), plain_int)) {
      ++accepted_ints;
      int64_t value = 0;
      ASSERT_EQ(token.Int(value), simdjson::SUCCESS) << text;
      ASSERT_EQ(value, plain_int) << text;
    }
    bool positive = false;
    if (ReadPlainDecimal(token.view(), positive)) {
      ++accepted_decimals;
      double value = 0;
      ASSERT_EQ(token.Double(value), simdjson::SUCCESS) << text;
      ASSERT_EQ(value > 0, positive) << text;
    }
  }
  EXPECT_GT(accepted_ints, 1000);
  EXPECT_GT(accepted_decimals, 1000);
}

}  // namespace
}  // namespace orderflow::event

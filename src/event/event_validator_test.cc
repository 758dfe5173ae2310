#include "event/event_validator.h"

#include <gtest/gtest.h>

#include <string>

#include "event/event_encoder.h"
#include "event/generator.h"

namespace orderflow::event {
namespace {

std::string ValidEvent() {
  EventGenerator g(1, Profile::kUniform, 1764000000000, 0);
  OrderEvent e;
  g.Next(1764000000000, e);
  std::string json;
  EncodeEvent(e, json);
  return json;
}

// Replaces the first occurrence of `from` with `to`.
std::string Replace(std::string s, std::string_view from, std::string_view to) {
  const size_t pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

std::string FieldText(const std::string& json, std::string_view name) {
  const std::string key = "\"" + std::string(name) + "\":";
  const size_t start = json.find(key);
  size_t end = json.find_first_of(",}", start + key.size());
  if (json[start + key.size()] == '"') end = json.find('"', start + key.size() + 1) + 1;
  return json.substr(start, end - start);
}

class ValidatorTest : public ::testing::Test {
 protected:
  std::string Reason(std::string_view message) {
    const Validation& v = validator_.Validate(message);
    return v.valid ? "valid" : std::string(v.reason);
  }
  EventValidator validator_;
  std::string event_ = ValidEvent();
};

TEST_F(ValidatorTest, AcceptsAContractEventAndPassesItThrough) {
  const Validation& v = validator_.Validate(event_);
  EXPECT_TRUE(v.valid);
  EXPECT_TRUE(v.pass_through);
  EXPECT_EQ(v.event_time_ms, 1764000000000);
}

TEST_F(ValidatorTest, PrettyPrintedEventIsValidButNotPassedThrough) {
  const std::string pretty = Replace(Replace(event_, "{", "{\n  "), ",\"item\"", ",\r\n\"item\"");
  const Validation& v = validator_.Validate(pretty);
  EXPECT_TRUE(v.valid);
  EXPECT_FALSE(v.pass_through);
}

TEST_F(ValidatorTest, ExtraFieldsAreIgnoredButNotPassedThrough) {
  const Validation& v = validator_.Validate(Replace(event_, "{", "{\"extra\":[1,{\"a\":2}],"));
  EXPECT_TRUE(v.valid);
  EXPECT_FALSE(v.pass_through);
}

// simdjson's On-Demand checks only what it reads; these are malformed in what the validator does
// not otherwise need to read (found by tests/fuzz/event_router_fuzzer: the first was a valid
// event passed through to the valid output, a line that is not JSON).
TEST_F(ValidatorTest, RejectsMalformedJsonInsideValuesItDoesNotOtherwiseRead) {
  const std::string datetime = FieldText(event_, "purchase_datetime");
  EXPECT_EQ(Reason(Replace(event_, datetime, datetime + ":0e080,0}")), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"extra\":\"a\":1,")), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"extra\":[1 2],")), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"extra\":[\"a\":1],")), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"extra\":{\"a\" 1},")), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"extra\":{\"a\":\"b\":1},")), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"extra\":[1,{\"a\":[true,null,\"\\u00e9\"]}],")),
            "valid");
  // A contract field of the wrong type holding malformed JSON is malformed, not of the wrong type.
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "user"), "\"user\":[\"a\" \"b\"]")),
            "malformed_json");
}

TEST_F(ValidatorTest, RejectsMessagesThatAreNotJsonObjects) {
  EXPECT_EQ(Reason(""), "empty_message");
  EXPECT_EQ(Reason("hello"), "malformed_json");
  EXPECT_EQ(Reason("{\"quantity\": 5"), "malformed_json");
  EXPECT_EQ(Reason(event_ + "x"), "malformed_json");
  EXPECT_EQ(Reason(event_ + event_), "malformed_json");
  EXPECT_EQ(Reason("[1,2,3]"), "not_an_object");
  EXPECT_EQ(Reason("42"), "not_an_object");
  EXPECT_EQ(Reason("null"), "not_an_object");
  EXPECT_EQ(Reason("not json"), "malformed_json");
  EXPECT_EQ(Reason("nul"), "malformed_json");
  EXPECT_EQ(Reason("true false"), "malformed_json");
  EXPECT_EQ(Reason("\"text\""), "not_an_object");
  EXPECT_EQ(Reason("12abc"), "malformed_json");
  EXPECT_EQ(Reason("[1,2"), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "\"unit_price\":", "\"unit_price\":NaN,\"x\":")),
            "malformed_json");
  EXPECT_EQ(Reason(std::string_view("{\"a\":\"\xff\"}", 9)), "invalid_utf8");
  EXPECT_EQ(Reason(std::string(5000, '[') + std::string(5000, ']')), "not_an_object");
  EXPECT_EQ(Reason(std::string(5000, '[') + std::string(4999, ']')), "malformed_json");
  EXPECT_EQ(Reason(Replace(event_, "{",
                           "{\"deep\":" + std::string(5000, '[') + std::string(5000, ']') + ",")),
            "valid");
}

TEST_F(ValidatorTest, KeepsTheOriginalOrderOfPrecedence) {
  const std::string q = FieldText(event_, "quantity");
  const std::string p = FieldText(event_, "unit_price");
  const std::string no_q = Replace(event_, q + ",", "");
  const std::string no_p = Replace(event_, p + ",", "");
  EXPECT_EQ(Reason(no_q), "missing_quantity");
  EXPECT_EQ(Reason(no_p), "missing_unit_price");
  EXPECT_EQ(Reason(Replace(no_q, p + ",", "")), "missing_quantity");
  EXPECT_EQ(Reason(Replace(no_p, q, "\"quantity\":0")), "missing_unit_price");
  EXPECT_EQ(Reason(Replace(event_, q, "\"quantity\":null")), "missing_quantity");
  EXPECT_EQ(Reason(Replace(event_, q, "\"quantity\":-3")), "non_positive_quantity");
  EXPECT_EQ(Reason(Replace(event_, p, "\"unit_price\":0.0")), "non_positive_unit_price");
  EXPECT_EQ(Reason(Replace(event_, p, "\"unit_price\":-0.0")), "non_positive_unit_price");
  EXPECT_EQ(Reason(Replace(Replace(event_, p, "\"unit_price\":0"), q, "\"quantity\":0")),
            "non_positive_quantity");
}

TEST_F(ValidatorTest, NamesTheFieldThatIsMissingOrHasTheWrongType) {
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "store_city") + ",", "")),
            "missing_store_city");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "quantity"), "\"quantity\":\"5\"")),
            "wrong_type_quantity");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "quantity"), "\"quantity\":5.0")),
            "wrong_type_quantity");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "quantity"),
                           "\"quantity\":99999999999999999999999")),
            "wrong_type_quantity");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "unit_price"), "\"unit_price\":1e999")),
            "wrong_type_unit_price");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "is_weekend"), "\"is_weekend\":1")),
            "wrong_type_is_weekend");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "item"), "\"item\":{\"name\":\"x\"}")),
            "wrong_type_item");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "user"), "\"user\":[\"a\"]")),
            "wrong_type_user");
  EXPECT_EQ(Reason(Replace(event_, FieldText(event_, "event_time_ms"), "\"event_time_ms\":null")),
            "missing_event_time_ms");
}

TEST(EventFieldsTest, FindFieldKnowsEveryNameAndNothingElse) {
  for (size_t i = 0; i < kFieldCount; ++i)
    EXPECT_EQ(FindField(kFields[i].name), static_cast<int>(i));
  for (std::string_view other : {"", "x", "users", "items", "invalid_mode", "purchase_datx",
                                 "weekday_nam", "event_time_mx", "Quantity"}) {
    EXPECT_EQ(FindField(other), -1) << other;
  }
}

TEST_F(ValidatorTest, EscapedKeysAndStringsAreUnderstood) {
  EXPECT_EQ(Reason(Replace(event_, "\"quantity\"", "\"qu\\u0061ntity\"")), "valid");
  EXPECT_EQ(Reason(Replace(event_, "\"user\":\"", "\"user\":\"\\u0141\\n")), "valid");
  EXPECT_EQ(Reason(Replace(event_, "\"user\":\"", "\"user\":\"\\x")), "wrong_type_user");
}

TEST_F(ValidatorTest, RejectsDuplicateKeys) {
  EXPECT_EQ(Reason(Replace(event_, "{", "{\"quantity\":3,")), "duplicate_quantity");
}

TEST_F(ValidatorTest, KeepsRawTokensOfParsedFieldsForInvalidOutput) {
  const std::string no_q = Replace(event_, FieldText(event_, "quantity") + ",", "");
  const Validation& v = validator_.Validate(no_q);
  ASSERT_TRUE(v.parsed_object);
  EXPECT_TRUE(v.raw[kQuantityField].empty());
  EXPECT_EQ(v.raw[kUnitPriceField], FieldText(event_, "unit_price").substr(13));
  EXPECT_EQ(v.raw[0].front(), '"');
}

TEST_F(ValidatorTest, HandlesAMegabyteMessage) {
  const std::string big = Replace(event_, "\"user\":\"", "\"user\":\"" + std::string(1 << 20, 'x'));
  EXPECT_EQ(Reason(big), "valid");
  EXPECT_EQ(Reason(std::string(1 << 20, 'x')), "malformed_json");
  EXPECT_EQ(Reason(event_), "valid");
}

}  // namespace
}  // namespace orderflow::event

#include "event/event_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "event/catalogue.h"
#include "event/event_validator.h"
#include "event/generator.h"

namespace orderflow::event {
namespace {

constexpr int64_t kReference = 1764000000000;

TEST(EventEncoderTest, RoundTripsEveryFieldThroughAParser) {
  EventGenerator g(21, Profile::kUniform, kReference, 3600);
  OrderEvent e;
  std::string json;
  simdjson::dom::parser parser;
  for (int i = 0; i < 2000; ++i) {
    g.Next(kReference + i, e);
    EncodeEvent(e, json);
    simdjson::dom::element doc = parser.parse(json);
    ASSERT_EQ(std::string_view(doc["order_id"]), e.OrderId());
    ASSERT_EQ(std::string(doc["user"].get_string().value()),
              std::string(e.user_first) + " " + std::string(e.user_last));
    ASSERT_EQ(std::string_view(doc["item"]), kItems[e.item_index].name);
    ASSERT_EQ(std::string_view(doc["category"]), kItems[e.item_index].category);
    ASSERT_EQ(int64_t(doc["quantity"]), e.quantity);
    ASSERT_NEAR(double(doc["unit_price"]), e.unit_price_cents / 100.0, 1e-9);
    ASSERT_EQ(int64_t(doc["discount_pct"]), e.discount_pct);
    ASSERT_NEAR(double(doc["total_amount"]), e.total_amount_cents / 100.0, 1e-9);
    ASSERT_EQ(std::string_view(doc["payment_method"]), e.payment_method);
    ASSERT_EQ(std::string_view(doc["sales_channel"]), e.sales_channel);
    ASSERT_EQ(std::string_view(doc["store_city"]), e.store_city);
    const std::string_view dt = doc["purchase_datetime"];
    ASSERT_EQ(dt.size(), 19u);
    ASSERT_EQ(dt.substr(0, 10), std::string_view(doc["purchase_date"]));
    ASSERT_EQ(dt.substr(11), std::string_view(doc["purchase_time"]));
    ASSERT_EQ(std::string_view(doc["weekday_name"]), kWeekdayNames[e.purchase.weekday]);
    ASSERT_EQ(int64_t(doc["weekday_num"]), e.purchase.weekday);
    ASSERT_EQ(int64_t(doc["hour_of_day"]), e.purchase.hour);
    ASSERT_EQ(bool(doc["is_weekend"]), e.purchase.weekday >= 5);
    ASSERT_EQ(int64_t(doc["event_time_ms"]), kReference + i);
    ASSERT_EQ(doc.get_object().size(), 19u);
  }
}

// EncodeEvent writes into room sized by EncodedSizeBound: the longest numbers and strings of
// the catalogue, in every mode and variant, stay within it.
TEST(EventEncoderTest, TheLongestEventsFitTheirBound) {
  auto longest = [](auto strings) {
    std::string_view best;
    for (std::string_view s : strings) best = s.size() > best.size() ? s : best;
    return best;
  };
  OrderEvent e;
  std::fill(std::begin(e.order_id), std::end(e.order_id), 'f');
  e.user_first = longest(kFirstNames);
  e.user_last = longest(kLastNames);
  e.payment_method = longest(kPaymentMethods);
  e.sales_channel = longest(kSalesChannels);
  e.store_city = longest(kCities);
  for (int64_t big : {INT64_MIN, INT64_MAX}) {
    const int small = big < 0 ? INT_MIN : INT_MAX;
    e.quantity = e.discount_pct = small;
    e.unit_price_cents = e.total_amount_cents = e.event_time_ms = big;
    e.purchase = CivilTime{small, 12, 31, 23, 59, 59, 2};  // Wednesday: the longest name
    for (int item = 0; item < static_cast<int>(kItems.size()); ++item) {
      e.item_index = item;
      std::vector<InvalidMode> modes = {InvalidMode::kNone};
      for (InvalidMode mode : AllInvalidModes()) modes.push_back(mode);
      for (InvalidMode mode : modes) {
        for (uint64_t variant = 0; variant < 8; ++variant) {
          std::string json;
          EncodeEvent(e, json, mode, variant);
          EXPECT_LE(json.size(), EncodedSizeBound(e, mode)) << json;
        }
      }
    }
  }
}

TEST(EventEncoderTest, EveryInvalidModeIsRejectedWithTheMatchingReason) {
  EventGenerator g(4, Profile::kUniform, kReference, 0);
  EventValidator validator;
  OrderEvent e;
  std::string json;
  const std::map<InvalidMode, std::set<std::string_view>> expected = {
      {InvalidMode::kMissingUnitPrice, {"missing_unit_price"}},
      {InvalidMode::kMissingQuantity, {"missing_quantity"}},
      {InvalidMode::kMissingBoth, {"missing_quantity"}},
      {InvalidMode::kNonPositiveUnitPrice, {"non_positive_unit_price"}},
      {InvalidMode::kNonPositiveQuantity, {"non_positive_quantity"}},
      {InvalidMode::kMalformedJson, {"malformed_json"}},
      {InvalidMode::kWrongType,
       {"wrong_type_quantity", "wrong_type_unit_price", "wrong_type_hour_of_day",
        "wrong_type_is_weekend"}},
  };
  for (InvalidMode mode : AllInvalidModes()) {
    std::set<std::string_view> seen;
    for (uint64_t variant = 0; variant < 400; ++variant) {
      g.Next(kReference, e);
      EncodeEvent(e, json, mode, variant * 7919);
      const Validation& v = validator.Validate(json);
      ASSERT_FALSE(v.valid) << json;
      seen.insert(v.reason);
    }
    EXPECT_EQ(seen, expected.at(mode)) << InvalidModeName(mode);
  }
}

TEST(EventEncoderTest, ModeNamesParseBack) {
  for (InvalidMode mode : AllInvalidModes()) {
    EXPECT_EQ(ParseInvalidMode(InvalidModeName(mode)), mode);
  }
  EXPECT_FALSE(ParseInvalidMode("random").has_value());
  EXPECT_FALSE(ParseInvalidMode("nonsense").has_value());
}

TEST(EventEncoderTest, RandomDrawsOnlyTheOriginalFiveModesAndRandomAllDrawsEvery) {
  auto names = [](std::span<const InvalidMode> modes) {
    std::set<std::string> out;
    for (InvalidMode m : modes) out.emplace(InvalidModeName(m));
    return out;
  };
  const auto random = ParseInvalidModeChoice("random");
  ASSERT_TRUE(random.has_value());
  EXPECT_EQ(names(*random),
            (std::set<std::string>{"missing_unit_price", "missing_quantity", "missing_both",
                                   "non_positive_unit_price", "non_positive_quantity"}));
  const auto all = ParseInvalidModeChoice("random-all");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(names(*all).size(), AllInvalidModes().size());
  EXPECT_TRUE(names(*all).count("malformed_json") && names(*all).count("wrong_type"));
  // Our added modes stay selectable by name, alone.
  for (std::string name : {"malformed_json", "wrong_type", "missing_both"}) {
    const auto one = ParseInvalidModeChoice(name);
    ASSERT_TRUE(one.has_value()) << name;
    EXPECT_EQ(names(*one), std::set<std::string>{name});
  }
  EXPECT_FALSE(ParseInvalidModeChoice("random_all").has_value());
  EXPECT_FALSE(ParseInvalidModeChoice("").has_value());
}

}  // namespace
}  // namespace orderflow::event

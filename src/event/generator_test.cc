#include "event/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "event/catalogue.h"
#include "event/event_encoder.h"

namespace orderflow::event {
namespace {

constexpr int64_t kReference = 1764000000000;  // 2025-11-24T16:00:00Z

TEST(GeneratorTest, SameSeedGivesSameEvents) {
  EventGenerator a(7, Profile::kUniform, kReference, 3600);
  EventGenerator b(7, Profile::kUniform, kReference, 3600);
  std::string ja, jb;
  OrderEvent ea, eb;
  for (int i = 0; i < 1000; ++i) {
    a.Next(kReference, ea);
    b.Next(kReference, eb);
    EncodeEvent(ea, ja);
    EncodeEvent(eb, jb);
    ASSERT_EQ(ja, jb);
  }
}

TEST(GeneratorTest, DifferentSeedsGiveDifferentOrderIds) {
  EventGenerator a(1, Profile::kUniform, kReference, 0);
  EventGenerator b(2, Profile::kUniform, kReference, 0);
  OrderEvent ea, eb;
  a.Next(kReference, ea);
  b.Next(kReference, eb);
  EXPECT_NE(ea.OrderId(), eb.OrderId());
}

TEST(GeneratorTest, OrderIdsAreUuidV4AndUnique) {
  EventGenerator g(3, Profile::kUniform, kReference, 0);
  std::set<std::string> ids;
  OrderEvent e;
  for (int i = 0; i < 20000; ++i) {
    g.Next(kReference, e);
    const std::string id(e.OrderId());
    ASSERT_EQ(id.size(), 36u);
    ASSERT_EQ(id[8], '-');
    ASSERT_EQ(id[14], '4');
    ASSERT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 20000u);
}

TEST(GeneratorTest, UniformProfileFollowsTheContractDistributions) {
  EventGenerator g(11, Profile::kUniform, kReference, 0);
  OrderEvent e;
  constexpr int kN = 200000;
  std::map<int, int> items, quantities, discounts, hours, weekdays;
  std::map<std::string_view, int> payments, channels;
  for (int i = 0; i < kN; ++i) {
    g.Next(kReference, e);
    ++items[e.item_index];
    ++quantities[e.quantity];
    ++discounts[e.discount_pct];
    ++hours[e.purchase.hour];
    ++weekdays[e.purchase.weekday];
    ++payments[e.payment_method];
    ++channels[e.sales_channel];
    const int64_t base = kItems[e.item_index].base_price_cents;
    ASSERT_GE(e.unit_price_cents, base * 85 / 100);
    ASSERT_LE(e.unit_price_cents, (base * 120 + 99) / 100);
    ASSERT_EQ(e.total_amount_cents,
              TotalAmountCents(e.quantity, e.unit_price_cents, e.discount_pct));
  }
  // Each bucket within 5% of its expected share (binomial sd is ~1% here).
  auto near = [](int count, double expected) {
    return std::abs(count - expected) < 0.05 * expected;
  };
  ASSERT_EQ(items.size(), 10u);
  for (auto [k, v] : items) EXPECT_TRUE(near(v, kN / 10.0)) << "item " << k << " " << v;
  ASSERT_EQ(quantities.size(), 20u);
  EXPECT_EQ(quantities.begin()->first, 1);
  EXPECT_EQ(quantities.rbegin()->first, 20);
  for (auto [k, v] : quantities) EXPECT_TRUE(near(v, kN / 20.0)) << "quantity " << k;
  EXPECT_TRUE(near(discounts[0], kN / 2.0));
  for (int d : {5, 10, 15}) EXPECT_TRUE(near(discounts[d], kN / 6.0)) << "discount " << d;
  ASSERT_EQ(hours.size(), 24u);
  for (auto [k, v] : hours) EXPECT_TRUE(near(v, kN / 24.0)) << "hour " << k;
  ASSERT_EQ(weekdays.size(), 7u);
  for (auto [k, v] : payments) EXPECT_TRUE(near(v, kN / 4.0)) << k;
  for (auto [k, v] : channels) EXPECT_TRUE(near(v, kN / 3.0)) << k;
}

TEST(GeneratorTest, PurchaseTimesFallInTheLast28Days) {
  // With a zero UTC offset the civil time can be checked against the window directly.
  EventGenerator g(5, Profile::kRealistic, kReference, 0);
  const CivilTime newest = ToCivil(kReference / 1000);
  const CivilTime oldest = ToCivil(kReference / 1000 - 28 * 86400);
  auto key = [](const CivilTime& t) {
    return ((((int64_t{t.year} * 100 + t.month) * 100 + t.day) * 100 + t.hour) * 100 + t.minute) *
               100 +
           t.second;
  };
  OrderEvent e;
  for (int i = 0; i < 20000; ++i) {
    g.Next(kReference, e);
    ASSERT_LE(key(e.purchase), key(newest));
    ASSERT_GE(key(e.purchase), key(oldest));
  }
}

TEST(GeneratorTest, RealisticProfileHasPeaksWeekendUpliftAndSkew) {
  EventGenerator g(9, Profile::kRealistic, kReference, 0);
  OrderEvent e;
  std::map<int, int> hours, items;
  int weekend = 0;
  std::map<std::string_view, std::map<std::string_view, int>> payment_by_channel;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    g.Next(kReference, e);
    ++hours[e.purchase.hour];
    ++items[e.item_index];
    weekend += e.purchase.weekday >= 5;
    ++payment_by_channel[e.sales_channel][e.payment_method];
  }
  EXPECT_GT(hours[18], 5 * hours[3]);        // evening peak vs night
  EXPECT_GT(hours[8], 2 * hours[5]);         // morning peak
  EXPECT_GT(weekend, kN * 2 / 7 * 11 / 10);  // weekend above its 2/7 calendar share
  EXPECT_GT(items[6], 3 * items[5]);         // bread far above cheese
  EXPECT_EQ(payment_by_channel["online"]["cash"], 0);
  EXPECT_GT(payment_by_channel["store"]["cash"], payment_by_channel["store"]["blik"]);
}

TEST(CivilTimeTest, ConvertsKnownInstants) {
  const CivilTime t = ToCivil(1709251199);  // 2024-02-29T23:59:59Z, a Thursday
  EXPECT_EQ(t.year, 2024);
  EXPECT_EQ(t.month, 2);
  EXPECT_EQ(t.day, 29);
  EXPECT_EQ(t.hour, 23);
  EXPECT_EQ(t.minute, 59);
  EXPECT_EQ(t.second, 59);
  EXPECT_EQ(t.weekday, 3);
  const CivilTime epoch = ToCivil(0);
  EXPECT_EQ(epoch.year, 1970);
  EXPECT_EQ(epoch.weekday, 3);
  EXPECT_EQ(ToCivil(-1).day, 31);
}

}  // namespace
}  // namespace orderflow::event

namespace orderflow::event {
namespace {

template <size_t N>
bool In(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

TEST(GeneratorTest, UniformProfileUsesEnglishNamesAndUsCitiesAsTheOriginalsFaker) {
  EventGenerator g(11, Profile::kUniform, kReference, 0);
  OrderEvent e;
  std::set<std::string_view> cities;
  for (int i = 0; i < 5000; ++i) {
    g.Next(kReference, e);
    EXPECT_TRUE(In(kEnglishFirstNames, e.user_first)) << e.user_first;
    EXPECT_TRUE(In(kEnglishLastNames, e.user_last)) << e.user_last;
    EXPECT_TRUE(In(kUsCities, e.store_city)) << e.store_city;
    cities.insert(e.store_city);
    // total_amount as the original's round(quantity * unit_price * (1 - discount/100), 2).
    EXPECT_EQ(e.total_amount_cents,
              TotalAmountCents(e.quantity, e.unit_price_cents, e.discount_pct));
    if (HasFailure()) break;
  }
  EXPECT_EQ(cities.size(), kUsCities.size());
}

TEST(GeneratorTest, RealisticProfileKeepsPolishNamesAndCities) {
  EventGenerator g(11, Profile::kRealistic, kReference, 0);
  OrderEvent e;
  for (int i = 0; i < 2000; ++i) {
    g.Next(kReference, e);
    EXPECT_TRUE(In(kFirstNames, e.user_first)) << e.user_first;
    EXPECT_TRUE(In(kCities, e.store_city)) << e.store_city;
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace orderflow::event

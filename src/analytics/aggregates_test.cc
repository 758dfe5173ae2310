#include "analytics/aggregates.h"

#include <gtest/gtest.h>

namespace orderflow::analytics {
namespace {

OrderRow CleanRow() {
  OrderRow row;
  row.item = "bread";
  row.category = "bakery";
  row.has_quantity = true;
  row.quantity = 3;
  row.has_unit_price = true;
  row.unit_price = 4.2;
  row.has_total = true;
  row.total_amount = 12.6;
  row.payment_method = "card";
  row.sales_channel = "store";
  row.store_city = "Gdańsk";
  row.weekday_name = "Sunday";
  row.hour = 18;
  row.day = ParseDay("2025-11-23");
  return row;
}

TEST(AggregatesTest, DatesRoundTrip) {
  EXPECT_EQ(ParseDay("1970-01-01"), 0);
  EXPECT_EQ(ParseDay("2025-11-24"), 20416);
  EXPECT_EQ(FormatDay(20416), "2025-11-24");
  EXPECT_EQ(FormatDay(ParseDay("2024-02-29")), "2024-02-29");
  EXPECT_EQ(ParseDay("2025-13-01"), kNoDay);
  EXPECT_EQ(ParseDay("2025-02-29"), kNoDay);  // no such day (the processor's default folder)
  EXPECT_EQ(ParseDay("2025-04-31"), kNoDay);
  EXPECT_EQ(ParseDay("2025-1-01"), kNoDay);
  EXPECT_EQ(ParseDay("yesterday!"), kNoDay);
}

TEST(AggregatesTest, CleanRowIsCountedEverywhere) {
  Aggregates a;
  a.AddOrder(CleanRow());
  EXPECT_EQ(a.clean_orders(), 1u);
  EXPECT_EQ(a.total().revenue_cents, 1260);
  EXPECT_EQ(a.items()[6].quantity, 3);                    // bread
  EXPECT_EQ(a.item_weekday()[6][6].revenue_cents, 1260);  // Sunday
  EXPECT_EQ(a.weekday_hour_cents()[6][18], 1260);
  EXPECT_EQ(a.cities().name(0), "Gdańsk");
  ASSERT_NE(a.order_values(0, 0), nullptr);
  EXPECT_EQ(a.order_values(0, 0)->count(), 1u);
  EXPECT_EQ(a.days().at(ParseDay("2025-11-23")).item_quantity[6], 3);
}

TEST(AggregatesTest, CleaningDropsRowsByTheFirstFailingCheck) {
  Aggregates a;
  OrderRow row = CleanRow();
  row.item = "caviar";
  a.AddOrder(row);
  row = CleanRow();
  row.quantity = 0;
  a.AddOrder(row);
  row = CleanRow();
  row.has_unit_price = false;
  row.weekday_name = "";  // also missing, but the price check comes first
  a.AddOrder(row);
  row = CleanRow();
  row.weekday_name = "Caturday";
  a.AddOrder(row);
  row = CleanRow();
  row.has_total = false;
  a.AddOrder(row);
  EXPECT_EQ(a.order_rows(), 5u);
  EXPECT_EQ(a.clean_orders(), 0u);
  for (int r = 0; r < kDropReasonCount; ++r) EXPECT_EQ(a.dropped()[r], 1u) << r;
  EXPECT_EQ(a.total().revenue_cents, 0);
}

TEST(AggregatesTest, MergeAddsCountsByName) {
  Aggregates a, b;
  a.AddOrder(CleanRow());
  OrderRow other = CleanRow();
  other.store_city = "Radom";
  other.payment_method = "blik";
  b.AddOrder(other);
  b.AddOrder(CleanRow());
  b.AddInvalid("missing_quantity");
  a.Merge(b);
  EXPECT_EQ(a.clean_orders(), 3u);
  EXPECT_EQ(a.city_totals()[a.cities().Find("Gdańsk")].orders, 2u);
  EXPECT_EQ(a.city_totals()[a.cities().Find("Radom")].orders, 1u);
  EXPECT_EQ(a.order_values(0, a.payments().Find("card"))->count(), 2u);
  EXPECT_EQ(a.invalid_counts()[a.invalid_reasons().Find("missing_quantity")], 1u);
  EXPECT_EQ(a.days().at(ParseDay("2025-11-23")).orders, 3u);
}

}  // namespace
}  // namespace orderflow::analytics

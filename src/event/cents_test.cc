#include "event/cents.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "event/catalogue.h"

namespace orderflow::event {
namespace {

// Expected values below come from CPython 3 (round(x, 2) on the same doubles).
TEST(CentsTest, RoundsLikePythonsRoundOnTheBinaryValue) {
  struct Case {
    double x;
    int64_t cents;
  };
  // 2.675 is 2.67499999... in binary (Python: 2.67); 0.125 and 0.375 are exact halves, which
  // Python sends to the even cent (0.12, 0.38).
  for (const Case& c :
       {Case{2.675, 267}, Case{1.005, 100}, Case{1.015, 101}, Case{1.025, 102}, Case{0.125, 12},
        Case{0.375, 38}, Case{0.625, 62}, Case{0.875, 88}, Case{10.125, 1012}, Case{0.285, 28},
        Case{1.255, 125}, Case{2.5, 250}, Case{0.0, 0}, Case{173.4, 17340}}) {
    EXPECT_EQ(RoundToCents(c.x), c.cents) << fmt::format("{:.17g}", c.x);
  }
}

TEST(CentsTest, AgreesWithFmtsExactFixedFormatting) {
  // fmt formats the exact binary value with correct rounding: away from exact halves the two
  // must agree on every value.
  for (int i = 0; i < 200000; ++i) {
    const double x = i * 0.00731 + 0.001;
    const int64_t cents = RoundToCents(x);
    EXPECT_EQ(fmt::format("{:.2f}", x), fmt::format("{}.{:02}", cents / 100, cents % 100))
        << fmt::format("{:.17g}", x);
    if (HasFailure()) break;
  }
}

TEST(CentsTest, TotalAmountMatchesThePythonProducerWhereHalfUpDoesNot) {
  // (quantity, unit price cents, discount) -> Python's round(q * up * (1 - d / 100), 2).
  EXPECT_EQ(TotalAmountCents(1, 150, 5), 142);  // 1.4249999..., half-up would say 143
  EXPECT_EQ(TotalAmountCents(3, 150, 15), 382);
  EXPECT_EQ(TotalAmountCents(7, 320, 5), 2128);
  EXPECT_EQ(TotalAmountCents(20, 1020, 15), 17340);
  EXPECT_EQ(TotalAmountCents(13, 421, 10), 4926);
  EXPECT_EQ(TotalAmountCents(1, 1099, 0), 1099);
}

TEST(CentsTest, TotalAmountChecksumOverEveryCombinationMatchesPython) {
  // Every quantity 1..20, unit price 1.50..10.99 and discount: 76,000 totals. The sums were
  // computed with CPython over the same grid (the weighted one catches swapped values); 2,895
  // of these totals differ from rounding the decimal product half-up.
  int64_t sum = 0, weighted = 0, n = 0;
  for (int64_t cents = 150; cents < 1100; ++cents) {
    for (int q = 1; q <= 20; ++q) {
      for (int d : {0, 5, 10, 15}) {
        const int64_t total = TotalAmountCents(q, cents, d);
        sum += total;
        weighted += total * (n % 97);
        ++n;
      }
    }
  }
  EXPECT_EQ(n, 76000);
  EXPECT_EQ(sum, 460974350);
  EXPECT_EQ(weighted, 22121248401);
}

TEST(CentsTest, UnitPriceChecksumOverAGridOfFactorsMatchesPython) {
  // round(base * (0.85 + 0.35 * u), 2) for u = i / 100000 and every catalogue item; the sum of
  // the cents was computed with CPython.
  int64_t sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = i / 100000.0;
    for (const Item& item : kItems) sum += UnitPriceCents(item.base_price_cents, 0.85 + 0.35 * u);
  }
  EXPECT_EQ(sum, 468424635);
}

}  // namespace
}  // namespace orderflow::event

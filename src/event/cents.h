// Money of the order event in integer cents, computed the way the original Python producer
// computed it in floating point, so that --profile uniform writes the same amounts:
//   unit_price   = round(base_price * uniform(0.85, 1.20), 2)
//   total_amount = round(quantity * unit_price * (1 - discount_pct / 100), 2)
// Python's round(x, 2) rounds the exact binary value of the double x to the nearest cent (an
// exact half goes to the even cent), which is not the same as rounding the decimal
// quantity * price * (100 - discount) half-up: 1 * 1.50 * 0.95 is 1.4249999... as a double,
// so Python writes 1.42, not 1.43. Pure functions; safe for concurrent use.
#pragma once

#include <cstdint>

namespace orderflow::event {

// Python's round(x, 2), in cents: the exact value of `x` rounded to the nearest hundredth,
// halves to even. REQUIRES: |x| < 1e15 (finite).
int64_t RoundToCents(double x);

// round(base_price * factor, 2) with base_price = base_price_cents / 100 as a double.
int64_t UnitPriceCents(int64_t base_price_cents, double factor);

// round(quantity * unit_price * (1 - discount_pct / 100), 2), evaluated left to right in
// doubles as Python did, with unit_price = unit_price_cents / 100.
int64_t TotalAmountCents(int quantity, int64_t unit_price_cents, int discount_pct);

}  // namespace orderflow::event

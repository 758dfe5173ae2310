#include "event/cents.h"

#include <cmath>
#include <limits>

namespace orderflow::event {

// x * 100 needs at most 53 + 7 significant bits, so a 64-bit long double mantissa holds it
// exactly; the comparison with the half below is then exact, as Python's correctly rounded
// round() is.
static_assert(std::numeric_limits<long double>::digits >= 60,
              "RoundToCents needs a long double that holds x * 100 exactly");

int64_t RoundToCents(double x) {
  const long double scaled = static_cast<long double>(x) * 100.0L;
  const long double floor = std::floor(scaled);
  const long double fraction = scaled - floor;
  auto cents = static_cast<int64_t>(floor);
  if (fraction > 0.5L || (fraction == 0.5L && (cents & 1) != 0)) ++cents;
  return cents;
}

int64_t UnitPriceCents(int64_t base_price_cents, double factor) {
  const double base_price = static_cast<double>(base_price_cents) / 100.0;
  return RoundToCents(base_price * factor);
}

int64_t TotalAmountCents(int quantity, int64_t unit_price_cents, int discount_pct) {
  const double unit_price = static_cast<double>(unit_price_cents) / 100.0;
  const double total = static_cast<double>(quantity) * unit_price *
                       (1.0 - static_cast<double>(discount_pct) / 100.0);
  return RoundToCents(total);
}

}  // namespace orderflow::event

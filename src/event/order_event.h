// The purchase event as the generator builds it and the encoder writes it (docs/event.md).
// Plain value type; string views point into the static catalogue, so an OrderEvent never owns
// memory and copying one is cheap.
#pragma once

#include <cstdint>
#include <string_view>

#include "event/cents.h"  // TotalAmountCents, as the generator computes total_amount

namespace orderflow::event {

// A local wall-clock time, broken down. weekday: 0 = Monday .. 6 = Sunday.
struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, weekday = 3;
};

// Breaks seconds since the epoch (already shifted to local time) into a CivilTime.
CivilTime ToCivil(int64_t local_epoch_seconds);

struct OrderEvent {
  char order_id[36] = {};  // UUID v4, not NUL-terminated
  std::string_view user_first, user_last;
  int item_index = 0;
  int quantity = 1;
  int64_t unit_price_cents = 0;
  int discount_pct = 0;
  int64_t total_amount_cents = 0;
  std::string_view payment_method;
  std::string_view sales_channel;
  std::string_view store_city;
  CivilTime purchase;
  int64_t event_time_ms = 0;

  std::string_view OrderId() const { return {order_id, sizeof(order_id)}; }
};

}  // namespace orderflow::event

#include "event/event_fields.h"

namespace orderflow::event {

int FindField(std::string_view name) {
  // Perfect dispatch on (length, first letter) for the 19 names; one compare confirms it.
  auto is = [&](int index) { return kFields[index].name == name ? index : -1; };
  if (name.empty()) return -1;
  switch (name.size()) {
    case 4:
      return name[0] == 'u' ? is(1) : is(2);  // user, item
    case 8:
      if (name[0] == 'o') return is(0);  // order_id
      if (name[0] == 'c') return is(3);  // category
      return is(4);                      // quantity
    case 10:
      if (name[0] == 'u') return is(5);   // unit_price
      if (name[0] == 's') return is(10);  // store_city
      return is(17);                      // is_weekend
    case 11:
      return name[0] == 'w' ? is(15) : is(16);  // weekday_num, hour_of_day
    case 12:
      if (name[0] == 'd') return is(6);  // discount_pct
      if (name[0] == 't') return is(7);  // total_amount
      return is(14);                     // weekday_name
    case 13:
      if (name[0] == 's') return is(9);                     // sales_channel
      if (name[0] == 'p' && name[9] == 'd') return is(12);  // purchase_date
      if (name[0] == 'p') return is(13);                    // purchase_time
      return is(18);                                        // event_time_ms
    case 14:
      return is(8);  // payment_method
    case 17:
      return is(11);  // purchase_datetime
    default:
      return -1;
  }
}

}  // namespace orderflow::event

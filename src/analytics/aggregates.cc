#include "analytics/aggregates.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/data_layout.h"
#include "event/catalogue.h"

namespace orderflow::analytics {
namespace {

void AddTo(Totals& t, int64_t quantity, int64_t cents) {
  ++t.orders;
  t.quantity += quantity;
  t.revenue_cents += cents;
}

void AddTo(Totals& t, const Totals& other) {
  t.orders += other.orders;
  t.quantity += other.quantity;
  t.revenue_cents += other.revenue_cents;
}

template <typename T>
T& Grown(std::vector<T>& v, int id) {
  if (static_cast<int>(v.size()) <= id) v.resize(id + 1);
  return v[id];
}

// Howard Hinnant's days_from_civil.
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::string_view DropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kUnknownItem:
      return "unknown_item";
    case DropReason::kBadQuantity:
      return "non_positive_or_missing_quantity";
    case DropReason::kBadUnitPrice:
      return "non_positive_or_missing_unit_price";
    case DropReason::kMissingWeekday:
      return "missing_weekday";
    case DropReason::kMissingTotal:
      return "missing_total_amount";
  }
  return "unknown";
}

int32_t ParseDay(std::string_view s) {
  // The processor's partition folders take the same dates (and no "2025-02-30"), so that a
  // report filtered by date reads the same rows from either layout.
  if (!data_layout::IsCalendarDate(s)) return kNoDay;
  int v[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (int i = 0; i < lens[f]; ++i) {
      const char c = s[starts[f] + i];
      if (c < '0' || c > '9') return kNoDay;
      v[f] = v[f] * 10 + (c - '0');
    }
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) return kNoDay;
  return DaysFromCivil(v[0], v[1], v[2]);
}

std::string FormatDay(int32_t z) {
  // Howard Hinnant's civil_from_days.
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

int ParseWeekday(std::string_view name) {
  for (size_t i = 0; i < event::kWeekdayNames.size(); ++i) {
    if (event::kWeekdayNames[i] == name) return static_cast<int>(i);
  }
  return -1;
}

void Aggregates::AddOrder(const OrderRow& row) {
  ++order_rows_;
  const int item = row.item.empty() ? -1 : event::FindItem(row.item);
  DropReason reason;
  int weekday = -1;
  if (item < 0) {
    reason = DropReason::kUnknownItem;
  } else if (!row.has_quantity || row.quantity <= 0) {
    reason = DropReason::kBadQuantity;
  } else if (!row.has_unit_price || !(row.unit_price > 0)) {
    reason = DropReason::kBadUnitPrice;
  } else if ((weekday = ParseWeekday(row.weekday_name)) < 0) {
    reason = DropReason::kMissingWeekday;
  } else if (!row.has_total || !std::isfinite(row.total_amount)) {
    reason = DropReason::kMissingTotal;
  } else {
    const int64_t cents = std::llround(row.total_amount * 100);
    const int64_t q = row.quantity;
    AddTo(total_, q, cents);
    AddTo(items_[item], q, cents);
    AddTo(item_weekday_[item][weekday], q, cents);
    if (row.hour >= 0) weekday_hour_cents_[weekday][row.hour] += cents;
    AddTo(Grown(category_totals_, categories_.Intern(row.category)), q, cents);
    AddTo(Grown(city_totals_, cities_.Intern(row.store_city)), q, cents);
    OrderValues(channels_.Intern(row.sales_channel), payments_.Intern(row.payment_method))
        .Add(cents);
    if (row.day != kNoDay) {
      DayTotals& day = Day(row.day);
      ++day.orders;
      day.revenue_cents += cents;
      day.item_quantity[item] += q;
      if (row.hour >= 0) {
        if (row.hour < day.min_hour) day.min_hour = row.hour;
        if (row.hour > day.max_hour) day.max_hour = row.hour;
      }
    }
    return;
  }
  ++dropped_[static_cast<int>(reason)];
}

void Aggregates::AddInvalid(std::string_view reason) {
  ++invalid_rows_;
  ++Grown(invalid_counts_, invalid_reasons_.Intern(reason));
}

ValueHistogram& Aggregates::OrderValues(int channel, int payment) {
  return Grown(Grown(order_values_, channel), payment);
}

const ValueHistogram* Aggregates::order_values(int channel, int payment) const {
  if (channel < 0 || channel >= static_cast<int>(order_values_.size())) return nullptr;
  const auto& row = order_values_[channel];
  if (payment < 0 || payment >= static_cast<int>(row.size()) || row[payment].count() == 0) {
    return nullptr;
  }
  return &row[payment];
}

DayTotals& Aggregates::Day(int32_t day) {
  if (day != last_day_ || last_day_totals_ == nullptr) {
    last_day_totals_ = &days_[day];  // unordered_map nodes never move
    last_day_ = day;
  }
  return *last_day_totals_;
}

void Aggregates::Merge(const Aggregates& o) {
  order_rows_ += o.order_rows_;
  AddTo(total_, o.total_);
  for (int r = 0; r < kDropReasonCount; ++r) dropped_[r] += o.dropped_[r];
  for (int i = 0; i < kItemCount; ++i) {
    AddTo(items_[i], o.items_[i]);
    for (int w = 0; w < kWeekdayCount; ++w) AddTo(item_weekday_[i][w], o.item_weekday_[i][w]);
  }
  for (int w = 0; w < kWeekdayCount; ++w) {
    for (int h = 0; h < kHourCount; ++h) weekday_hour_cents_[w][h] += o.weekday_hour_cents_[w][h];
  }
  for (int id = 0; id < o.categories_.size(); ++id) {
    AddTo(Grown(category_totals_, categories_.Intern(o.categories_.name(id))),
          o.category_totals_[id]);
  }
  for (int id = 0; id < o.cities_.size(); ++id) {
    AddTo(Grown(city_totals_, cities_.Intern(o.cities_.name(id))), o.city_totals_[id]);
  }
  for (int c = 0; c < static_cast<int>(o.order_values_.size()); ++c) {
    for (int p = 0; p < static_cast<int>(o.order_values_[c].size()); ++p) {
      const ValueHistogram& h = o.order_values_[c][p];
      if (h.count() == 0) continue;
      OrderValues(channels_.Intern(o.channels_.name(c)), payments_.Intern(o.payments_.name(p)))
          .Merge(h);
    }
  }
  for (const auto& [day, t] : o.days_) {
    DayTotals& d = Day(day);
    d.orders += t.orders;
    d.revenue_cents += t.revenue_cents;
    for (int i = 0; i < kItemCount; ++i) d.item_quantity[i] += t.item_quantity[i];
    d.min_hour = std::min(d.min_hour, t.min_hour);
    d.max_hour = std::max(d.max_hour, t.max_hour);
  }
  invalid_rows_ += o.invalid_rows_;
  for (int id = 0; id < o.invalid_reasons_.size(); ++id) {
    Grown(invalid_counts_, invalid_reasons_.Intern(o.invalid_reasons_.name(id))) +=
        o.invalid_counts_[id];
  }
}

}  // namespace orderflow::analytics

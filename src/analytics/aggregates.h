// Aggregates: everything `orderflow report` computes from the order and invalid-event rows,
// kept as exact integer sums (money in cents) so that per-thread partials merge without
// rounding. AddOrder applies the original batch job's cleaning first: item known (one of the
// catalogue's), quantity > 0, unit_price > 0, weekday present, total_amount present; a row
// that fails is counted under its first failing reason and contributes nothing else.
// One thread only; the scanner keeps one per worker and merges them.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analytics/dictionary.h"
#include "analytics/value_histogram.h"

namespace orderflow::analytics {

inline constexpr int kItemCount = 10;  // event::kItems
inline constexpr int kWeekdayCount = 7;
inline constexpr int kHourCount = 24;
inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();

// The fields of one order line the aggregations need, as the line parser found them. Views
// point into the parser's buffers and are valid until the next line is parsed.
struct OrderRow {
  bool has_quantity = false, has_unit_price = false, has_total = false;
  std::string_view item, category, payment_method, sales_channel, store_city, weekday_name;
  int64_t quantity = 0;
  double unit_price = 0;
  double total_amount = 0;
  int hour = -1;         // -1 when absent or out of 0..23
  int32_t day = kNoDay;  // purchase_date as days since 1970-01-01
};

// Why the cleaning step dropped a row (first failing check, in this order).
enum class DropReason { kUnknownItem, kBadQuantity, kBadUnitPrice, kMissingWeekday, kMissingTotal };
inline constexpr int kDropReasonCount = 5;
std::string_view DropReasonName(DropReason reason);

struct Totals {
  uint64_t orders = 0;
  int64_t quantity = 0;
  int64_t revenue_cents = 0;
};

struct DayTotals {
  uint64_t orders = 0;
  int64_t revenue_cents = 0;
  std::array<int64_t, kItemCount> item_quantity{};
  int min_hour = kHourCount, max_hour = -1;  // hours seen, to tell partial days
};

// Days since 1970-01-01 of a "YYYY-MM-DD" date, or kNoDay when it is not one (a day that does not
// exist, such as 2025-02-29, is not one: data_layout::IsCalendarDate).
int32_t ParseDay(std::string_view date);
// The "YYYY-MM-DD" form of a day number.
std::string FormatDay(int32_t day);
// 0 = Monday .. 6 = Sunday, or -1 for anything else.
int ParseWeekday(std::string_view name);

class Aggregates {
 public:
  Aggregates() = default;
  Aggregates(const Aggregates&) = delete;
  Aggregates& operator=(const Aggregates&) = delete;
  Aggregates(Aggregates&&) = default;
  Aggregates& operator=(Aggregates&&) = default;

  // One line of the orders input that parsed as a JSON object: cleaned, then aggregated.
  void AddOrder(const OrderRow& row);
  // One line of the invalid-events input that parsed as a JSON object; `reason` is its
  // invalid_reason ("unknown" when the field is absent).
  void AddInvalid(std::string_view reason);
  // Adds `other`'s counts to this (dictionaries are merged by name).
  void Merge(const Aggregates& other);

  // Rows read from the orders input (clean or not) and those kept by the cleaning.
  uint64_t order_rows() const { return order_rows_; }
  uint64_t clean_orders() const { return total_.orders; }
  const Totals& total() const { return total_; }
  const std::array<uint64_t, kDropReasonCount>& dropped() const { return dropped_; }

  const std::array<Totals, kItemCount>& items() const { return items_; }
  // [item][weekday]
  const std::array<std::array<Totals, kWeekdayCount>, kItemCount>& item_weekday() const {
    return item_weekday_;
  }
  // [weekday][hour] revenue in cents; rows without a valid hour are left out.
  const std::array<std::array<int64_t, kHourCount>, kWeekdayCount>& weekday_hour_cents() const {
    return weekday_hour_cents_;
  }
  const Dictionary& categories() const { return categories_; }
  const std::vector<Totals>& category_totals() const { return category_totals_; }
  const Dictionary& cities() const { return cities_; }
  const std::vector<Totals>& city_totals() const { return city_totals_; }
  const Dictionary& channels() const { return channels_; }
  const Dictionary& payments() const { return payments_; }
  // Order values of (channel, payment), or nullptr when the pair never occurred.
  const ValueHistogram* order_values(int channel, int payment) const;
  // Per purchase_date; rows without a valid date are left out.
  const std::unordered_map<int32_t, DayTotals>& days() const { return days_; }

  uint64_t invalid_rows() const { return invalid_rows_; }
  const Dictionary& invalid_reasons() const { return invalid_reasons_; }
  const std::vector<uint64_t>& invalid_counts() const { return invalid_counts_; }

 private:
  ValueHistogram& OrderValues(int channel, int payment);
  DayTotals& Day(int32_t day);

  uint64_t order_rows_ = 0;
  Totals total_;
  std::array<uint64_t, kDropReasonCount> dropped_{};
  std::array<Totals, kItemCount> items_{};
  std::array<std::array<Totals, kWeekdayCount>, kItemCount> item_weekday_{};
  std::array<std::array<int64_t, kHourCount>, kWeekdayCount> weekday_hour_cents_{};
  Dictionary categories_, cities_, channels_, payments_;
  std::vector<Totals> category_totals_, city_totals_;
  std::vector<std::vector<ValueHistogram>> order_values_;  // [channel][payment]
  std::unordered_map<int32_t, DayTotals> days_;
  int32_t last_day_ = kNoDay;
  DayTotals* last_day_totals_ = nullptr;
  uint64_t invalid_rows_ = 0;
  Dictionary invalid_reasons_;
  std::vector<uint64_t> invalid_counts_;
};

}  // namespace orderflow::analytics

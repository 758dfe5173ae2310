// Summary: the report's figures derived from the Aggregates, in currency units and sorted the
// way the charts and tables show them (items by revenue with their cumulative share, cities
// by revenue, box figures per channel and payment method). Pure function; the result is a
// plain value.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analytics/aggregates.h"
#include "analytics/value_histogram.h"

namespace orderflow::analytics {

struct NamedTotals {
  std::string name;
  uint64_t orders = 0;
  int64_t quantity = 0;
  double revenue = 0;
  double share = 0;             // of total revenue, 0..1
  double cumulative_share = 0;  // items only: running share in the listed (descending) order
};

struct ReasonCount {
  std::string reason;
  uint64_t count = 0;
  double share = 0;  // of all events read (orders + invalid), 0..1
};

struct BoxFigure {
  std::string channel, payment_method;
  BoxStats box;
};

struct DayFigure {
  std::string date;
  uint64_t orders = 0;
  double revenue = 0;
};

struct Summary {
  uint64_t orders = 0;  // after cleaning
  int64_t quantity = 0;
  double revenue = 0;
  double average_order_value = 0;
  uint64_t order_rows = 0, invalid_events = 0;
  double invalid_share = 0;                      // invalid / (order rows + invalid), 0..1
  std::vector<ReasonCount> invalid_by_reason;    // descending count
  std::vector<ReasonCount> dropped_by_cleaning;  // share of order rows; zero counts left out
  std::vector<NamedTotals> items;                // Pareto order: descending revenue
  std::vector<NamedTotals> categories;           // descending revenue
  std::vector<NamedTotals> top_cities;           // descending revenue, at most top_cities
  // [kItems index][weekday]
  std::array<std::array<int64_t, kWeekdayCount>, kItemCount> item_weekday_quantity{};
  std::array<std::array<double, kWeekdayCount>, kItemCount> item_weekday_revenue{};
  std::array<std::array<double, kHourCount>, kWeekdayCount> weekday_hour_revenue{};
  std::vector<std::string> channels, payment_methods;  // sorted by name
  std::vector<BoxFigure> boxes;  // channel-major, payment order as above; pairs with orders
  std::vector<DayFigure> days;   // every date seen, ascending
};

Summary Summarize(const Aggregates& aggregates, size_t top_cities = 10);

}  // namespace orderflow::analytics

// Demand forecast over the scanned orders: daily series per item (quantity) and in total
// (revenue), each run through ForecastSeries (Holt-Winters backtested against seasonal-naive).
// Pure function of the Aggregates; safe for concurrent use.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/aggregates.h"
#include "analytics/forecast.h"

namespace orderflow::analytics {

// Consecutive days from first_day, days without orders filled with zeros. The first and the
// last day are left out when they look partial (no order in hour 0, resp. hour 23: the
// generator's 28-day window and a processor still running both cut days in the middle).
struct DailySeries {
  int32_t first_day = kNoDay;
  std::vector<double> orders;
  std::vector<double> revenue;  // currency units
  std::array<std::vector<double>, kItemCount> item_quantity;
  bool dropped_partial_first = false, dropped_partial_last = false;

  size_t days() const { return orders.size(); }
};
DailySeries BuildDailySeries(const Aggregates& aggregates);

struct DemandForecast {
  DailySeries series;
  // Per item (kItems order) and for total revenue; nullopt when the history is too short, with
  // the reason in `note`.
  std::array<std::optional<SeriesForecast>, kItemCount> items;
  std::optional<SeriesForecast> revenue;
  std::string note;

  // Mean backtest errors over the items that have a forecast.
  ForecastErrors MeanModelErrors() const;
  ForecastErrors MeanNaiveErrors() const;
};
DemandForecast ForecastDemand(const Aggregates& aggregates);

}  // namespace orderflow::analytics

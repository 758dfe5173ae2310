#include "analytics/demand_forecast.h"

#include <algorithm>

namespace orderflow::analytics {

DailySeries BuildDailySeries(const Aggregates& aggregates) {
  DailySeries series;
  const auto& days = aggregates.days();
  if (days.empty()) return series;
  int32_t first = std::numeric_limits<int32_t>::max(), last = std::numeric_limits<int32_t>::min();
  for (const auto& [day, totals] : days) {
    first = std::min(first, day);
    last = std::max(last, day);
  }
  if (last > first) {
    if (days.at(first).min_hour > 0) {
      ++first;
      series.dropped_partial_first = true;
    }
    if (days.at(last).max_hour < kHourCount - 1) {
      --last;
      series.dropped_partial_last = true;
    }
  }
  if (last < first) return series;
  series.first_day = first;
  const auto n = static_cast<size_t>(last - first + 1);
  series.orders.assign(n, 0);
  series.revenue.assign(n, 0);
  for (auto& q : series.item_quantity) q.assign(n, 0);
  for (const auto& [day, totals] : days) {
    if (day < first || day > last) continue;
    const auto i = static_cast<size_t>(day - first);
    series.orders[i] = static_cast<double>(totals.orders);
    series.revenue[i] = static_cast<double>(totals.revenue_cents) / 100;
    for (int item = 0; item < kItemCount; ++item) {
      series.item_quantity[item][i] = static_cast<double>(totals.item_quantity[item]);
    }
  }
  return series;
}

DemandForecast ForecastDemand(const Aggregates& aggregates) {
  DemandForecast out;
  out.series = BuildDailySeries(aggregates);
  auto revenue = ForecastSeries(out.series.revenue);
  if (!revenue.ok()) {
    out.note = revenue.status().message();
    return out;
  }
  out.revenue = std::move(*revenue);
  for (int item = 0; item < kItemCount; ++item) {
    auto f = ForecastSeries(out.series.item_quantity[item]);
    if (f.ok()) out.items[item] = std::move(*f);
  }
  return out;
}

namespace {

ForecastErrors MeanErrors(const DemandForecast& f, bool model) {
  ForecastErrors sum;
  int n = 0;
  for (const auto& item : f.items) {
    if (!item) continue;
    const ForecastErrors& e = model ? item->model_errors : item->naive_errors;
    sum.smape += e.smape;
    sum.mape += e.mape;
    ++n;
  }
  if (n > 0) {
    sum.smape /= n;
    sum.mape /= n;
  }
  return sum;
}

}  // namespace

ForecastErrors DemandForecast::MeanModelErrors() const { return MeanErrors(*this, true); }
ForecastErrors DemandForecast::MeanNaiveErrors() const { return MeanErrors(*this, false); }

}  // namespace orderflow::analytics

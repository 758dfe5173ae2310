#include "analytics/summary.h"

#include <algorithm>
#include <map>

#include "event/catalogue.h"

namespace orderflow::analytics {
namespace {

double Money(int64_t cents) { return static_cast<double>(cents) / 100; }

double Share(double part, double whole) { return whole > 0 ? part / whole : 0; }

NamedTotals Named(std::string name, const Totals& t, double total_revenue) {
  NamedTotals n;
  n.name = std::move(name);
  n.orders = t.orders;
  n.quantity = t.quantity;
  n.revenue = Money(t.revenue_cents);
  n.share = Share(n.revenue, total_revenue);
  return n;
}

// Descending revenue, ties by name, so that the order never depends on thread timing.
void SortByRevenue(std::vector<NamedTotals>& v) {
  std::sort(v.begin(), v.end(), [](const NamedTotals& a, const NamedTotals& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.name < b.name;
  });
}

std::string Label(const std::string& name) { return name.empty() ? "(missing)" : name; }

}  // namespace

Summary Summarize(const Aggregates& a, size_t top_cities) {
  Summary s;
  s.orders = a.clean_orders();
  s.quantity = a.total().quantity;
  s.revenue = Money(a.total().revenue_cents);
  s.average_order_value = s.orders > 0 ? s.revenue / static_cast<double>(s.orders) : 0;
  s.order_rows = a.order_rows();
  s.invalid_events = a.invalid_rows();
  const double events = static_cast<double>(s.order_rows + s.invalid_events);
  s.invalid_share = Share(static_cast<double>(s.invalid_events), events);
  for (int id = 0; id < a.invalid_reasons().size(); ++id) {
    const uint64_t n = a.invalid_counts()[id];
    s.invalid_by_reason.push_back(
        {Label(a.invalid_reasons().name(id)), n, Share(static_cast<double>(n), events)});
  }
  std::sort(s.invalid_by_reason.begin(), s.invalid_by_reason.end(),
            [](const ReasonCount& x, const ReasonCount& y) {
              return x.count != y.count ? x.count > y.count : x.reason < y.reason;
            });
  for (int r = 0; r < kDropReasonCount; ++r) {
    const uint64_t n = a.dropped()[r];
    if (n == 0) continue;
    s.dropped_by_cleaning.push_back(
        {std::string(DropReasonName(static_cast<DropReason>(r))), n,
         Share(static_cast<double>(n), static_cast<double>(s.order_rows))});
  }

  for (int i = 0; i < kItemCount; ++i) {
    if (a.items()[i].orders == 0) continue;
    s.items.push_back(Named(std::string(event::kItems[i].name), a.items()[i], s.revenue));
  }
  SortByRevenue(s.items);
  double cumulative = 0;
  for (NamedTotals& item : s.items) item.cumulative_share = (cumulative += item.share);

  for (int id = 0; id < a.categories().size(); ++id) {
    s.categories.push_back(
        Named(Label(a.categories().name(id)), a.category_totals()[id], s.revenue));
  }
  SortByRevenue(s.categories);
  for (int id = 0; id < a.cities().size(); ++id) {
    s.top_cities.push_back(Named(Label(a.cities().name(id)), a.city_totals()[id], s.revenue));
  }
  SortByRevenue(s.top_cities);
  if (s.top_cities.size() > top_cities) s.top_cities.resize(top_cities);

  for (int i = 0; i < kItemCount; ++i) {
    for (int w = 0; w < kWeekdayCount; ++w) {
      s.item_weekday_quantity[i][w] = a.item_weekday()[i][w].quantity;
      s.item_weekday_revenue[i][w] = Money(a.item_weekday()[i][w].revenue_cents);
    }
  }
  for (int w = 0; w < kWeekdayCount; ++w) {
    for (int h = 0; h < kHourCount; ++h)
      s.weekday_hour_revenue[w][h] = Money(a.weekday_hour_cents()[w][h]);
  }

  std::map<std::string, int> channels, payments;  // sorted label -> id
  for (int c = 0; c < a.channels().size(); ++c) channels[Label(a.channels().name(c))] = c;
  for (int p = 0; p < a.payments().size(); ++p) payments[Label(a.payments().name(p))] = p;
  for (const auto& [name, id] : channels) s.channels.push_back(name);
  for (const auto& [name, id] : payments) s.payment_methods.push_back(name);
  for (const auto& [channel, c] : channels) {
    for (const auto& [payment, p] : payments) {
      const ValueHistogram* h = a.order_values(c, p);
      if (h != nullptr) s.boxes.push_back({channel, payment, h->Box()});
    }
  }

  std::map<int32_t, const DayTotals*> days;
  for (const auto& [day, totals] : a.days()) days[day] = &totals;
  for (const auto& [day, totals] : days) {
    s.days.push_back({FormatDay(day), totals->orders, Money(totals->revenue_cents)});
  }
  return s;
}

}  // namespace orderflow::analytics

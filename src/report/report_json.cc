#include "report/report_json.h"

#include <cmath>

#include "event/catalogue.h"

namespace orderflow::report {
namespace {

using nlohmann::json;

double Cents(double v) { return std::round(v * 100) / 100; }
double Ratio(double v) { return std::round(v * 1e6) / 1e6; }

json Named(const std::vector<analytics::NamedTotals>& list, bool cumulative) {
  json out = json::array();
  for (const auto& n : list) {
    json j = {{"name", n.name},
              {"orders", n.orders},
              {"quantity", n.quantity},
              {"revenue", Cents(n.revenue)},
              {"share", Ratio(n.share)}};
    if (cumulative) j["cumulative_share"] = Ratio(n.cumulative_share);
    out.push_back(std::move(j));
  }
  return out;
}

json Reasons(const std::vector<analytics::ReasonCount>& list) {
  json out = json::array();
  for (const auto& r : list) {
    out.push_back({{"reason", r.reason}, {"count", r.count}, {"share", Ratio(r.share)}});
  }
  return out;
}

json Errors(const analytics::ForecastErrors& e) {
  return {{"smape_pct", Cents(e.smape)}, {"mape_pct", Cents(e.mape)}};
}

json Values(const std::vector<double>& v) {
  json out = json::array();
  for (double x : v) out.push_back(Cents(x));
  return out;
}

json SeriesJson(const analytics::SeriesForecast& f, int32_t end_day) {
  json backtest_dates = json::array(), next = json::array();
  const auto n = static_cast<int32_t>(f.backtest_actual.size());
  for (int32_t i = 0; i < n; ++i) backtest_dates.push_back(analytics::FormatDay(end_day - n + i));
  for (size_t h = 0; h < f.next.size(); ++h) {
    next.push_back({{"date", analytics::FormatDay(end_day + static_cast<int32_t>(h))},
                    {"mean", Cents(f.next[h].mean)},
                    {"lower", Cents(f.next[h].lower)},
                    {"upper", Cents(f.next[h].upper)}});
  }
  return {{"model", "holt_winters_additive_weekly"},
          {"params",
           {{"alpha", Ratio(f.params.alpha)},
            {"beta", Ratio(f.params.beta)},
            {"gamma", Ratio(f.params.gamma)}}},
          {"backtest",
           {{"dates", backtest_dates},
            {"actual", Values(f.backtest_actual)},
            {"model", Values(f.backtest_model)},
            {"seasonal_naive", Values(f.backtest_naive)},
            {"model_errors", Errors(f.model_errors)},
            {"seasonal_naive_errors", Errors(f.naive_errors)}}},
          {"next_7_days", next},
          {"interval", "95% prediction interval"}};
}

// A raw JSON value of a rejected event as JSON (null when the field was absent).
json RawValue(const std::string& raw) {
  if (raw.empty()) return nullptr;
  json value = json::parse(raw, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? json(raw) : value;
}

json Rejected(const std::vector<analytics::RejectedEvent>& events) {
  json out = json::array();
  for (const auto& e : events) {
    json j = {{"invalid_reason", e.invalid_reason}};
    for (size_t i = 0; i < analytics::kRejectedFields.size(); ++i) {
      j[std::string(analytics::kRejectedFields[i])] = RawValue(e.raw[i]);
    }
    j["json_str"] = e.json_str;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

json BuildReportJson(const ReportInput& in, const std::vector<std::string>& charts) {
  const auto& s = in.summary;
  const auto& stats = in.stats;
  json j;
  j["generated_at"] = in.generated_at;
  j["currency"] = "PLN";
  // No clean order yet: the figures below are zero and there are no charts.
  j["no_data"] = s.orders == 0;
  j["scan"] = {{"orders_dir", in.orders_dir},
               {"invalid_dir", in.invalid_dir},
               {"files", stats.files()},
               {"order_files", stats.order_files},
               {"invalid_files", stats.invalid_files},
               {"bytes", stats.bytes},
               {"rows", stats.rows()},
               {"order_rows", stats.order_rows},
               {"invalid_rows", stats.invalid_rows},
               {"bad_lines", stats.bad_lines()},
               {"bad_order_lines", stats.bad_order_lines},
               {"bad_invalid_lines", stats.bad_invalid_lines},
               {"threads", stats.threads},
               {"elapsed_s", std::round(stats.elapsed_s * 1e4) / 1e4},
               {"scan_gbps", std::round(stats.gbps() * 1e3) / 1e3}};
  j["kpis"] = {{"orders", s.orders},
               {"revenue", Cents(s.revenue)},
               {"average_order_value", Cents(s.average_order_value)},
               {"quantity", s.quantity},
               {"order_rows", s.order_rows},
               {"invalid_events", s.invalid_events},
               {"invalid_share", Ratio(s.invalid_share)},
               {"invalid_by_reason", Reasons(s.invalid_by_reason)},
               {"dropped_by_cleaning", Reasons(s.dropped_by_cleaning)}};
  j["items"] = Named(s.items, true);
  j["categories"] = Named(s.categories, false);
  j["top_cities"] = Named(s.top_cities, false);

  json weekdays = json::array();
  for (auto name : event::kWeekdayNames) weekdays.push_back(name);
  json items = json::object();
  for (int i = 0; i < analytics::kItemCount; ++i) {
    json q = json::array(), r = json::array();
    for (int w = 0; w < analytics::kWeekdayCount; ++w) {
      q.push_back(s.item_weekday_quantity[i][w]);
      r.push_back(Cents(s.item_weekday_revenue[i][w]));
    }
    items[std::string(event::kItems[i].name)] = {{"quantity", q}, {"revenue", r}};
  }
  j["item_weekday"] = {{"weekdays", weekdays}, {"items", items}};
  json heat = json::object();
  for (int w = 0; w < analytics::kWeekdayCount; ++w) {
    json hours = json::array();
    for (int h = 0; h < analytics::kHourCount; ++h)
      hours.push_back(Cents(s.weekday_hour_revenue[w][h]));
    heat[std::string(event::kWeekdayNames[w])] = hours;
  }
  j["weekday_hour_revenue"] = heat;

  json boxes = json::array();
  for (const auto& b : s.boxes) {
    boxes.push_back({{"sales_channel", b.channel},
                     {"payment_method", b.payment_method},
                     {"count", b.box.count},
                     {"mean", Cents(b.box.mean)},
                     {"min", Cents(b.box.min)},
                     {"whisker_low", Cents(b.box.whisker_low)},
                     {"q1", Cents(b.box.q1)},
                     {"median", Cents(b.box.median)},
                     {"q3", Cents(b.box.q3)},
                     {"whisker_high", Cents(b.box.whisker_high)},
                     {"max", Cents(b.box.max)},
                     {"outliers", b.box.outliers}});
  }
  j["order_value_by_channel_payment"] = boxes;
  json days = json::array();
  for (const auto& d : s.days) {
    days.push_back({{"date", d.date}, {"orders", d.orders}, {"revenue", Cents(d.revenue)}});
  }
  j["revenue_per_day"] = days;

  const auto& f = in.forecast;
  const int32_t end_day = f.series.first_day + static_cast<int32_t>(f.series.days());
  json forecast = {{"history_days", f.series.days()},
                   {"dropped_partial_first_day", f.series.dropped_partial_first},
                   {"dropped_partial_last_day", f.series.dropped_partial_last}};
  if (f.series.days() > 0) {
    forecast["history_from"] = analytics::FormatDay(f.series.first_day);
    forecast["history_to"] = analytics::FormatDay(end_day - 1);
  }
  if (!f.note.empty()) forecast["note"] = f.note;
  if (f.revenue) forecast["revenue"] = SeriesJson(*f.revenue, end_day);
  json item_forecasts = json::object();
  for (int i = 0; i < analytics::kItemCount; ++i) {
    if (f.items[i])
      item_forecasts[std::string(event::kItems[i].name)] = SeriesJson(*f.items[i], end_day);
  }
  forecast["item_quantity"] = item_forecasts;
  forecast["mean_item_backtest"] = {{"model", Errors(f.MeanModelErrors())},
                                    {"seasonal_naive", Errors(f.MeanNaiveErrors())}};
  j["forecast"] = forecast;
  j["charts"] = charts;
  j["rejected_sample"] = Rejected(in.rejected);
  return j;
}

}  // namespace orderflow::report

#include "report/report_html.h"

#include <fmt/format.h>

#include <iterator>

#include "event/catalogue.h"
#include "event/json_writer.h"

namespace orderflow::report {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// 1234567.891 -> "1 234 567.89" (thin spaces between thousands).
std::string Money(double v) {
  std::string digits = fmt::format("{:.2f}", v);
  const size_t dot = digits.find('.');
  const size_t start = digits[0] == '-' ? 1 : 0;
  std::string out = digits.substr(dot);
  for (size_t i = dot, n = 0; i > start; --i, ++n) {
    if (n > 0 && n % 3 == 0) out.insert(0, "\u2009");
    out.insert(0, 1, digits[i - 1]);
  }
  return (start ? "-" : "") + out;
}

std::string Count(uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u2009";
    out += digits[i];
  }
  return out;
}

std::string Pct(double share) { return fmt::format("{:.2f}%", 100 * share); }

// At most kMaxShown bytes of `text`, cut on a UTF-8 character boundary, with an ellipsis when
// something was left out.
std::string Shorten(std::string_view text) {
  constexpr size_t kMaxShown = 60;
  if (text.size() <= kMaxShown) return std::string(text);
  size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\u2026";
}

// A raw JSON value of a rejected event as a table cell: strings of the string columns without
// their quotes, every other value as sent (so "3" in the quantity column shows its wrong type),
// null for an absent field.
std::string RawCell(std::string_view raw, bool string_column) {
  if (raw.empty()) return "<td class=\"null\">null</td>";
  if (string_column && raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    raw = raw.substr(1, raw.size() - 2);
  }
  return "<td>" + Escape(Shorten(raw)) + "</td>";
}

// Invalid events by reason, and the rows the cleaning step dropped.
void InvalidSection(const ReportInput& in, std::string& h) {
  const auto& s = in.summary;
  auto out = std::back_inserter(h);
  h += "<section><h2>Invalid share by reason</h2><table><tr><th>invalid_reason</th><th>Events</th>"
       "<th>Share of all events</th></tr>";
  for (const auto& r : s.invalid_by_reason) {
    fmt::format_to(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(r.reason),
                   Count(r.count), Pct(r.share));
  }
  fmt::format_to(out, "<tr><th>all invalid</th><th>{}</th><th>{}</th></tr></table>",
                 Count(s.invalid_events), Pct(s.invalid_share));
  if (!s.dropped_by_cleaning.empty()) {
    h += "<p class=\"note\">Rows of the orders input dropped by the cleaning step: ";
    for (size_t i = 0; i < s.dropped_by_cleaning.size(); ++i) {
      const auto& r = s.dropped_by_cleaning[i];
      fmt::format_to(out, "{}{} {} ({})", i ? ", " : "", Escape(r.reason), Count(r.count),
                     Pct(r.share));
    }
    h += ".</p>";
  }
  h += "</section>\n";
}

// The first rejected events, with the columns of the original notebook's table.
void RejectedSection(const ReportInput& in, std::string& h) {
  auto out = std::back_inserter(h);
  fmt::format_to(out, "<section id=\"rejected\"><h2>Rejected events (first {} of {})</h2>",
                 in.rejected.size(), Count(in.summary.invalid_events));
  if (in.rejected.empty()) {
    fmt::format_to(out, "<p class=\"note\">No invalid events in {}.</p></section>\n",
                   Escape(in.invalid_dir));
    return;
  }
  h += "<table class=\"rejected\"><tr><th>invalid_reason</th><th>order_id</th><th>item</th>"
       "<th>quantity</th><th>unit_price</th><th>json_str</th><th>event_time_ms</th></tr>";
  for (const analytics::RejectedEvent& e : in.rejected) {
    fmt::format_to(out, "<tr><td>{}</td>{}{}{}{}<td class=\"raw\">{}</td>{}</tr>",
                   Escape(e.invalid_reason), RawCell(e.raw[0], true), RawCell(e.raw[1], true),
                   RawCell(e.raw[2], false), RawCell(e.raw[3], false), Escape(Shorten(e.json_str)),
                   RawCell(e.raw[4], false));
  }
  fmt::format_to(out,
                 "</table><p class=\"note\">In the order of the files in {}; json_str is "
                 "shortened here, report.json has it in full.</p></section>\n",
                 Escape(in.invalid_dir));
}

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;background:#f6f7f9;color:#222}
header{background:#24324a;color:#fff;padding:18px 32px}header h1{margin:0;font-size:26px}
header p{margin:4px 0 0;color:#cfd7e6;font-size:14px}main{padding:16px 32px;max-width:1300px}
.kpis{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0 20px}
.kpi{background:#fff;border-radius:8px;padding:14px 18px;min-width:170px;box-shadow:0 1px 3px #0002}
.kpi b{display:block;font-size:24px;margin-top:4px}.kpi span{color:#666;font-size:13px}
section{background:#fff;border-radius:8px;padding:14px 20px;margin:0 0 20px;box-shadow:0 1px 3px #0002}
h2{font-size:19px;margin:4px 0 12px}figure{margin:0 0 18px}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:13px;color:#555}table{border-collapse:collapse;font-size:14px;margin-bottom:10px}
th,td{padding:5px 10px;border-bottom:1px solid #e3e3e3;text-align:right}th{background:#eef1f5}
td:first-child,th:first-child{text-align:left}.better{color:#1a7f37;font-weight:bold}.note{color:#666;font-size:13px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:20px}
table.rejected td,table.rejected th{text-align:left}td.raw{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
td.null{color:#999}.nodata{font-size:17px}
)";

}  // namespace

std::string BuildReportHtml(const ReportInput& in, const std::vector<Chart>& charts) {
  const auto& s = in.summary;
  const auto& st = in.stats;
  std::string h;
  auto out = std::back_inserter(h);
  fmt::format_to(out,
                 "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<title>orderflow report</title><style>{}</style></head><body>\n"
                 "<header><h1>orderflow report</h1><p>Generated {} from {} ({} files, {} MB, "
                 "{} orders read, {} invalid events, {} damaged lines) in {:.2f} s at "
                 "{:.2f} GB/s</p></header><main>\n",
                 kStyle, Escape(in.generated_at), Escape(in.orders_dir), st.files(),
                 Count(st.bytes / 1000000), Count(st.order_rows), Count(st.invalid_rows),
                 Count(st.bad_lines()), st.elapsed_s, st.gbps());
  if (s.orders == 0) {
    // Nothing to chart yet: the original printed a notice per chart; we say it once.
    fmt::format_to(out,
                   "<section id=\"no-data\"><h2>No data yet</h2><p class=\"nodata\">There is "
                   "no valid order in {} yet ({} files, {} rows read, {} dropped by the cleaning "
                   "step), so there are no charts and no forecast. Run <code>orderflow "
                   "process</code> while <code>orderflow produce</code> sends events, then "
                   "<code>orderflow report</code> again.</p></section>\n",
                   Escape(in.orders_dir), st.order_files, Count(st.order_rows),
                   Count(s.order_rows - s.orders));
    if (s.invalid_events > 0) InvalidSection(in, h);
    RejectedSection(in, h);
    h += "<p class=\"note\">The same figures are in report.json.</p></main></body></html>\n";
    return h;
  }

  h += "<div class=\"kpis\">";
  auto kpi = [&](std::string_view label, const std::string& value) {
    fmt::format_to(out, "<div class=\"kpi\"><span>{}</span><b>{}</b></div>", label, value);
  };
  kpi("Orders (after cleaning)", Count(s.orders));
  kpi("Revenue (PLN)", Money(s.revenue));
  kpi("Average order value (PLN)", Money(s.average_order_value));
  kpi("Units sold", Count(static_cast<uint64_t>(s.quantity)));
  kpi("Invalid events", fmt::format("{} ({})", Count(s.invalid_events), Pct(s.invalid_share)));
  h += "</div>\n";

  InvalidSection(in, h);
  h += "<section><h2>Charts</h2>\n";
  for (const Chart& chart : charts) {
    std::string base64;
    event::AppendBase64(base64, chart.png);
    fmt::format_to(out,
                   "<figure id=\"{0}\"><img src=\"data:image/png;base64,{1}\" alt=\"{2}\" "
                   "width=\"{3}\" height=\"{4}\"><figcaption>{2} &middot; <a href=\"{0}\">{0}</a>"
                   "</figcaption></figure>\n",
                   Escape(chart.file_name), base64, Escape(chart.title), kChartWidth, kChartHeight);
  }
  h += "</section>\n<section class=\"grid\"><div><h2>Top products</h2><table><tr><th>Item</th>"
       "<th>Orders</th><th>Units</th><th>Revenue (PLN)</th><th>Share</th><th>Cumulative</th></tr>";
  for (const auto& item : s.items) {
    fmt::format_to(
        out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        Escape(item.name), Count(item.orders), Count(static_cast<uint64_t>(item.quantity)),
        Money(item.revenue), Pct(item.share), Pct(item.cumulative_share));
  }
  h += "</table></div><div><h2>Categories</h2><table><tr><th>Category</th><th>Orders</th>"
       "<th>Revenue (PLN)</th><th>Share</th></tr>";
  for (const auto& c : s.categories) {
    fmt::format_to(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(c.name),
                   Count(c.orders), Money(c.revenue), Pct(c.share));
  }
  h += "</table><h2>Top cities</h2><table><tr><th>City</th><th>Orders</th><th>Revenue (PLN)</th>"
       "<th>Share</th></tr>";
  for (const auto& c : s.top_cities) {
    fmt::format_to(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(c.name),
                   Count(c.orders), Money(c.revenue), Pct(c.share));
  }
  h += "</table></div></section>\n";

  // Forecast: per item demand for the next 7 days and the backtest against seasonal-naive.
  const auto& f = in.forecast;
  h += "<section><h2>Demand forecast, next 7 days</h2>";
  if (!f.note.empty())
    fmt::format_to(out, "<p class=\"note\">No forecast: {}.</p>", Escape(f.note));
  if (f.series.days() > 0) {
    fmt::format_to(
        out,
        "<p class=\"note\">Holt-Winters (additive, weekly seasonality) per item on daily "
        "quantity, {} full days from {} to {}; backtest: fitted without the last 7 days, "
        "then compared with them, next to the seasonal-naive forecast (same weekday last "
        "week). Interval: 95% prediction interval.</p>",
        f.series.days(), analytics::FormatDay(f.series.first_day),
        analytics::FormatDay(f.series.first_day + static_cast<int32_t>(f.series.days()) - 1));
  }
  h += "<table><tr><th>Item</th><th>Units, next 7 days</th><th>Daily range (95%)</th>"
       "<th>sMAPE model</th><th>sMAPE seasonal-naive</th><th>MAPE model</th>"
       "<th>MAPE seasonal-naive</th></tr>";
  auto better = [](double model, double naive) {
    return fmt::format("<td{}>{:.1f}%</td>", model < naive ? " class=\"better\"" : "", model);
  };
  for (int i = 0; i < analytics::kItemCount; ++i) {
    if (!f.items[i]) continue;
    const auto& item = *f.items[i];
    double total = 0, low = item.next[0].lower, high = item.next[0].upper;
    for (const auto& p : item.next) {
      total += p.mean;
      low = std::min(low, p.lower);
      high = std::max(high, p.upper);
    }
    fmt::format_to(out,
                   "<tr><td>{}</td><td>{:.0f}</td><td>{:.0f} &ndash; "
                   "{:.0f}</td>{}<td>{:.1f}%</td>{}<td>{:.1f}%</td></tr>",
                   event::kItems[i].name, total, low, high,
                   better(item.model_errors.smape, item.naive_errors.smape),
                   item.naive_errors.smape, better(item.model_errors.mape, item.naive_errors.mape),
                   item.naive_errors.mape);
  }
  const auto model = f.MeanModelErrors(), naive = f.MeanNaiveErrors();
  fmt::format_to(out,
                 "<tr><th>mean over items</th><th></th><th></th><th>{:.1f}%</th><th>{:.1f}%</th>"
                 "<th>{:.1f}%</th><th>{:.1f}%</th></tr></table>",
                 model.smape, naive.smape, model.mape, naive.mape);
  if (f.revenue) {
    const int32_t end = f.series.first_day + static_cast<int32_t>(f.series.days());
    h += "<h2>Revenue forecast</h2><table><tr><th>Date</th><th>Forecast (PLN)</th>"
         "<th>Lower 95%</th><th>Upper 95%</th></tr>";
    for (size_t d = 0; d < f.revenue->next.size(); ++d) {
      const auto& p = f.revenue->next[d];
      fmt::format_to(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                     analytics::FormatDay(end + static_cast<int32_t>(d)), Money(p.mean),
                     Money(p.lower), Money(p.upper));
    }
    fmt::format_to(out,
                   "</table><p class=\"note\">Revenue backtest on the last 7 days: sMAPE {:.1f}% "
                   "(seasonal-naive {:.1f}%), MAPE {:.1f}% (seasonal-naive {:.1f}%).</p>",
                   f.revenue->model_errors.smape, f.revenue->naive_errors.smape,
                   f.revenue->model_errors.mape, f.revenue->naive_errors.mape);
  }
  h += "</section>\n";
  RejectedSection(in, h);
  h += "<p class=\"note\">The same figures are in report.json.</p></main></body></html>\n";
  return h;
}

}  // namespace orderflow::report

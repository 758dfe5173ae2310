#include "report/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "event/catalogue.h"
#include "report/gnuplot.h"

namespace orderflow::report {
namespace {

using analytics::DemandForecast;
using analytics::Summary;

constexpr const char* k3d = "orders_3d_item_weekday.png";
constexpr const char* kHeatmap = "orders_revenue_heatmap_weekday_hour.png";
constexpr const char* kPareto = "orders_pareto_revenue_item.png";
constexpr const char* kBoxplot = "orders_boxplot_channel_payment.png";
constexpr const char* kInvalid = "invalid_events_by_reason.png";
constexpr const char* kForecast = "revenue_per_day_forecast.png";

// Seaborn's "deep" palette: the original charts' colours.
constexpr const char* kColours[] = {"#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3",
                                    "#937860", "#DA8BC3", "#8C8C8C", "#CCB974", "#64B5CD"};

// A gnuplot string expression: single-quoted pieces (no escapes inside except '' for '), with
// line breaks joined in as "\n".
std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\n') {
      out += "'.\"\\n\".'";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out + "'";
}

// The 3D chart's palette (viridis, light to dark), as gnuplot interpolates it: linearly in RGB
// between the stops. The bars get their colour from C++ (gnuplot's 3D boxes cannot take a
// palette value per bar), the colour box from gnuplot: both use these stops.
constexpr double kStops[4] = {0, 1.0 / 3, 2.0 / 3, 1};
constexpr uint32_t kStopRgb[4] = {0xFDE725, 0x35B779, 0x31688E, 0x440154};

uint32_t PaletteRgb(double t) {
  t = std::clamp(t, 0.0, 1.0);
  int i = 0;
  while (i < 2 && t > kStops[i + 1]) ++i;
  const double f = (t - kStops[i]) / (kStops[i + 1] - kStops[i]);
  uint32_t rgb = 0;
  for (int shift = 16; shift >= 0; shift -= 8) {
    const double a = (kStopRgb[i] >> shift) & 0xFF, b = (kStopRgb[i + 1] >> shift) & 0xFF;
    rgb |= static_cast<uint32_t>(std::lround(a + (b - a) * f)) << shift;
  }
  return rgb;
}

std::string PaletteDefinition() {
  std::string out = "set palette defined (";
  for (int i = 0; i < 4; ++i) {
    fmt::format_to(std::back_inserter(out), "{}{:.4f} '#{:06X}'", i ? ", " : "", kStops[i],
                   kStopRgb[i]);
  }
  return out + ")";
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IoError(fmt::format("cannot write {}", path));
  return Status::Ok();
}

Result<std::string> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("gnuplot did not write {}", path));
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Collects data files and one gnuplot script drawing every chart.
class Script {
 public:
  explicit Script(std::string dir) : dir_(std::move(dir)) {}

  // Starts a chart: resets gnuplot's state, sets the terminal, output and title.
  void Begin(const char* file_name, const std::string& title) {
    fmt::format_to(std::back_inserter(text_),
                   "reset\nset terminal pngcairo size {},{} noenhanced font 'DejaVu Sans,13' "
                   "linewidth 1.3\nset output {}\nset title {} font 'DejaVu Sans Bold,16'\n",
                   kChartWidth, kChartHeight, Quote(Path(file_name)), Quote(title));
  }
  void Line(const std::string& line) {
    text_ += line;
    text_ += '\n';
  }
  // Writes a data file; returns its quoted path for the plot command.
  Result<std::string> Data(const std::string& name, const std::string& content) {
    const std::string path = Path(name);
    if (Status s = WriteText(path, content); !s.ok()) return s;
    return Quote(path);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  const std::string& text() const { return text_; }

 private:
  std::string dir_;
  std::string text_;
};

std::string WeekdayTics(bool full_names) {
  std::string tics = "(";
  for (int w = 0; w < 7; ++w) {
    const std::string_view name = event::kWeekdayNames[w];
    fmt::format_to(std::back_inserter(tics), "{}{} {}", w ? ", " : "",
                   Quote(full_names ? name : name.substr(0, 3)), w);
  }
  return tics + ")";
}

Status ItemWeekday3d(const Summary& s, Script& script) {
  // Items in descending revenue order (the Pareto order) from front to back.
  std::vector<int> order;
  for (const auto& item : s.items) order.push_back(event::FindItem(item.name));
  for (int i = 0; i < analytics::kItemCount; ++i) {
    if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
  }
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (const auto& row : s.item_weekday_revenue) {
    for (double r : row) {
      low = std::min(low, r);
      high = std::max(high, r);
    }
  }
  if (!(high > low)) high = low + 1;
  std::string data, tics = "(";
  for (size_t x = 0; x < order.size(); ++x) {
    const int item = order[x];
    fmt::format_to(std::back_inserter(tics), "{}{} {}", x ? ", " : "",
                   Quote(event::kItems[item].name), x);
    for (int w = 0; w < 7; ++w) {
      const double revenue = s.item_weekday_revenue[item][w];
      fmt::format_to(std::back_inserter(data), "{} {} {} {:.2f} {}\n", x, w,
                     s.item_weekday_quantity[item][w], revenue,
                     PaletteRgb((revenue - low) / (high - low)));
    }
  }
  auto file = script.Data("item_weekday.dat", data);
  if (!file.ok()) return file.status();
  script.Begin(k3d, "Quantity sold by item and weekday (bar colour: revenue)");
  script.Line(fmt::format("set xtics {} rotate by 35 right offset 0,-0.3 font ',12'", tics + ")"));
  script.Line(fmt::format("set ytics {} font ',12' offset 1,-0.5", WeekdayTics(false)));
  script.Line("set xlabel 'Item (by revenue, highest in front)' offset 0,-2.5");
  script.Line("set ylabel 'Weekday' offset 2,0");
  script.Line("set zlabel 'Quantity (units)' rotate parallel offset -1,0");
  script.Line(fmt::format("set cblabel 'Revenue ({})' offset 1,0", kCurrency));
  script.Line("set xrange [-0.6:9.6]\nset yrange [-0.6:6.6]\nset zrange [0:*]");
  script.Line(
      "set xyplane at 0\nset view 58, 32, 0.88, 1.05\nset origin -0.04, 0\nset grid z vertical lc "
      "rgb '#BBBBBB'\nset border 1+2+4+8+16+32+64+256+512 lc rgb '#888888'\nset tics textcolor rgb "
      "'black'");
  script.Line("set boxwidth 0.55 absolute\nset boxdepth 0.55");
  script.Line("set style fill solid 1.0 border lc rgb '#333333'");
  script.Line("set pm3d depthorder base\nset pm3d border lc rgb '#333333' lw 0.5");
  script.Line(PaletteDefinition());
  script.Line(fmt::format("set cbrange [{:.2f}:{:.2f}]", low, high));
  script.Line("set colorbox vertical user origin 0.87, 0.2 size 0.022, 0.6");
  script.Line("set format cb '%.0f'\nset format z '%.0f'\nset margins 8, 14, 6, 4");
  // The second clause draws nothing; it makes gnuplot show the colour box for the palette.
  script.Line(
      fmt::format("splot {0} using 1:2:3:5 with boxes fc rgb variable notitle, "
                  "{0} using 1:2:(1/0):4 with points lc palette notitle",
                  *file));
  return Status::Ok();
}

Status Heatmap(const Summary& s, Script& script) {
  std::string data;
  for (int w = 0; w < 7; ++w) {
    for (int h = 0; h < 24; ++h) {
      fmt::format_to(std::back_inserter(data), "{}{:.2f}", h ? " " : "",
                     s.weekday_hour_revenue[w][h]);
    }
    data += '\n';
  }
  auto file = script.Data("weekday_hour.dat", data);
  if (!file.ok()) return file.status();
  script.Begin(kHeatmap, "Revenue by weekday and hour of day");
  script.Line("set xlabel 'Hour of day (local time of purchase)'\nset ylabel 'Weekday'");
  script.Line(fmt::format("set cblabel 'Revenue ({})' offset 1,0", kCurrency));
  script.Line("set xrange [-0.5:23.5]\nset yrange [6.5:-0.5]\nset xtics 0,1,23 out nomirror");
  script.Line(fmt::format("set ytics {} out nomirror", WeekdayTics(true)));
  script.Line(
      "set palette defined (0 '#FFF7EC', 0.25 '#FDD49E', 0.5 '#FC8D59', 0.75 '#D7301F', 1 "
      "'#7F0000')");
  script.Line("set cbrange [0:*]\nset format cb '%.0f'\nset tics scale 0.5\nset border lw 0.5");
  script.Line(fmt::format("plot {} matrix with image pixels notitle", *file));
  return Status::Ok();
}

Status Pareto(const Summary& s, Script& script) {
  std::string data, tics = "(";
  for (size_t i = 0; i < s.items.size(); ++i) {
    const auto& item = s.items[i];
    fmt::format_to(std::back_inserter(data), "{} {:.2f} {:.4f}\n", i, item.revenue,
                   100 * item.cumulative_share);
    fmt::format_to(std::back_inserter(tics), "{}{} {}", i ? ", " : "", Quote(item.name), i);
  }
  auto file = script.Data("pareto.dat", data);
  if (!file.ok()) return file.status();
  script.Begin(kPareto, "Revenue by item (Pareto): which products bring the revenue");
  script.Line(fmt::format("set xtics {} out nomirror", tics + ")"));
  script.Line("set xlabel 'Item (descending revenue)'");
  script.Line(fmt::format("set ylabel 'Revenue ({})'", kCurrency));
  script.Line("set y2label 'Cumulative share of revenue (%)'");
  const double top = s.items.empty() ? 1 : s.items.front().revenue;
  script.Line(fmt::format("set yrange [0:{:.0f}]", top * 1.22));
  script.Line("set y2range [0:122]\nset ytics nomirror\nset y2tics 0,10,100");
  script.Line(
      "set format y '%.0f'\nset grid y lc rgb '#E5E5E5'\nset key top left box opaque\nset style "
      "textbox opaque noborder margins 1, 1");
  script.Line(fmt::format("set xrange [-0.6:{}.6]\nset boxwidth 0.7\nset style fill solid 0.85",
                          s.items.empty() ? 0 : s.items.size() - 1));
  script.Line(
      fmt::format("plot {0} using 1:2 with boxes lc rgb '{1}' title 'Revenue ({3})', "
                  "{0} using 1:3 axes x1y2 with linespoints lw 2.5 pt 7 ps 1.3 lc rgb '{2}' "
                  "title 'Cumulative share (%)', "
                  "{0} using 1:3:(sprintf('%.0f%%', $3)) axes x1y2 with labels boxed offset 0,1.2 "
                  "tc rgb '{2}' notitle, "
                  "80 axes x1y2 with lines dt 2 lw 2 lc rgb '#555555' title '80% reference'",
                  *file, kColours[0], kColours[1], kCurrency));
  return Status::Ok();
}

Status Boxplot(const Summary& s, Script& script) {
  // As the original notebook (seaborn boxplot, x = sales_channel, hue = payment_method,
  // showfliers=False): groups along x are the sales channels, inside a group one box per
  // payment method, and no outlier points. The y axis stops above the highest whisker, leaving
  // room for the legend and the note.
  const size_t payments = s.payment_methods.size();
  const double width = 0.8 / static_cast<double>(std::max<size_t>(payments, 1));
  double top = 1;
  for (const auto& box : s.boxes) top = std::max(top, box.box.whisker_high);
  top *= 1.3;  // room above the whiskers for the legend and the note
  std::string tics = "(";
  for (size_t c = 0; c < s.channels.size(); ++c) {
    fmt::format_to(std::back_inserter(tics), "{}{} {}", c ? ", " : "", Quote(s.channels[c]), c);
  }
  std::string plot = "plot ";
  for (size_t p = 0; p < payments; ++p) {
    std::string block;
    const char* colour = kColours[p % 10];
    for (const auto& box : s.boxes) {
      if (box.payment_method != s.payment_methods[p]) continue;
      const auto c = static_cast<size_t>(
          std::find(s.channels.begin(), s.channels.end(), box.channel) - s.channels.begin());
      const double x = static_cast<double>(c) - 0.4 + width * (static_cast<double>(p) + 0.5);
      const auto& b = box.box;
      fmt::format_to(std::back_inserter(block), "{:.3f} {:.2f} {:.2f} {:.2f} {:.2f} {:.2f}\n", x,
                     b.whisker_low, b.q1, b.median, b.q3, b.whisker_high);
    }
    auto file = script.Data(fmt::format("box_{}.dat", p), block.empty() ? "\n" : block);
    if (!file.ok()) return file.status();
    if (block.empty()) continue;
    fmt::format_to(std::back_inserter(plot),
                   "{3}{0} using 1:3:2:6:5 with candlesticks whiskerbars 0.5 lc rgb '{1}' lw 1.5 "
                   "fs solid 0.45 border lc rgb '{1}' title {2}, "
                   "{0} using 1:4:4:4:4 with candlesticks lc rgb '#222222' lw 2.5 notitle",
                   *file, colour, Quote(s.payment_methods[p]), plot.size() > 5 ? ", " : "");
  }
  script.Begin(kBoxplot, "Order value by sales channel and payment method");
  script.Line(fmt::format("set xtics {} out nomirror", tics + ")"));
  script.Line("set xlabel 'Sales channel'");
  script.Line(fmt::format("set ylabel 'Order value, total_amount ({})'", kCurrency));
  script.Line(fmt::format("set xrange [-0.6:{}.6]\nset yrange [0:{:.2f}]",
                          s.channels.empty() ? 0 : s.channels.size() - 1, top));
  script.Line(fmt::format("set boxwidth {:.3f} absolute", width * 0.85));
  script.Line(
      "set grid y lc rgb '#E5E5E5'\nset key at graph 0.5, graph 0.98 center top horizontal box "
      "opaque title 'Payment method'");
  script.Line(
      "set label 'Box: Q1 to Q3, black bar: median, whiskers: furthest order within 1.5 IQR; "
      "outliers not drawn' at graph 0.5, graph 0.85 center font ',11' tc rgb '#555555' front");
  script.Line(plot);
  return Status::Ok();
}

Status InvalidReasons(const Summary& s, Script& script) {
  std::string data, tics = "(";
  for (size_t i = 0; i < s.invalid_by_reason.size(); ++i) {
    const auto& r = s.invalid_by_reason[i];
    fmt::format_to(std::back_inserter(data), "{} {} {:.3f}\n", i, r.count, 100 * r.share);
    fmt::format_to(std::back_inserter(tics), "{}{} {}", i ? ", " : "", Quote(r.reason), i);
  }
  auto file = script.Data("invalid.dat", data.empty() ? "\n" : data);
  if (!file.ok()) return file.status();
  script.Begin(kInvalid,
               fmt::format("Invalid events by reason ({} of {} events, {:.2f}%)", s.invalid_events,
                           s.invalid_events + s.order_rows, 100 * s.invalid_share));
  script.Line("set ylabel 'Invalid events (count)'\nset xlabel 'invalid_reason'");
  script.Line("set grid y lc rgb '#E5E5E5'\nset yrange [0:*]\nset format y '%.0f'");
  if (s.invalid_by_reason.empty()) {
    script.Line("set xrange [0:1]\nset yrange [0:1]\nunset xtics\nunset ytics");
    script.Line(
        "set label 1 'No invalid events were found in the invalid-events input' at "
        "graph 0.5, graph 0.5 center font ',16'");
    script.Line("plot NaN notitle");
    return Status::Ok();
  }
  script.Line(fmt::format("set xtics {} rotate by 25 right out nomirror", tics + ")"));
  script.Line(fmt::format("set xrange [-0.6:{}.6]\nset boxwidth 0.65\nset style fill solid 0.85",
                          s.invalid_by_reason.size() - 1));
  script.Line("set offsets 0, 0, graph 0.08, 0\nset bmargin 9");
  script.Line(
      fmt::format("plot {0} using 1:2 with boxes lc rgb '{1}' notitle, "
                  "{0} using 1:2:(sprintf('%d (%.2f%%)', $2, $3)) with labels offset 0,0.8 "
                  "font ',11' notitle",
                  *file, kColours[3]));
  return Status::Ok();
}

Status RevenueForecast(const Summary& s, const DemandForecast& f, Script& script) {
  const auto& series = f.series;
  std::string history;
  for (size_t i = 0; i < series.days(); ++i) {
    fmt::format_to(std::back_inserter(history), "{} {:.2f}\n",
                   analytics::FormatDay(series.first_day + static_cast<int32_t>(i)),
                   series.revenue[i]);
  }
  // Partial first/last days (left out of the model) are still shown, as hollow points.
  std::string partial;
  for (const auto& day : s.days) {
    const int32_t d = analytics::ParseDay(day.date);
    if (series.days() == 0 || d < series.first_day ||
        d >= series.first_day + static_cast<int32_t>(series.days())) {
      fmt::format_to(std::back_inserter(partial), "{} {:.2f}\n", day.date, day.revenue);
    }
  }
  std::string next, backtest;
  if (f.revenue) {
    const int32_t end = series.first_day + static_cast<int32_t>(series.days());
    // The band starts at the last observed day so that history and forecast join.
    fmt::format_to(std::back_inserter(next), "{} {:.2f} {:.2f} {:.2f}\n",
                   analytics::FormatDay(end - 1), series.revenue.back(), series.revenue.back(),
                   series.revenue.back());
    for (size_t h = 0; h < f.revenue->next.size(); ++h) {
      const auto& p = f.revenue->next[h];
      fmt::format_to(std::back_inserter(next), "{} {:.2f} {:.2f} {:.2f}\n",
                     analytics::FormatDay(end + static_cast<int32_t>(h)), p.mean, p.lower, p.upper);
    }
    const int32_t test_start = end - static_cast<int32_t>(f.revenue->backtest_model.size());
    for (size_t h = 0; h < f.revenue->backtest_model.size(); ++h) {
      fmt::format_to(std::back_inserter(backtest), "{} {:.2f}\n",
                     analytics::FormatDay(test_start + static_cast<int32_t>(h)),
                     f.revenue->backtest_model[h]);
    }
  }
  auto h_file = script.Data("revenue_history.dat", history.empty() ? "\n" : history);
  auto p_file = script.Data("revenue_partial.dat", partial.empty() ? "\n" : partial);
  auto n_file = script.Data("revenue_forecast.dat", next.empty() ? "\n" : next);
  auto b_file = script.Data("revenue_backtest.dat", backtest.empty() ? "\n" : backtest);
  for (auto* r : {&h_file, &p_file, &n_file, &b_file}) {
    if (!r->ok()) return r->status();
  }
  std::string title = "Revenue per day and 7-day forecast (Holt-Winters, weekly seasonality)";
  if (f.revenue) {
    title += fmt::format("\nbacktest on the last 7 days: sMAPE {:.1f}% (seasonal-naive {:.1f}%)",
                         f.revenue->model_errors.smape, f.revenue->naive_errors.smape);
  } else {
    title = "Revenue per day (no forecast: " + f.note + ")";
  }
  script.Begin(kForecast, title);
  script.Line("set xdata time\nset timefmt '%Y-%m-%d'\nset format x '%a %d %b'");
  script.Line("set xtics 86400*2 rotate by 35 right out nomirror\nset mxtics 2");
  script.Line("set xlabel 'Purchase date'");
  script.Line(fmt::format("set ylabel 'Revenue per day ({})'", kCurrency));
  script.Line("set yrange [0:*]\nset format y '%.0f'\nset grid x y lc rgb '#E5E5E5'");
  script.Line("set key bottom left box opaque\nset autoscale xfix\nset offsets 43200, 43200, 0, 0");
  script.Line("set bmargin 7");
  std::string plot = fmt::format(
      "plot {0} using 1:2 with linespoints lw 2 pt 7 ps 1 lc rgb '{1}' title 'Revenue (full days)'",
      *h_file, kColours[0]);
  if (!partial.empty()) {
    plot += fmt::format(
        ", {} using 1:2 with points pt 6 ps 1.5 lc rgb '{}' title 'Partial day (not modelled)'",
        *p_file, kColours[0]);
  }
  if (f.revenue) {
    plot = fmt::format(
               "plot {0} using 1:3:4 with filledcurves fc rgb '{1}' fs transparent solid 0.22 "
               "noborder title '95% prediction interval', ",
               *n_file, kColours[1]) +
           plot.substr(5) +
           fmt::format(
               ", {0} using 1:2 with linespoints lw 2.5 dt 1 pt 5 ps 1 lc rgb '{1}' "
               "title 'Forecast, next 7 days', "
               "{2} using 1:2 with lines lw 2 dt 2 lc rgb '{3}' "
               "title 'Backtest forecast (fitted without the last 7 days)'",
               *n_file, kColours[1], *b_file, kColours[2]);
  }
  script.Line(plot);
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& ChartFileNames() {
  static const std::vector<std::string> names = {k3d,      kHeatmap, kPareto,
                                                 kBoxplot, kInvalid, kForecast};
  return names;
}

Result<std::vector<Chart>> RenderCharts(const Summary& summary, const DemandForecast& forecast,
                                        const std::string& scratch_dir) {
  Script script(scratch_dir);
  for (Status s : {ItemWeekday3d(summary, script), Heatmap(summary, script),
                   Pareto(summary, script), Boxplot(summary, script),
                   InvalidReasons(summary, script), RevenueForecast(summary, forecast, script)}) {
    if (!s.ok()) return s;
  }
  const std::string script_path = script.Path("charts.gp");
  if (Status s = WriteText(script_path, script.text()); !s.ok()) return s;
  if (Status s = RunGnuplot(script_path, script.Path("gnuplot.log")); !s.ok()) return s;

  const std::vector<std::string> titles = {"Quantity by item and weekday (colour: revenue)",
                                           "Revenue by weekday and hour",
                                           "Revenue by item (Pareto)",
                                           "Order value by sales channel and payment method",
                                           "Invalid events by reason",
                                           "Revenue per day with a 7-day forecast"};
  std::vector<Chart> charts;
  for (size_t i = 0; i < ChartFileNames().size(); ++i) {
    auto png = ReadBytes(script.Path(ChartFileNames()[i]));
    if (!png.ok()) return png.status();
    charts.push_back({ChartFileNames()[i], titles[i], std::move(*png)});
  }
  return charts;
}

}  // namespace orderflow::report

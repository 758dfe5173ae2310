// orderflow report: batch analytics over the processor's output files -> output/*.png,
// output/report.html and output/report.json (docs/report.md). Scans with src/analytics, draws
// and publishes with src/report; prints progress on a terminal, the phase times and the summary:
//   [report][phases] scan_s=F summarize_s=F forecast_s=F write_s=F scan_decoded_gbps=F
//   [report][summary] files=N rows=N order_rows=N invalid_rows=N bad_lines=N revenue=F
//                     elapsed_s=F scan_gbps=F
// rows = clean orders (the original notebook's "Rows: N"); order_rows = JSON objects read from
// the orders input (clean or dropped by the cleaning step); invalid_rows = objects read from
// the invalid-events input. An existing orders folder without valid orders gives a report
// that says there is no data yet (exit 0); a missing one is an error (exit 1). scan_gbps is the
// files' size on disk over the scan's time, scan_decoded_gbps their JSON Lines (compressed files
// decoded). --since/--until keep the events of those purchase dates (analytics::DayRange).
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>

#include "analytics/demand_forecast.h"
#include "analytics/rejected_sample.h"
#include "analytics/scanner.h"
#include "analytics/summary.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "common/data_layout.h"
#include "common/stop_flag.h"
#include "report/report_writer.h"

namespace orderflow::cli {
namespace {

struct ReportFlags {
  std::string data_dir = data_layout::kDefaultDataDir;
  std::string input;          // default data_layout::ValidDir(data_dir)
  std::string invalid_input;  // default data_layout::InvalidDir(data_dir)
  std::string output_dir = "output";
  int threads = 0;
  std::string since, until;  // YYYY-MM-DD, inclusive; empty: unbounded
};

// --since / --until -> the purchase dates to keep. InvalidArgument naming the flag for a value
// that is not a YYYY-MM-DD day, or a --since after --until.
Result<analytics::DayRange> ParseDays(const ReportFlags& flags) {
  analytics::DayRange days;
  for (auto [flag, text, day] : {std::tuple{"--since", &flags.since, &days.since},
                                 std::tuple{"--until", &flags.until, &days.until}}) {
    if (text->empty()) continue;
    *day = analytics::ParseDay(*text);
    if (*day == analytics::kNoDay) {
      return Status::InvalidArgument(
          fmt::format("{} {}: expected a date YYYY-MM-DD (a day of the calendar)", flag, *text));
    }
  }
  if (days.since != analytics::kNoDay && days.until != analytics::kNoDay &&
      days.since > days.until) {
    return Status::InvalidArgument(fmt::format(
        "--since {} is after --until {}: no day would be read", flags.since, flags.until));
  }
  return days;
}

// Redraws "[report] scanned X of Y MB" on stderr every 200 ms while the scan runs, only when
// stderr is a terminal.
class ProgressLine {
 public:
  explicit ProgressLine(const analytics::ScanProgress& progress) : progress_(progress) {
    if (::isatty(STDERR_FILENO)) thread_ = std::thread([this] { Loop(); });
  }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
    std::fprintf(stderr, "\r\033[K");
  }

 private:
  void Loop() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return done_; })) {
      const double done = static_cast<double>(progress_.bytes_done.load()) / 1e6;
      const double total = static_cast<double>(progress_.bytes_total.load()) / 1e6;
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "\r\033[K[report] scanned %.0f of %.0f MB (%.0f%%) %.2f GB/s", done,
                   total, total > 0 ? 100 * done / total : 0.0, s > 0 ? done / 1e3 / s : 0.0);
    }
  }

  const analytics::ScanProgress& progress_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

std::string LocalTimeNow() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &local);
  return text;
}

void PrintSummary(const analytics::ScanStats& stats, uint64_t clean_orders, double revenue,
                  double elapsed_s) {
  std::printf(
      "[report][summary] files=%llu rows=%llu order_rows=%llu invalid_rows=%llu bad_lines=%llu "
      "revenue=%.2f elapsed_s=%.3f scan_gbps=%.3f\n",
      static_cast<unsigned long long>(stats.files()), static_cast<unsigned long long>(clean_orders),
      static_cast<unsigned long long>(stats.order_rows),
      static_cast<unsigned long long>(stats.invalid_rows),
      static_cast<unsigned long long>(stats.bad_lines()), revenue, elapsed_s, stats.gbps());
  std::fflush(stdout);
}

int RunReport(ReportFlags flags) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (flags.threads < 0) {
    return ReportFailure("report",
                         Status::InvalidArgument(fmt::format(
                             "--threads must be >= 0 (0 = one per core), got {}", flags.threads)));
  }
  auto days = ParseDays(flags);
  if (!days.ok()) return ReportFailure("report", days.status());
  if (flags.input.empty()) flags.input = data_layout::ValidDir(flags.data_dir);
  if (flags.invalid_input.empty()) flags.invalid_input = data_layout::InvalidDir(flags.data_dir);

  analytics::ScanProgress progress;
  analytics::ScanOptions options;
  options.orders_dir = flags.input;
  options.invalid_dir = flags.invalid_input;
  options.threads = flags.threads;
  options.progress = &progress;
  options.should_stop = [] { return StopRequested(); };
  options.days = *days;
  Result<analytics::ScanResult> scan = [&] {
    ProgressLine line(progress);
    return analytics::Scan(options);
  }();
  if (!scan.ok()) {
    const Status& s = scan.status();
    if (s.IsNotFound()) {
      return ReportFailure(
          "report", Status::NotFound(fmt::format("no input: {} (run `orderflow process` first, or "
                                                 "pass --input / --data-dir)",
                                                 s.message())));
    }
    return ReportFailure("report", Status::IoError("scan failed: " + s.message()));
  }
  const analytics::ScanStats& stats = scan->stats;
  const analytics::Aggregates& aggregates = scan->aggregates;
  auto rejected =
      analytics::SampleRejected(flags.invalid_input, analytics::kRejectedSampleSize, *days);
  if (!rejected.ok()) {
    return ReportFailure("report", rejected.status());
  }

  // Phase times, so that the scan and aggregations can be compared with other engines
  // (bench/report_vs_duckdb.sh) apart from the forecast and the charts.
  const double summarize_from = elapsed();
  const analytics::Summary summary = analytics::Summarize(aggregates);
  const double forecast_from = elapsed();
  const analytics::DemandForecast forecast = analytics::ForecastDemand(aggregates);
  const double write_from = elapsed();
  const report::ReportInput input{stats,
                                  summary,
                                  forecast,
                                  flags.input,
                                  flags.invalid_input,
                                  LocalTimeNow(),
                                  std::move(*rejected)};
  std::vector<std::string> written;
  if (Status s = report::WriteReport(input, flags.output_dir, &written); !s.ok()) {
    const int code = ReportFailure("report", s);
    PrintSummary(stats, summary.orders, summary.revenue, elapsed());
    return code;
  }
  const double write_to = elapsed();
  std::printf(
      "[report][phases] scan_s=%.3f summarize_s=%.3f forecast_s=%.3f write_s=%.3f "
      "scan_decoded_gbps=%.3f\n",
      stats.elapsed_s, forecast_from - summarize_from, write_from - forecast_from,
      write_to - write_from, stats.decoded_gbps());
  if (days->bounded()) {
    std::printf("[report] purchase dates %s to %s only: %llu orders and %llu invalid events\n",
                flags.since.empty() ? "(first)" : flags.since.c_str(),
                flags.until.empty() ? "(last)" : flags.until.c_str(),
                static_cast<unsigned long long>(stats.order_rows),
                static_cast<unsigned long long>(stats.invalid_rows));
  }
  if (stats.damaged_files > 0) {
    std::fprintf(stderr,
                 "orderflow report: %llu compressed files are cut short or damaged; their lines "
                 "up to the damage were read\n",
                 static_cast<unsigned long long>(stats.damaged_files));
  }
  if (stats.bad_lines() > 0) {
    std::fprintf(stderr,
                 "orderflow report: %llu damaged lines skipped (%llu orders, %llu invalid)\n",
                 static_cast<unsigned long long>(stats.bad_lines()),
                 static_cast<unsigned long long>(stats.bad_order_lines),
                 static_cast<unsigned long long>(stats.bad_invalid_lines));
  }
  if (summary.orders == 0) {
    // As the original notebook printed a notice per chart: nothing to draw yet, not a failure.
    std::printf(
        "[report] no data yet: no valid order in %s (%llu files, %llu rows read); wrote %s/"
        "report.html and report.json without charts\n",
        flags.input.c_str(), static_cast<unsigned long long>(stats.order_files),
        static_cast<unsigned long long>(stats.order_rows), flags.output_dir.c_str());
  } else {
    std::printf(
        "[report] wrote %zu files to %s/ (report.html, report.json, %zu charts); scan %.3f s "
        "over %.1f MB with %d threads\n",
        written.size(), flags.output_dir.c_str(), written.size() - 2, stats.elapsed_s,
        static_cast<double>(stats.bytes) / 1e6, stats.threads);
  }
  PrintSummary(stats, summary.orders, summary.revenue, elapsed());
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Batch analytics over the processor's output -> output/*.png + report");
  const std::string valid_dir = data_layout::ValidDir("<data-dir>");
  const std::string invalid_dir = data_layout::InvalidDir("<data-dir>");
  cmd->add_option(
         "--data-dir", flags->data_dir,
         fmt::format("Data directory; the inputs default to {} and {}", valid_dir, invalid_dir))
      ->capture_default_str();
  cmd->add_option(
      "--input", flags->input,
      fmt::format("Directory of valid events (*.json, JSON Lines) [default: {}]", valid_dir));
  cmd->add_option("--invalid-input", flags->invalid_input,
                  fmt::format("Directory of invalid events [default: {}]", invalid_dir));
  cmd->add_option("--output-dir", flags->output_dir, "Where the charts and the report go")
      ->capture_default_str();
  cmd->add_option("--threads", flags->threads, "Scanner threads (0 = one per core)")
      ->capture_default_str();
  cmd->add_option("--since", flags->since,
                  "Only events purchased on or after this day (YYYY-MM-DD, purchase_date)");
  cmd->add_option("--until", flags->until,
                  "Only events purchased on or before this day (YYYY-MM-DD, purchase_date)");
  cmd->callback([flags, &exit_code] { exit_code = RunReport(*flags); });
}

}  // namespace orderflow::cli

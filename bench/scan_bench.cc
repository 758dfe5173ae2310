// Benchmarks of `orderflow report`'s analytics (src/analytics), on generated events written
// once to a temporary directory (500k orders + 10k invalid events, realistic profile, 8 files
// each, ~230 MB) and read from the page cache:
//   BM_Scan/threads:N/chunk_kb:K  the whole scan: list, read, parse, clean, aggregate, merge; the
//                          bytes_per_second counter is the figure `orderflow report` prints as
//                          scan_gbps (target >= 1 GB/s with 2 threads on 2 cores).
//   BM_ParseOrderLine      LineParser::ParseOrder on one typical line: simdjson On-Demand,
//                          one pass over the 19 keys, 10 values decoded.
//   BM_AddOrder            Aggregates::AddOrder for one parsed row: cleaning + every aggregation.
//   BM_SummarizeAndForecast the work after the scan: Summarize (quartiles, sorting) and
//                          ForecastDemand (11 Holt-Winters grid searches, backtests).
// Run: build-report/bench/scan_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "analytics/demand_forecast.h"
#include "analytics/line_parser.h"
#include "analytics/order_files.h"
#include "analytics/scanner.h"
#include "analytics/summary.h"
#include "common/data_layout.h"
#include "event/event_encoder.h"
#include "event/generator.h"

namespace {

using namespace orderflow;  // NOLINT: benchmark file

// The generated data set, written on first use and removed at exit. The path is never
// destroyed, so that the exit handler can still read it.
const std::string& DataDir() {
  static const std::string* const dir = [] {
    auto* d = new std::string(
        (std::filesystem::temp_directory_path() / fmt::format("scan_bench_{}", ::getpid()))
            .string());
    analytics::OrderFilesSpec spec;
    spec.profile = event::Profile::kRealistic;
    spec.events = 500000;
    spec.invalid_events = 10000;
    spec.files = 8;
    auto written =
        analytics::WriteOrderFiles(data_layout::ValidDir(*d), data_layout::InvalidDir(*d), spec);
    if (!written.ok()) {
      std::fprintf(stderr, "scan_bench: %s\n", written.status().message().c_str());
      std::filesystem::remove_all(*d);
      std::exit(1);
    }
    std::atexit([] { std::filesystem::remove_all(DataDir()); });
    return d;
  }();
  return *dir;
}

void BM_Scan(benchmark::State& state) {
  analytics::ScanOptions options;
  options.orders_dir = data_layout::ValidDir(DataDir());
  options.invalid_dir = data_layout::InvalidDir(DataDir());
  options.threads = static_cast<int>(state.range(0));
  options.chunk_bytes = static_cast<size_t>(state.range(1)) << 10;
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto result = analytics::Scan(options);
    if (!result.ok()) {
      state.SkipWithError(result.status().message().c_str());
      return;
    }
    bytes += result->stats.bytes;
    benchmark::DoNotOptimize(result->aggregates.total().revenue_cents);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Scan)
    ->ArgsProduct({{1, 2}, {256, 1024, 8192}})
    ->ArgNames({"threads", "chunk_kb"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

std::string OneLine() {
  event::EventGenerator generator(1, event::Profile::kRealistic, 1764000000000, 3600);
  event::OrderEvent e;
  generator.Next(1764000000000, e);
  std::string line;
  event::EncodeEvent(e, line);
  return line;
}

void BM_ParseOrderLine(benchmark::State& state) {
  const simdjson::padded_string line(OneLine());
  analytics::LineParser parser;
  analytics::OrderRow row;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parser.ParseOrder(std::string_view(line.data(), line.size()),
                                               line.size() + simdjson::SIMDJSON_PADDING, row));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_ParseOrderLine);

void BM_AddOrder(benchmark::State& state) {
  const simdjson::padded_string line(OneLine());
  analytics::LineParser parser;
  analytics::OrderRow row;
  (void)parser.ParseOrder(std::string_view(line.data(), line.size()),
                          line.size() + simdjson::SIMDJSON_PADDING, row);
  analytics::Aggregates aggregates;
  for (auto _ : state) aggregates.AddOrder(row);
  benchmark::DoNotOptimize(aggregates.total().revenue_cents);
}
BENCHMARK(BM_AddOrder);

void BM_SummarizeAndForecast(benchmark::State& state) {
  analytics::ScanOptions options;
  options.orders_dir = data_layout::ValidDir(DataDir());
  auto scan = analytics::Scan(options);
  if (!scan.ok()) {
    state.SkipWithError(scan.status().message().c_str());
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(analytics::Summarize(scan->aggregates).revenue);
    benchmark::DoNotOptimize(analytics::ForecastDemand(scan->aggregates).items[0].has_value());
  }
}
BENCHMARK(BM_SummarizeAndForecast)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

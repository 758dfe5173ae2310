// gen_orders: writes N generated events as the processor's output files (JSON Lines), for
// bench/report_vs_pandas.sh and manual runs of `orderflow report`:
//   gen_orders --data-dir DIR --events N [--invalid-events N] [--files F] [--profile P] [--seed S]
// writes part files into DIR's valid and invalid folders (common/data_layout.h).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "analytics/order_files.h"
#include "common/data_layout.h"
#include "event/generator.h"

int main(int argc, char** argv) {
  CLI::App app{"gen_orders: generated order events as JSON Lines files"};
  std::string data_dir = orderflow::data_layout::kDefaultDataDir;
  std::string profile_name = "realistic";
  orderflow::analytics::OrderFilesSpec spec;
  spec.events = 1000000;
  spec.files = 8;
  app.add_option(
      "--data-dir", data_dir,
      fmt::format("output root DIR (writes {}/ and {}/)", orderflow::data_layout::ValidDir("DIR"),
                  orderflow::data_layout::InvalidDir("DIR")));
  app.add_option("--events", spec.events, "valid events to write");
  app.add_option("--invalid-events", spec.invalid_events, "invalid events to write");
  app.add_option("--files", spec.files, "files per directory")->check(CLI::Range(1, 100000));
  app.add_option("--profile", profile_name, "uniform or realistic");
  app.add_option("--seed", spec.seed, "generator seed");
  CLI11_PARSE(app, argc, argv);
  const auto profile = orderflow::event::ParseProfile(profile_name);
  if (!profile) {
    std::fprintf(stderr, "gen_orders: --profile must be uniform or realistic, got %s\n",
                 profile_name.c_str());
    return 2;
  }
  spec.profile = *profile;
  spec.reference_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  spec.utc_offset_seconds = orderflow::event::LocalUtcOffsetSeconds(spec.reference_ms / 1000);
  auto written =
      orderflow::analytics::WriteOrderFiles(orderflow::data_layout::ValidDir(data_dir),
                                            orderflow::data_layout::InvalidDir(data_dir), spec);
  if (!written.ok()) {
    std::fprintf(stderr, "gen_orders: %s\n", written.status().message().c_str());
    return 1;
  }
  fmt::print("[gen_orders] events={} invalid_events={} files={} bytes={}\n", spec.events,
             spec.invalid_events, spec.files, written->bytes);
  return 0;
}

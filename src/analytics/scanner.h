// Scan: reads every output file (JSON Lines: *.json, and *.json.gz / *.json.zst decoded on the
// fly) under the orders directory and the invalid-events directory, partition folders
// (name=value/) included, with a pool of threads and returns the merged Aggregates. Plain files
// are cut into chunks of about kChunkBytes that threads take from a shared queue, so one large
// file keeps every core busy as well as many small ones do; a compressed file is one task,
// decoded as a stream. The names every reader skips are skipped (data_layout::IsIgnoredByReaders:
// hidden names such as the processor's temporaries, and "_x" names such as the checkpoints or
// Spark's _SUCCESS). A damaged line is counted in bad_lines and never fatal; so is a damaged or
// cut compressed file (its lines before the damage are read).
// Scan itself is safe to call from any thread; the progress counter may be read concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "analytics/aggregates.h"
#include "common/status.h"

namespace orderflow::analytics {

inline constexpr size_t kChunkBytes = size_t{8} << 20;

struct ScanProgress {
  std::atomic<uint64_t> bytes_total{0};  // set once the inputs are listed
  std::atomic<uint64_t> bytes_done{0};   // updated as chunks finish
};

// Purchase dates to keep, inclusive, as days since 1970-01-01 (ParseDay); kNoDay: unbounded.
struct DayRange {
  int32_t since = kNoDay, until = kNoDay;

  bool bounded() const { return since != kNoDay || until != kNoDay; }
  // A bounded range holds no kNoDay: an event without a readable date is outside it.
  bool Contains(int32_t day) const {
    if (!bounded()) return true;
    return day != kNoDay && (since == kNoDay || day >= since) && (until == kNoDay || day <= until);
  }
};

struct ScanOptions {
  std::string orders_dir;            // REQUIRED to exist
  std::string invalid_dir;           // may be missing: no invalid events then
  int threads = 0;                   // 0 = one per hardware thread
  size_t chunk_bytes = kChunkBytes;  // > 0; small values exercise chunk boundaries in tests
  // Optional: for a progress display, read concurrently by the caller.
  ScanProgress* progress = nullptr;
  // Optional: polled between chunks; when it returns true the scan stops with an error.
  std::function<bool()> should_stop;
  // Only events whose purchase_date is in this range (report --since / --until), from both
  // inputs; purchase_date=D folders outside it, and the default folder, are not even listed.
  DayRange days;
};

struct ScanStats {
  uint64_t order_files = 0, invalid_files = 0;
  uint64_t bytes = 0;          // total size of the files scanned (compressed, for those)
  uint64_t decoded_bytes = 0;  // the JSON Lines read: `bytes` with compressed files decoded
  uint64_t damaged_files = 0;  // compressed files cut short or damaged (read up to the damage)
  uint64_t order_rows = 0;     // JSON objects read from the orders input (in `days`)
  uint64_t invalid_rows = 0;   // JSON objects read from the invalid-events input (in `days`)
  uint64_t bad_order_lines = 0, bad_invalid_lines = 0;
  double elapsed_s = 0;  // wall time of listing + reading + parsing + merging
  int threads = 0;

  uint64_t files() const { return order_files + invalid_files; }
  uint64_t rows() const { return order_rows + invalid_rows; }
  uint64_t bad_lines() const { return bad_order_lines + bad_invalid_lines; }
  double gbps() const { return elapsed_s > 0 ? static_cast<double>(bytes) / elapsed_s / 1e9 : 0; }
  double decoded_gbps() const {
    return elapsed_s > 0 ? static_cast<double>(decoded_bytes) / elapsed_s / 1e9 : 0;
  }
};

struct ScanResult {
  Aggregates aggregates;
  ScanStats stats;
};

// Lists the output files under `dir` (recursively; data_layout::IsOutputFileName), sorted.
// With a bounded `days`, folders purchase_date=D/ for a D outside it, and the default folder
// (data_layout::kDefaultPartitionValue), are skipped. NotFound when `dir` does not exist,
// IoError when it cannot be read or is not a directory.
Result<std::vector<std::string>> ListJsonFiles(const std::string& dir, const DayRange& days = {});

// Scans both inputs. NotFound when the orders directory is missing, IoError when a file cannot
// be read or when should_stop asked to stop (message "interrupted"). An existing orders
// directory without *.json files (the processor has written nothing yet) is a successful scan
// of nothing, and so is an input whose lines are all damaged: the stats say so.
Result<ScanResult> Scan(const ScanOptions& options);

}  // namespace orderflow::analytics

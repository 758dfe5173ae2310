// Scan: reads every *.json file (JSON Lines) under the orders directory and the invalid-events
// directory with a pool of threads and returns the merged Aggregates. Files are cut into chunks
// of about kChunkBytes that threads take from a shared queue, so one large file keeps every
// core busy as well as many small ones do. The names every reader skips are skipped
// (data_layout::IsIgnoredByReaders: hidden names such as the processor's temporaries, and "_x"
// names such as the checkpoints or Spark's _SUCCESS). A damaged line is counted in bad_lines
// and never fatal.
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

struct ScanOptions {
  std::string orders_dir;            // REQUIRED to exist
  std::string invalid_dir;           // may be missing: no invalid events then
  int threads = 0;                   // 0 = one per hardware thread
  size_t chunk_bytes = kChunkBytes;  // > 0; small values exercise chunk boundaries in tests
  // Optional: for a progress display, read concurrently by the caller.
  ScanProgress* progress = nullptr;
  // Optional: polled between chunks; when it returns true the scan stops with an error.
  std::function<bool()> should_stop;
};

struct ScanStats {
  uint64_t order_files = 0, invalid_files = 0;
  uint64_t bytes = 0;         // total size of the files scanned
  uint64_t order_rows = 0;    // JSON objects read from the orders input
  uint64_t invalid_rows = 0;  // JSON objects read from the invalid-events input
  uint64_t bad_order_lines = 0, bad_invalid_lines = 0;
  double elapsed_s = 0;  // wall time of listing + reading + parsing + merging
  int threads = 0;

  uint64_t files() const { return order_files + invalid_files; }
  uint64_t rows() const { return order_rows + invalid_rows; }
  uint64_t bad_lines() const { return bad_order_lines + bad_invalid_lines; }
  double gbps() const { return elapsed_s > 0 ? static_cast<double>(bytes) / elapsed_s / 1e9 : 0; }
};

struct ScanResult {
  Aggregates aggregates;
  ScanStats stats;
};

// Lists the *.json files under `dir` (recursively; data_layout::IsOutputFileName), sorted.
// NotFound when `dir` does not exist, IoError when it cannot be read or is not a directory.
Result<std::vector<std::string>> ListJsonFiles(const std::string& dir);

// Scans both inputs. NotFound when the orders directory is missing, IoError when a file cannot
// be read or when should_stop asked to stop (message "interrupted"). An existing orders
// directory without *.json files (the processor has written nothing yet) is a successful scan
// of nothing, and so is an input whose lines are all damaged: the stats say so.
Result<ScanResult> Scan(const ScanOptions& options);

}  // namespace orderflow::analytics

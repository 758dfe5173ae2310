// Writes generated events as the processor's output files, for tests and benchmarks: valid
// events as JSON Lines under orders_dir, and optionally invalid events (each mode in turn) as
// the processor writes them (event::EventRouter's lines: the parsed fields, json_str,
// invalid_reason, kafka_partition, kafka_offset) under invalid_dir. Not used by `orderflow
// report` itself. One thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "event/generator.h"
#include "event/order_event.h"

namespace orderflow::analytics {

struct OrderFilesSpec {
  uint64_t seed = 1;
  event::Profile profile = event::Profile::kUniform;
  uint64_t events = 1000;                // valid events
  uint64_t invalid_events = 0;           // invalid events
  int files = 1;                         // each input is split into this many files
  int64_t reference_ms = 1764000000000;  // 2025-11-24T16:00:00Z
  int64_t utc_offset_seconds = 3600;
};

struct OrderFilesWritten {
  uint64_t bytes = 0;
};

// Creates the directories and writes the files, named as the processor's part files
// (data_layout::PartFileName; file i is "partition" i and holds lines first..last). `on_event`,
// when set, sees every valid event written. IoError when a file cannot be written.
Result<OrderFilesWritten> WriteOrderFiles(
    const std::string& orders_dir, const std::string& invalid_dir, const OrderFilesSpec& spec,
    const std::function<void(const event::OrderEvent&)>& on_event = {});

}  // namespace orderflow::analytics

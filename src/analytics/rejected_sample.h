// RejectedSample: the first few events of the invalid-events input, with the columns the
// original notebook showed for them (invalid_reason, order_id, item, quantity, unit_price,
// json_str, event_time_ms). Files are read in name order (ListJsonFiles), lines in file order,
// and reading stops as soon as `limit` events are found, so the sample costs next to nothing
// however large the input is. One thread only.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/scanner.h"
#include "common/status.h"

namespace orderflow::analytics {

// The event fields shown beside invalid_reason and json_str, in the notebook's order.
inline constexpr std::array<std::string_view, 5> kRejectedFields = {"order_id", "item", "quantity",
                                                                    "unit_price", "event_time_ms"};
inline constexpr size_t kRejectedSampleSize = 20;

struct RejectedEvent {
  std::string invalid_reason;  // "unknown" when absent or not a string
  // The raw JSON value of each kRejectedFields entry as the line has it ("\"bread\"", "7",
  // "\"7\"" for a wrong type, ...); empty when the field is absent.
  std::array<std::string, kRejectedFields.size()> raw;
  std::string json_str;  // the original message, decoded; empty when absent
};

// Up to `limit` events from the output files under `dir` (compressed ones decoded), only those
// whose purchase_date is in `days` when it is bounded (as the scan counts them). A missing
// directory gives an empty sample (no invalid events yet); a line that is not a JSON object is
// skipped, and so is the rest of a damaged compressed file. IoError when the directory or a
// file cannot be read.
Result<std::vector<RejectedEvent>> SampleRejected(const std::string& dir,
                                                  size_t limit = kRejectedSampleSize,
                                                  const DayRange& days = {});

}  // namespace orderflow::analytics

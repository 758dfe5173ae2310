// LineParser: turns one JSON Lines line into the fields the report needs, with simdjson's
// On-Demand API in its error-code style (no exceptions, nothing allocated per line once the
// parser has grown to the longest line). A line that is not a complete JSON object is reported
// as kBad: the caller counts it and carries on. One thread only; views in the results are
// valid until the next call.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "analytics/aggregates.h"

namespace orderflow::analytics {

enum class LineKind { kBlank, kBad, kObject };

class LineParser {
 public:
  LineParser() = default;
  LineParser(const LineParser&) = delete;
  LineParser& operator=(const LineParser&) = delete;

  // REQUIRES: `capacity` >= line.size() + SIMDJSON_PADDING readable bytes from line.data().
  // kBlank for an empty or all-whitespace line (row untouched), kBad for anything that is not
  // one complete JSON object, kObject with `row` filled from the fields present otherwise.
  LineKind ParseOrder(std::string_view line, size_t capacity, OrderRow& row);
  // Same, for a line of the invalid-events output: `reason` gets its invalid_reason, or
  // "unknown" when absent or not a string; `day` its purchase_date (ParseDay), kNoDay when
  // absent or not a date.
  LineKind ParseInvalid(std::string_view line, size_t capacity, std::string_view& reason,
                        int32_t& day);
  LineKind ParseInvalid(std::string_view line, size_t capacity, std::string_view& reason) {
    int32_t day = kNoDay;
    return ParseInvalid(line, capacity, reason, day);
  }

 private:
  simdjson::ondemand::parser parser_;
};

}  // namespace orderflow::analytics

// Parsers for flag values that CLI11 takes as text: numbers with a rule, and durations. Each
// accepts the whole text or nothing (std::from_chars, no locale, no exceptions) and on failure
// returns InvalidArgument naming the flag and what was expected, for ReportFailure.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace orderflow::cli {

// A finite decimal number such as "2000", "0.5" or "1e3". InvalidArgument otherwise.
Result<double> ParseNumber(std::string_view flag, std::string_view text);

// ParseNumber, and greater than zero.
Result<double> ParsePositiveNumber(std::string_view flag, std::string_view text);

// A base-10 integer within [min, max]. InvalidArgument otherwise (the range is named).
Result<int64_t> ParseInteger(std::string_view flag, std::string_view text, int64_t min,
                             int64_t max);

// A duration such as "5s", "100ms", "2m" (or "2min") or a bare number of seconds, >= 0.
Result<std::chrono::milliseconds> ParseDuration(std::string_view flag, std::string_view text);

// A size in bytes such as "134217728", "128MB", "64KiB" or "1.5GB": the units are B, K/KB/KiB
// (1024), M/MB/MiB (1024^2) and G/GB/GiB (1024^3), in any case; at least 1 byte.
Result<uint64_t> ParseByteSize(std::string_view flag, std::string_view text);

}  // namespace orderflow::cli

#include "cli/flag_values.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace orderflow::cli {
namespace {

// The number at the start of `text`, and where it ended; nullopt when there is none.
std::optional<std::pair<double, std::string_view>> LeadingNumber(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  return std::make_pair(value, text.substr(static_cast<size_t>(end - text.data())));
}

}  // namespace

Result<double> ParseNumber(std::string_view flag, std::string_view text) {
  const auto number = LeadingNumber(text);
  if (!number || !number->second.empty()) {
    return Status::InvalidArgument(fmt::format("{} {}: expected a number", flag, text));
  }
  return number->first;
}

Result<double> ParsePositiveNumber(std::string_view flag, std::string_view text) {
  const auto number = LeadingNumber(text);
  if (!number || !number->second.empty() || !(number->first > 0)) {
    return Status::InvalidArgument(fmt::format("{} {}: expected a positive number", flag, text));
  }
  return number->first;
}

Result<int64_t> ParseInteger(std::string_view flag, std::string_view text, int64_t min,
                             int64_t max) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Status::InvalidArgument(
        fmt::format("{} {}: expected an integer from {} to {}", flag, text, min, max));
  }
  return value;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view flag, std::string_view text) {
  const auto number = LeadingNumber(text);
  double ms = -1;
  if (number && number->first >= 0) {
    const std::string_view unit = number->second;
    if (unit == "ms") {
      ms = number->first;
    } else if (unit == "s" || unit.empty()) {
      ms = number->first * 1000;
    } else if (unit == "m" || unit == "min") {
      ms = number->first * 60000;
    }
  }
  if (ms < 0 || ms > 1e15) {
    return Status::InvalidArgument(
        fmt::format("{} {}: expected a duration such as 100ms, 5s or 1m", flag, text));
  }
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

Result<uint64_t> ParseByteSize(std::string_view flag, std::string_view text) {
  const auto number = LeadingNumber(text);
  double factor = -1;
  if (number && number->first >= 0) {
    std::string unit(number->second);
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (unit.empty() || unit == "b") {
      factor = 1;
    } else if (unit == "k" || unit == "kb" || unit == "kib") {
      factor = 1024.0;
    } else if (unit == "m" || unit == "mb" || unit == "mib") {
      factor = 1024.0 * 1024;
    } else if (unit == "g" || unit == "gb" || unit == "gib") {
      factor = 1024.0 * 1024 * 1024;
    }
  }
  const double bytes = factor < 0 ? -1 : number->first * factor;
  if (bytes < 1 || bytes > 1e18) {
    return Status::InvalidArgument(
        fmt::format("{} {}: expected a size such as 128MB, 64KiB or 1048576", flag, text));
  }
  return static_cast<uint64_t>(bytes);
}

}  // namespace orderflow::cli

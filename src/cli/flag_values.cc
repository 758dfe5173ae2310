#include "cli/flag_values.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

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

}  // namespace orderflow::cli

#include "common/data_layout.h"

#include <fmt/format.h>

#include <charconv>

namespace orderflow::data_layout {
namespace {

constexpr std::string_view kValidDir = "orders_json";
constexpr std::string_view kInvalidDir = "invalid_events";
constexpr std::string_view kCheckpointRootDir = "_checkpoints";
constexpr std::string_view kCheckpointPrefix = "partition-";
constexpr std::string_view kLockSuffix = ".lock";
constexpr std::string_view kLogPrefix = "log-";
constexpr std::string_view kOwnerFile = "_owner";
constexpr std::string_view kPartPrefix = "part-";
constexpr std::string_view kOutputSuffix = ".json";
constexpr std::string_view kGzipSuffix = ".gz";
constexpr std::string_view kZstdSuffix = ".zst";
constexpr char kPartitionSeparator = '=';
constexpr char kHiddenPrefix = '.';
constexpr std::string_view kTempSuffix = ".tmp";
constexpr char kMetadataPrefix = '_';
constexpr std::string_view kBrokerBootstrap = "broker.bootstrap";
constexpr std::string_view kBrokerControl = "broker.control";

std::string Join(const std::string& dir, std::string_view name) {
  return fmt::format("{}/{}", dir, name);
}

// Reads the decimal digits at the front of `text` into `value`, consuming them. False when there
// are none or they overflow T. Signs are not digits: "-1" and "+1" fail.
template <typename T>
bool TakeDigits(std::string_view& text, T& value) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc()) return false;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return true;
}

bool TakePrefix(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

// What is left of a part file's name after ".json": nothing, ".gz" or ".zst".
bool CompressionOfSuffix(std::string_view rest, Compression& compression) {
  if (rest.empty()) {
    compression = Compression::kNone;
  } else if (rest == kGzipSuffix) {
    compression = Compression::kGzip;
  } else if (rest == kZstdSuffix) {
    compression = Compression::kZstd;
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string ValidDir(const std::string& data_dir) { return Join(data_dir, kValidDir); }

std::string InvalidDir(const std::string& data_dir) { return Join(data_dir, kInvalidDir); }

std::string CheckpointRootDir(const std::string& data_dir) {
  return Join(data_dir, kCheckpointRootDir);
}

std::string CheckpointDir(const std::string& data_dir, std::string_view topic) {
  return Join(CheckpointRootDir(data_dir), topic);
}

std::string CheckpointFileName(int32_t partition) {
  return fmt::format("{}{}", kCheckpointPrefix, partition);
}

std::optional<int32_t> ParseCheckpointFileName(std::string_view name) {
  std::string_view rest = name;
  int32_t partition = 0;
  if (!TakePrefix(rest, kCheckpointPrefix) || !TakeDigits(rest, partition) || !rest.empty()) {
    return std::nullopt;
  }
  // Only the spelling CheckpointFileName makes: "partition-05" would be a second name for 5.
  if (CheckpointFileName(partition) != name) return std::nullopt;
  return partition;
}

std::string PartitionLockFileName(int32_t partition) {
  return fmt::format("{}{}{}", kCheckpointPrefix, partition, kLockSuffix);
}

std::string CheckpointLogFileName(uint64_t member) {
  return fmt::format("{}{:016x}", kLogPrefix, member);
}

std::optional<uint64_t> ParseCheckpointLogFileName(std::string_view name) {
  std::string_view rest = name;
  if (!TakePrefix(rest, kLogPrefix) || rest.size() != 16) return std::nullopt;
  uint64_t member = 0;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), member, 16);
  if (ec != std::errc() || ptr != rest.data() + rest.size()) return std::nullopt;
  // Only the spelling CheckpointLogFileName makes (lowercase).
  if (CheckpointLogFileName(member) != name) return std::nullopt;
  return member;
}

std::string OwnerFilePath(const std::string& data_dir) { return Join(data_dir, kOwnerFile); }

namespace {

std::string_view CompressionSuffix(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "";
    case Compression::kGzip:
      return kGzipSuffix;
    case Compression::kZstd:
      return kZstdSuffix;
  }
  return "";
}

}  // namespace

std::string PartFileName(int32_t partition, int64_t first_offset, int64_t last_offset,
                         Compression compression) {
  return fmt::format("{}{:05}-{:019}-{:019}{}{}", kPartPrefix, partition, first_offset, last_offset,
                     kOutputSuffix, CompressionSuffix(compression));
}

std::string PartFileName(const PartFile& part) {
  return PartFileName(part.partition, part.first_offset, part.last_offset, part.compression);
}

Compression CompressionOfFileName(std::string_view name) {
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    const std::string_view suffix = CompressionSuffix(c);
    if (name.ends_with(suffix) &&
        name.substr(0, name.size() - suffix.size()).ends_with(kOutputSuffix)) {
      return c;
    }
  }
  return Compression::kNone;
}

std::optional<PartFile> ParsePartFileName(std::string_view name) {
  std::string_view rest = name;
  PartFile part;
  if (!TakePrefix(rest, kPartPrefix) || !TakeDigits(rest, part.partition) ||
      !TakePrefix(rest, "-") || !TakeDigits(rest, part.first_offset) || !TakePrefix(rest, "-") ||
      !TakeDigits(rest, part.last_offset) || !TakePrefix(rest, kOutputSuffix) ||
      part.first_offset > part.last_offset) {
    return std::nullopt;
  }
  if (!CompressionOfSuffix(rest, part.compression)) return std::nullopt;
  // Only the padding PartFileName uses: a replay must find the very name it wrote before.
  if (PartFileName(part) != name) return std::nullopt;
  return part;
}

std::string OpenPartFileName(int32_t partition, int64_t first_offset, Compression compression) {
  return fmt::format("{}{}{:05}-{:019}{}{}{}", kHiddenPrefix, kPartPrefix, partition, first_offset,
                     kOutputSuffix, CompressionSuffix(compression), kTempSuffix);
}

std::optional<OpenPart> ParseOpenPartFileName(std::string_view name) {
  std::string_view rest = name;
  OpenPart part;
  if (rest.empty() || rest.front() != kHiddenPrefix) return std::nullopt;
  rest.remove_prefix(1);
  if (!TakePrefix(rest, kPartPrefix) || !TakeDigits(rest, part.partition) ||
      !TakePrefix(rest, "-") || !TakeDigits(rest, part.first_offset) ||
      !TakePrefix(rest, kOutputSuffix) || !rest.ends_with(kTempSuffix)) {
    return std::nullopt;
  }
  rest.remove_suffix(kTempSuffix.size());
  if (!CompressionOfSuffix(rest, part.compression)) return std::nullopt;
  if (OpenPartFileName(part.partition, part.first_offset, part.compression) != name) {
    return std::nullopt;
  }
  return part;
}

std::optional<int32_t> PartitionOfPartTemp(std::string_view name) {
  if (auto open = ParseOpenPartFileName(name)) return open->partition;
  // An earlier version's temporary: "." + PartFileName(...) + ".tmp".
  // The dot of ".tmp" alone is not a hidden prefix too: the name must be longer than both.
  if (name.size() <= 1 + kTempSuffix.size() || name.front() != kHiddenPrefix ||
      !name.ends_with(kTempSuffix)) {
    return std::nullopt;
  }
  name.remove_prefix(1);
  name.remove_suffix(kTempSuffix.size());
  if (auto part = ParsePartFileName(name)) return part->partition;
  return std::nullopt;
}

std::string TempFileName(std::string_view final_name) {
  return fmt::format("{}{}{}", kHiddenPrefix, final_name, kTempSuffix);
}

bool IsTempFileName(std::string_view name) {
  return !name.empty() && name.front() == kHiddenPrefix;
}

bool IsIgnoredByReaders(std::string_view name) {
  return name.empty() || IsTempFileName(name) || name.front() == kMetadataPrefix;
}

bool IsOutputFileName(std::string_view name) {
  return !IsIgnoredByReaders(name) &&
         (name.ends_with(kOutputSuffix) || CompressionOfFileName(name) != Compression::kNone);
}

bool IsCalendarDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0, month = 0, day = 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto number = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  year = number(0, 4);
  month = number(5, 2);
  day = number(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::string PurchaseDateDirName(std::optional<std::string_view> date) {
  const std::string_view value =
      date && IsCalendarDate(*date) ? *date : std::string_view(kDefaultPartitionValue);
  return fmt::format("{}{}{}", kPurchaseDateColumn, kPartitionSeparator, value);
}

std::optional<PartitionDir> ParsePartitionDirName(std::string_view name) {
  const size_t at = name.find(kPartitionSeparator);
  if (IsIgnoredByReaders(name) || at == std::string_view::npos || at == 0 ||
      at + 1 == name.size()) {
    return std::nullopt;
  }
  return PartitionDir{name.substr(0, at), name.substr(at + 1)};
}

std::string BrokerBootstrapFileName() { return std::string(kBrokerBootstrap); }

std::string BrokerControlFileName() { return std::string(kBrokerControl); }

std::string BrokerBootstrapFilePath(const std::string& data_dir) {
  return Join(data_dir, kBrokerBootstrap);
}

std::string BrokerControlFilePath(const std::string& data_dir) {
  return Join(data_dir, kBrokerControl);
}

bool IsBrokerFileName(std::string_view name) {
  return name == kBrokerBootstrap || name == kBrokerControl;
}

}  // namespace orderflow::data_layout

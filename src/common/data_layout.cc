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

std::string PartFileName(int32_t partition, int64_t first_offset, int64_t last_offset) {
  return fmt::format("{}{:05}-{:019}-{:019}{}", kPartPrefix, partition, first_offset, last_offset,
                     kOutputSuffix);
}

std::string PartFileName(const PartFile& part) {
  return PartFileName(part.partition, part.first_offset, part.last_offset);
}

std::optional<PartFile> ParsePartFileName(std::string_view name) {
  std::string_view rest = name;
  PartFile part;
  if (!TakePrefix(rest, kPartPrefix) || !TakeDigits(rest, part.partition) ||
      !TakePrefix(rest, "-") || !TakeDigits(rest, part.first_offset) || !TakePrefix(rest, "-") ||
      !TakeDigits(rest, part.last_offset) || rest != kOutputSuffix ||
      part.first_offset > part.last_offset) {
    return std::nullopt;
  }
  // Only the padding PartFileName uses: a replay must find the very name it wrote before.
  if (PartFileName(part) != name) return std::nullopt;
  return part;
}

std::string OpenPartFileName(int32_t partition, int64_t first_offset) {
  return fmt::format("{}{}{:05}-{:019}{}{}", kHiddenPrefix, kPartPrefix, partition, first_offset,
                     kOutputSuffix, kTempSuffix);
}

std::optional<OpenPart> ParseOpenPartFileName(std::string_view name) {
  std::string_view rest = name;
  OpenPart part;
  if (rest.empty() || rest.front() != kHiddenPrefix) return std::nullopt;
  rest.remove_prefix(1);
  if (!TakePrefix(rest, kPartPrefix) || !TakeDigits(rest, part.partition) ||
      !TakePrefix(rest, "-") || !TakeDigits(rest, part.first_offset) ||
      !TakePrefix(rest, kOutputSuffix) || rest != kTempSuffix) {
    return std::nullopt;
  }
  if (OpenPartFileName(part.partition, part.first_offset) != name) return std::nullopt;
  return part;
}

std::optional<int32_t> PartitionOfPartTemp(std::string_view name) {
  if (auto open = ParseOpenPartFileName(name)) return open->partition;
  // An earlier version's temporary: "." + PartFileName(...) + ".tmp".
  if (name.size() < 2 || name.front() != kHiddenPrefix || !name.ends_with(kTempSuffix)) {
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
  return !IsIgnoredByReaders(name) && name.ends_with(kOutputSuffix);
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

#include "common/data_layout.h"

#include <fmt/format.h>

#include <charconv>

namespace orderflow::data_layout {
namespace {

constexpr std::string_view kValidDir = "orders_json";
constexpr std::string_view kInvalidDir = "invalid_events";
constexpr std::string_view kCheckpointRootDir = "_checkpoints";
constexpr std::string_view kCheckpointPrefix = "partition-";
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

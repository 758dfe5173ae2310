#include "stream/checkpoint_format.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace orderflow::stream {
namespace {

constexpr std::string_view kSnapshotV1 = "orderflow-checkpoint v1";
constexpr std::string_view kSnapshotV2 = "orderflow-checkpoint v2";
constexpr std::string_view kLogV2 = "orderflow-log v2";
constexpr size_t kSnapshotBodySize = 150;

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    return table;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) crc = kTable[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

// " file=open:<first>:<valid bytes>:<invalid bytes>" (or closed:), nothing for kNone.
std::string FileField(const PartitionCheckpoint& c) {
  if (c.file == PartitionCheckpoint::File::kNone) return "";
  return fmt::format(" file={}:{}:{}:{}",
                     c.file == PartitionCheckpoint::File::kOpen ? "open" : "closed", c.file_first,
                     c.valid_bytes, c.invalid_bytes);
}

template <typename T>
bool TakeNumber(std::string_view& text, T& value) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr == text.data()) return false;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return true;
}

// Parses "<prefix><non-negative int>" at the front of `text`, consuming it.
template <typename T>
bool TakeField(std::string_view& text, std::string_view prefix, T& value) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  return TakeNumber(text, value);
}

bool TakeFileField(std::string_view& text, PartitionCheckpoint& c) {
  if (!text.starts_with(" file=")) return true;  // optional
  text.remove_prefix(6);
  if (text.starts_with("open:")) {
    c.file = PartitionCheckpoint::File::kOpen;
    text.remove_prefix(5);
  } else if (text.starts_with("closed:")) {
    c.file = PartitionCheckpoint::File::kClosed;
    text.remove_prefix(7);
  } else {
    return false;
  }
  return TakeField(text, "", c.file_first) && TakeField(text, ":", c.valid_bytes) &&
         TakeField(text, ":", c.invalid_bytes) && c.file_first <= c.next_offset;
}

// " batch=<valid from>:<invalid from>:<valid crc, 8 hex>:<invalid crc, 8 hex>", optional.
std::string BatchField(const PartitionCheckpoint& c) {
  if (!c.has_batch) return "";
  return fmt::format(" batch={}:{}:{:08x}:{:08x}", c.batch_valid_from, c.batch_invalid_from,
                     c.batch_valid_crc, c.batch_invalid_crc);
}

bool TakeHex(std::string_view& text, uint32_t& value) {
  if (text.size() < 8) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + 8, value, 16);
  if (ec != std::errc() || ptr != text.data() + 8) return false;
  text.remove_prefix(8);
  return true;
}

bool TakeBatchField(std::string_view& text, PartitionCheckpoint& c) {
  if (!text.starts_with(" batch=")) return true;  // optional
  text.remove_prefix(7);
  c.has_batch = TakeField(text, "", c.batch_valid_from) &&
                TakeField(text, ":", c.batch_invalid_from) && text.starts_with(":");
  if (!c.has_batch) return false;
  text.remove_prefix(1);
  if (!TakeHex(text, c.batch_valid_crc) || !text.starts_with(":")) return false;
  text.remove_prefix(1);
  return TakeHex(text, c.batch_invalid_crc) && c.file != PartitionCheckpoint::File::kNone &&
         c.batch_valid_from <= c.valid_bytes && c.batch_invalid_from <= c.invalid_bytes;
}

Result<PartitionCheckpoint> DecodeLogLine(std::string_view line) {
  std::string_view body;
  if (!BodyOfLineWithCrc(line, body) || !body.starts_with(kLogV2)) {
    return Status::Corruption(fmt::format("damaged record '{}'", line.substr(0, 120)));
  }
  std::string_view rest = body.substr(kLogV2.size());
  PartitionCheckpoint c;
  if (!TakeField(rest, " partition=", c.partition) || !TakeField(rest, " seq=", c.seq) ||
      !TakeField(rest, " next_offset=", c.next_offset) || !TakeFileField(rest, c) ||
      !TakeBatchField(rest, c) || !rest.empty() || c.seq == 0) {
    return Status::Corruption(fmt::format("bad record '{}'", line.substr(0, 120)));
  }
  return c;
}

}  // namespace

std::string EncodeCheckpoint(const PartitionCheckpoint& c) {
  // Padded with spaces to one length whatever the numbers, so that the snapshot can be
  // rewritten in place (the longest body, all numbers at their widest, is 146 characters).
  return LineWithCrc(fmt::format(
      "{:<{}}", fmt::format("{} next={} seq={}{}", kSnapshotV2, c.next_offset, c.seq, FileField(c)),
      kSnapshotBodySize));
}

size_t CheckpointSize() { return kSnapshotBodySize + std::string_view(" crc=00000000\n").size(); }

Result<PartitionCheckpoint> DecodeCheckpoint(std::string_view text) {
  auto corrupt = [&](std::string_view why) {
    return Status::Corruption(fmt::format("checkpoint {}: '{}'", why, text.substr(0, 120)));
  };
  if (text.empty() || text.back() != '\n') return corrupt("is truncated");
  std::string_view body;
  if (!BodyOfLineWithCrc(text, body)) return corrupt("fails its crc check");
  PartitionCheckpoint c;
  std::string_view rest = body;
  if (rest.starts_with(kSnapshotV2)) {
    rest.remove_prefix(kSnapshotV2.size());
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);  // the padding
    if (!TakeField(rest, " next=", c.next_offset) || !TakeField(rest, " seq=", c.seq) ||
        !TakeFileField(rest, c) || !rest.empty() || c.seq == 0) {
      return corrupt("has bad fields");
    }
    return c;
  }
  if (!rest.starts_with(kSnapshotV1)) return corrupt("has an unknown format");
  rest.remove_prefix(kSnapshotV1.size());
  if (!TakeField(rest, " next=", c.next_offset)) return corrupt("has no next offset");
  if (!rest.empty()) {
    if (!TakeField(rest, " pending=", c.pending_first) || !TakeField(rest, "-", c.pending_last) ||
        !rest.empty() || c.pending_last < c.pending_first) {
      return corrupt("has a bad pending range");
    }
    c.has_pending = true;
  }
  return c;
}

std::string EncodeLogRecord(const PartitionCheckpoint& c) {
  return LineWithCrc(fmt::format("{} partition={} seq={} next_offset={}{}{}", kLogV2, c.partition,
                                 c.seq, c.next_offset, FileField(c), BatchField(c)));
}

Result<std::vector<PartitionCheckpoint>> DecodeLog(std::string_view content, size_t* good_size) {
  std::vector<PartitionCheckpoint> records;
  size_t at = 0;
  while (at < content.size()) {
    const size_t end = content.find('\n', at);
    const std::string_view line =
        content.substr(at, end == std::string_view::npos ? std::string_view::npos : end + 1 - at);
    auto record = DecodeLogLine(line);
    if (!record.ok()) {
      if (end == std::string_view::npos || end + 1 == content.size())
        break;  // an unfinished append
      return Status::Corruption(fmt::format("{} at byte {}", record.status().message(), at));
    }
    records.push_back(*record);
    at = end + 1;
  }
  if (good_size != nullptr) *good_size = at;
  return records;
}

std::string LineWithCrc(std::string_view body) {
  return fmt::format("{} crc={:08x}\n", body, Crc32(body));
}

bool BodyOfLineWithCrc(std::string_view line, std::string_view& body) {
  if (line.empty() || line.back() != '\n') return false;
  line.remove_suffix(1);
  const size_t crc_pos = line.rfind(" crc=");
  if (crc_pos == std::string_view::npos) return false;
  body = line.substr(0, crc_pos);
  const std::string_view crc_text = line.substr(crc_pos + 5);
  uint32_t crc = 0;
  auto [ptr, ec] = std::from_chars(crc_text.data(), crc_text.data() + crc_text.size(), crc, 16);
  return ec == std::errc() && crc_text.size() == 8 && ptr == crc_text.data() + crc_text.size() &&
         crc == Crc32(body);
}

}  // namespace orderflow::stream

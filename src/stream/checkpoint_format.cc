#include "stream/checkpoint_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

namespace orderflow::stream {
namespace {

constexpr std::string_view kSnapshotV1 = "orderflow-checkpoint v1";
constexpr std::string_view kSnapshotV2 = "orderflow-checkpoint v2";
constexpr std::string_view kLogV2 = "orderflow-log v2";
constexpr size_t kSnapshotBodySize = 160;

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

bool TakeHex(std::string_view& text, uint32_t& value) {
  if (text.size() < 8) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + 8, value, 16);
  if (ec != std::errc() || ptr != text.data() + 8) return false;
  text.remove_prefix(8);
  return true;
}

// " file=open:<first>[:<compression>]" (or closed:), then one " <v|i>[@<folder>]:<bytes>" per
// file, with "/<batch from>/<batch crc, 8 hex>" when `with_batch` and the file has one; nothing
// for kNone.
std::string FileFields(const PartitionCheckpoint& c, bool with_batch) {
  if (c.file == PartitionCheckpoint::File::kNone) return "";
  std::string out = fmt::format(
      " file={}:{}", c.file == PartitionCheckpoint::File::kOpen ? "open" : "closed", c.file_first);
  if (c.compression != Compression::kNone) {
    out += fmt::format(":{}", CompressionName(c.compression));
  }
  for (const PartitionCheckpoint::FileLength& f : c.files) {
    out += f.output == PartitionCheckpoint::kValid ? " v" : " i";
    if (!f.folder.empty()) out += fmt::format("@{}", f.folder);
    out += fmt::format(":{}", f.bytes);
    if (with_batch && f.batch_from < f.bytes) {
      out += fmt::format("/{}/{:08x}", f.batch_from, f.batch_crc);
    }
  }
  return out;
}

bool ValidFolder(std::string_view folder) {
  return folder.find_first_of(" :/@\n") == std::string_view::npos;
}

bool TakeFileFields(std::string_view& text, PartitionCheckpoint& c) {
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
  if (!TakeField(text, "", c.file_first) || c.file_first > c.next_offset) return false;
  if (text.starts_with(":")) {
    text.remove_prefix(1);
    const size_t end = std::min(text.find(' '), text.size());
    const auto compression = ParseCompression(text.substr(0, end));
    if (!compression || *compression == Compression::kNone) return false;
    c.compression = *compression;
    text.remove_prefix(end);
  }
  while (text.starts_with(" v") || text.starts_with(" i")) {
    PartitionCheckpoint::FileLength f;
    f.output = text[1] == 'v' ? PartitionCheckpoint::kValid : PartitionCheckpoint::kInvalid;
    text.remove_prefix(2);
    if (text.starts_with("@")) {
      text.remove_prefix(1);
      const size_t colon = text.find(':');
      if (colon == std::string_view::npos || colon == 0) return false;
      f.folder = std::string(text.substr(0, colon));
      if (!ValidFolder(f.folder)) return false;
      text.remove_prefix(colon);
    }
    if (!TakeField(text, ":", f.bytes)) return false;
    if (text.starts_with("/")) {
      if (!TakeField(text, "/", f.batch_from) || !text.starts_with("/")) return false;
      text.remove_prefix(1);
      if (!TakeHex(text, f.batch_crc) || f.batch_from >= f.bytes) return false;
    } else {
      f.batch_from = f.bytes;
    }
    const bool ordered = c.files.empty() || std::tie(c.files.back().output, c.files.back().folder) <
                                                std::tie(f.output, f.folder);
    if (!ordered) return false;
    c.files.push_back(std::move(f));
  }
  return true;
}

Result<PartitionCheckpoint> DecodeLogLine(std::string_view line) {
  std::string_view body;
  if (!BodyOfLineWithCrc(line, body) || !body.starts_with(kLogV2)) {
    return Status::Corruption(fmt::format("damaged record '{}'", line.substr(0, 120)));
  }
  std::string_view rest = body.substr(kLogV2.size());
  PartitionCheckpoint c;
  if (!TakeField(rest, " partition=", c.partition) || !TakeField(rest, " seq=", c.seq) ||
      !TakeField(rest, " next_offset=", c.next_offset) || !TakeFileFields(rest, c) ||
      !rest.empty() || c.seq == 0) {
    return Status::Corruption(fmt::format("bad record '{}'", line.substr(0, 120)));
  }
  return c;
}

}  // namespace

bool PartitionCheckpoint::HasBatch() const {
  return std::any_of(files.begin(), files.end(),
                     [](const FileLength& f) { return f.batch_from < f.bytes; });
}

void PartitionCheckpoint::ClearBatch() {
  for (FileLength& f : files) {
    f.batch_from = f.bytes;
    f.batch_crc = 0;
  }
}

uint64_t PartitionCheckpoint::Bytes(Output output, std::string_view folder) const {
  for (const FileLength& f : files) {
    if (f.output == output && f.folder == folder) return f.bytes;
  }
  return 0;
}

std::string EncodeCheckpoint(const PartitionCheckpoint& c) {
  // Padded with spaces, so that the snapshot keeps its size and can be rewritten in place.
  const std::string body =
      fmt::format("{} next={} seq={}{}", kSnapshotV2, c.next_offset, c.seq, FileFields(c, false));
  const size_t padded =
      body.size() <= kSnapshotBodySize ? kSnapshotBodySize : (body.size() + 127) / 128 * 128;
  return LineWithCrc(fmt::format("{:<{}}", body, padded));
}

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
        !TakeFileFields(rest, c) || !rest.empty() || c.seq == 0 || c.HasBatch()) {
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
  return LineWithCrc(fmt::format("{} partition={} seq={} next_offset={}{}", kLogV2, c.partition,
                                 c.seq, c.next_offset, FileFields(c, true)));
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

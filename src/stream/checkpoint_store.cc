#include "stream/checkpoint_store.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <vector>

#include "common/data_layout.h"

namespace orderflow::stream {
namespace {

constexpr std::string_view kMagic = "orderflow-checkpoint v1";

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

std::string Body(const PartitionCheckpoint& c) {
  if (c.has_pending) {
    return fmt::format("{} next={} pending={}-{}", kMagic, c.next_offset, c.pending_first,
                       c.pending_last);
  }
  return fmt::format("{} next={}", kMagic, c.next_offset);
}

// Parses "<prefix><int>" at the front of `text`, consuming it.
bool TakeInt(std::string_view& text, std::string_view prefix, int64_t& value) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return false;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return true;
}

}  // namespace

std::string EncodeCheckpoint(const PartitionCheckpoint& checkpoint) {
  const std::string body = Body(checkpoint);
  return fmt::format("{} crc={:08x}\n", body, Crc32(body));
}

Result<PartitionCheckpoint> DecodeCheckpoint(std::string_view text) {
  auto corrupt = [&](std::string_view why) {
    return Status::Corruption(fmt::format("checkpoint {}: '{}'", why, text.substr(0, 120)));
  };
  if (text.empty() || text.back() != '\n') return corrupt("is truncated");
  text.remove_suffix(1);
  const size_t crc_pos = text.rfind(" crc=");
  if (crc_pos == std::string_view::npos) return corrupt("has no crc");
  const std::string_view body = text.substr(0, crc_pos);
  const std::string_view crc_text = text.substr(crc_pos + 5);
  uint32_t crc = 0;
  auto [ptr, ec] = std::from_chars(crc_text.data(), crc_text.data() + crc_text.size(), crc, 16);
  if (ec != std::errc() || ptr != crc_text.data() + crc_text.size() || crc != Crc32(body)) {
    return corrupt("fails its crc check");
  }
  std::string_view rest = body;
  if (rest.substr(0, kMagic.size()) != kMagic) return corrupt("has an unknown format");
  rest.remove_prefix(kMagic.size());
  PartitionCheckpoint c;
  if (!TakeInt(rest, " next=", c.next_offset)) return corrupt("has no next offset");
  if (!rest.empty()) {
    if (!TakeInt(rest, " pending=", c.pending_first) || !TakeInt(rest, "-", c.pending_last) ||
        !rest.empty() || c.pending_last < c.pending_first) {
      return corrupt("has a bad pending range");
    }
    c.has_pending = true;
  }
  return c;
}

CheckpointStore::CheckpointStore(FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

Status CheckpointStore::Open() { return fs_.CreateDirs(dir_); }

Result<PartitionCheckpoint> CheckpointStore::Load(int32_t partition) {
  auto text = fs_.ReadFile(fmt::format("{}/{}", dir_, data_layout::CheckpointFileName(partition)));
  if (!text.ok()) return text.status();
  return DecodeCheckpoint(*text);
}

Status CheckpointStore::Save(const std::map<int32_t, PartitionCheckpoint>& checkpoints) {
  if (checkpoints.empty()) return Status::Ok();
  std::vector<std::string> bodies;
  bodies.reserve(checkpoints.size());
  std::vector<PendingFile> files;
  files.reserve(checkpoints.size());
  for (const auto& [partition, checkpoint] : checkpoints) {
    bodies.push_back(EncodeCheckpoint(checkpoint));
    files.push_back({data_layout::CheckpointFileName(partition), bodies.back()});
  }
  return PublishFiles(fs_, dir_, files);
}

}  // namespace orderflow::stream

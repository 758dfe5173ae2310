#include "stream/output_files.h"

#include <fmt/format.h>

#include <cstring>
#include <utility>

namespace orderflow::stream {
namespace {

// Appends `piece` to `views`, extending the last view when `piece` continues it in memory (the
// lines of one buffer that go to the same file become one write).
void Append(std::vector<std::string_view>& views, std::string_view piece) {
  if (piece.empty()) return;
  if (!views.empty() && views.back().data() + views.back().size() == piece.data()) {
    views.back() = std::string_view(views.back().data(), views.back().size() + piece.size());
    return;
  }
  views.push_back(piece);
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<std::string_view> FindPurchaseDate(std::string_view line) {
  static constexpr std::string_view kKey = "\"purchase_date\"";
  for (size_t at = line.find(kKey); at != std::string_view::npos; at = line.find(kKey, at + 1)) {
    // A quote after an odd number of backslashes is inside a string value, not a key.
    size_t backslashes = 0;
    while (backslashes < at && line[at - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) continue;
    size_t i = at + kKey.size();
    while (i < line.size() && IsJsonSpace(line[i])) ++i;
    if (i == line.size() || line[i] != ':') continue;  // a string value that reads the same
    ++i;
    while (i < line.size() && IsJsonSpace(line[i])) ++i;
    if (i == line.size() || line[i] != '"') return std::nullopt;  // not a string
    const size_t close = line.find('"', i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return line.substr(i + 1, close - i - 1);
  }
  return std::nullopt;
}

OutputFiles::OutputFiles(OutputLayout layout) : layout_(layout), encoder_(layout.compression) {}

void OutputFiles::Clear() {
  files_.clear();
  used_contents_ = 0;
}

OutputFiles::Content& OutputFiles::NewContent() {
  if (used_contents_ == contents_.size()) contents_.push_back(std::make_unique<Content>());
  Content& content = *contents_[used_contents_++];
  content.views.clear();
  content.encoded.clear();
  return content;
}

Status OutputFiles::AddFile(const data_layout::PartFile& range, std::string subdir,
                            Content& content, std::span<const std::string_view> pieces) {
  PendingFile& file = files_.emplace_back();
  file.name = data_layout::PartFileName(range.partition, range.first_offset, range.last_offset,
                                        layout_.compression);
  file.subdir = std::move(subdir);
  if (layout_.compression == Compression::kNone) {
    file.pieces = pieces;
    return Status::Ok();
  }
  if (Status s = encoder_.Encode(pieces, content.encoded); !s.ok()) {
    files_.pop_back();
    return s;
  }
  file.data = content.encoded;
  return Status::Ok();
}

size_t OutputFiles::FolderOf(std::string_view line) {
  std::optional<std::string_view> date = FindPurchaseDate(line);
  const std::string_view key =
      date && data_layout::IsCalendarDate(*date) ? *date : std::string_view();
  // Events of a batch come in runs of the same day often enough to try the last folder first.
  if (last_folder_ < folders_.size() && folders_[last_folder_].date == key) return last_folder_;
  for (size_t i = 0; i < folders_.size(); ++i) {
    if (folders_[i].date == key) return last_folder_ = i;
  }
  folders_.push_back({std::string(key), &NewContent()});
  return last_folder_ = folders_.size() - 1;
}

Status OutputFiles::Add(const data_layout::PartFile& range,
                        std::span<const std::string_view> pieces) {
  if (!layout_.partition_by_purchase_date) {
    Content& content = NewContent();
    for (std::string_view piece : pieces) Append(content.views, piece);
    if (content.views.empty()) {
      --used_contents_;
      return Status::Ok();
    }
    return AddFile(range, "", content, content.views);
  }
  // Split into lines (a line may run over several pieces: a message's payload, then "\n").
  folders_.clear();
  last_folder_ = 0;
  std::vector<std::string_view> segments;  // the current line's pieces before its newline
  std::string joined;                      // the current line, when it spans pieces
  auto end_line = [&](std::string_view head, std::string_view newline) {
    std::string_view line = head;
    if (segments.size() == 1 && head.empty()) {
      line = segments[0];
    } else if (!segments.empty()) {
      joined.clear();
      for (std::string_view s : segments) joined.append(s);
      joined.append(head);
      line = joined;
    }
    std::vector<std::string_view>& views = folders_[FolderOf(line)].content->views;
    for (std::string_view s : segments) Append(views, s);
    Append(views, head);
    Append(views, newline);
    segments.clear();
  };
  for (std::string_view piece : pieces) {
    size_t pos = 0;
    while (pos < piece.size()) {
      const void* nl = std::memchr(piece.data() + pos, '\n', piece.size() - pos);
      if (nl == nullptr) {
        segments.push_back(piece.substr(pos));
        break;
      }
      const auto end = static_cast<size_t>(static_cast<const char*>(nl) - piece.data());
      end_line(piece.substr(pos, end - pos), piece.substr(end, 1));
      pos = end + 1;
    }
  }
  if (!segments.empty()) end_line({}, "\n");  // a last line without its newline (not expected)
  for (Folder& folder : folders_) {
    std::optional<std::string_view> date;
    if (!folder.date.empty()) date = folder.date;
    if (Status s = AddFile(range, data_layout::PurchaseDateDirName(date), *folder.content,
                           folder.content->views);
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status RemovePartFiles(FileSystem& fs, const std::string& dir, const data_layout::PartFile& range,
                       const OutputLayout& layout) {
  auto names = fs.List(dir);
  if (!names.ok()) return names.status().IsNotFound() ? Status::Ok() : names.status();
  // The folder itself and each partition folder in it.
  std::vector<std::string> folders = {dir};
  for (const std::string& name : *names) {
    if (data_layout::ParsePartitionDirName(name) && !data_layout::IsOutputFileName(name)) {
      folders.push_back(fmt::format("{}/{}", dir, name));
    }
  }
  for (const std::string& folder : folders) {
    Result<std::vector<std::string>> files = folder == dir ? std::move(names) : fs.List(folder);
    if (!files.ok()) {
      if (files.status().IsNotFound()) continue;  // a file named like a folder, or gone
      return files.status();
    }
    // Where the replay writes: date folders when partitioning, the top otherwise.
    const bool replay_writes_here = (folder != dir) == layout.partition_by_purchase_date;
    bool removed = false;
    for (const std::string& name : *files) {
      const std::optional<data_layout::PartFile> part = data_layout::ParsePartFileName(name);
      if (!part || !part->SameRange(range)) continue;
      if (replay_writes_here && part->compression == layout.compression) continue;
      if (Status s = fs.Remove(fmt::format("{}/{}", folder, name)); !s.ok()) return s;
      removed = true;
    }
    if (removed) {
      if (Status s = fs.SyncDir(folder); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace orderflow::stream

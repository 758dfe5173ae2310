#include "stream/part_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "common/crc32c.h"
#include "common/data_layout.h"

namespace orderflow::stream {

PartFiles::PartFiles(FileSystem& fs, TaskPool& pool, std::string valid_dir, std::string invalid_dir)
    : fs_(fs), pool_(pool), dirs_{std::move(valid_dir), std::move(invalid_dir)} {}

std::string PartFiles::TempPath(int32_t partition, int64_t first, Output output) const {
  return fmt::format("{}/{}", dirs_[output], data_layout::OpenPartFileName(partition, first));
}

Result<PartFiles::Listing> PartFiles::List() {
  Listing listing;
  for (int output : {kValid, kInvalid}) {
    auto names = fs_.List(dirs_[output]);
    if (!names.ok()) return names.status();
    listing.names[output].insert(names->begin(), names->end());
  }
  return listing;
}

Status PartFiles::Recover(const PartitionCheckpoint& committed, const Listing& listing) {
  const int32_t p = committed.partition;
  Drop(p);
  const bool has_file = committed.file != PartitionCheckpoint::File::kNone;
  const std::string keep =
      has_file ? data_layout::OpenPartFileName(p, committed.file_first) : std::string();
  // The next file's name: an uncommitted batch's temporary under it is replaced when that file
  // is opened (and left alone until then: one operation fewer on every restart).
  const std::string next = committed.file == PartitionCheckpoint::File::kOpen
                               ? std::string()
                               : data_layout::OpenPartFileName(p, committed.next_offset);
  Entry entry;
  entry.info.first = committed.file_first;
  entry.info.opened = Clock::now();
  for (Output output : {kValid, kInvalid}) {
    const uint64_t length = output == kValid ? committed.valid_bytes : committed.invalid_bytes;
    const std::string& dir = dirs_[output];
    // Whatever uncommitted batches and earlier versions left.
    for (const std::string& name : listing.names[output]) {
      if (name != keep && name != next && data_layout::PartitionOfPartTemp(name) == p) {
        if (Status s = fs_.Remove(fmt::format("{}/{}", dir, name)); !s.ok()) return s;
      }
    }
    if (!has_file) continue;
    const std::string temp = fmt::format("{}/{}", dir, keep);
    const bool temp_exists = listing.names[output].contains(keep);
    if (committed.file == PartitionCheckpoint::File::kClosed) {
      // Published, or to be renamed: roll the rename forward. A final name that is gone was
      // published and taken away by someone else (readers may move files they have read).
      if (!temp_exists) continue;
      const std::string final_name =
          data_layout::PartFileName(p, committed.file_first, committed.next_offset - 1);
      if (length == 0 || listing.names[output].contains(final_name)) {
        if (Status s = fs_.Remove(temp); !s.ok()) return s;  // an uncommitted batch's
        continue;
      }
      auto size = fs_.FileSize(temp);
      if (!size.ok()) return size.status();
      if (*size < length) {
        return Status::Corruption(fmt::format(
            "{} holds {} bytes but {} were committed: the file was cut by something else", temp,
            *size, length));
      }
      if (*size > length) {
        if (Status s = fs_.Truncate(temp, length); !s.ok()) return s;
      }
      if (Status s = fs_.Rename(temp, fmt::format("{}/{}", dir, final_name)); !s.ok()) return s;
      renamed_[output] = true;
      continue;
    }
    // Open: keep appending to it after its committed length.
    if (length == 0) {
      if (temp_exists) {
        if (Status s = fs_.Remove(temp); !s.ok()) return s;
      }
      continue;
    }
    auto size = temp_exists ? fs_.FileSize(temp) : Result<uint64_t>(uint64_t{0});
    if (!size.ok()) return size.status();
    if (*size < length) {
      return Status::Corruption(fmt::format(
          "{}: {} bytes were committed but {} are there: the open file was cut or removed by "
          "something else",
          temp, length, *size));
    }
    if (*size > length) {
      if (Status s = fs_.Truncate(temp, length); !s.ok()) return s;
    }
    auto file = fs_.NewAppendableFile(temp);
    if (!file.ok()) return file.status();
    entry.files[output] = std::move(file).value();
    entry.info.bytes[output] = entry.info.synced[output] = length;
  }
  if (committed.file == PartitionCheckpoint::File::kOpen) open_[p] = std::move(entry);
  return Status::Ok();
}

Status PartFiles::Append(int32_t partition, int64_t first, std::span<const std::string_view> valid,
                         std::string_view invalid) {
  auto [it, added] = open_.try_emplace(partition);
  Entry& entry = it->second;
  if (added) {
    entry.info.first = first;
    entry.info.opened = Clock::now();
  }
  const std::span<const std::string_view> pieces[2] = {
      valid, std::span<const std::string_view>(&invalid, 1)};
  for (Output output : {kValid, kInvalid}) {
    uint64_t bytes = 0;
    for (std::string_view piece : pieces[output]) bytes += piece.size();
    if (bytes == 0) continue;
    std::unique_ptr<WritableFile>& file = entry.files[output];
    if (!file) {
      // A temporary an uncommitted batch left under this name is replaced.
      auto opened = fs_.NewWritableFile(TempPath(partition, entry.info.first, output));
      if (!opened.ok()) return opened.status();
      file = std::move(opened).value();
      created_[output] = true;
    }
    const bool listed = std::any_of(unsynced_.begin(), unsynced_.end(),
                                    [&](const auto& u) { return u.first == file.get(); });
    if (!listed) unsynced_.emplace_back(file.get(), &entry.info);
    for (std::string_view piece : pieces[output]) {
      entry.info.crc[output] = Crc32c(piece, entry.info.crc[output]);
    }
    if (Status s = file->Append(pieces[output]); !s.ok()) return s;
    entry.info.bytes[output] = file->size();
  }
  return Status::Ok();
}

namespace {

Status RunTasks(FileSystem& fs, TaskPool& pool, const std::vector<std::function<Status()>>& tasks) {
  if (fs.SupportsConcurrentWrites()) return pool.Run(tasks);
  for (const auto& task : tasks) {
    if (Status s = task(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status PartFiles::SyncRenames() {
  std::vector<std::function<Status()>> tasks;
  for (Output output : {kValid, kInvalid}) {
    if (renamed_[output] || created_[output]) {
      tasks.emplace_back([this, output] { return fs_.SyncDir(dirs_[output]); });
    }
  }
  if (Status s = RunTasks(fs_, pool_, tasks); !s.ok()) return s;
  renamed_[kValid] = renamed_[kInvalid] = created_[kValid] = created_[kInvalid] = false;
  return Status::Ok();
}

Status PartFiles::Sync(const std::function<Status()>& with) {
  std::vector<std::function<Status()>> tasks;
  tasks.reserve(unsynced_.size() + 3);
  if (with) tasks.push_back(with);
  for (const auto& [file, info] : unsynced_) tasks.emplace_back([file] { return file->Sync(); });
  for (Output output : {kValid, kInvalid}) {
    if (renamed_[output] || created_[output]) {
      tasks.emplace_back([this, output] { return fs_.SyncDir(dirs_[output]); });
    }
  }
  if (Status s = RunTasks(fs_, pool_, tasks); !s.ok()) return s;
  for (const auto& [file, info] : unsynced_) {
    for (Output output : {kValid, kInvalid}) {
      info->synced[output] = info->bytes[output];
      info->crc[output] = 0;
    }
  }
  unsynced_.clear();
  renamed_[kValid] = renamed_[kInvalid] = created_[kValid] = created_[kInvalid] = false;
  return Status::Ok();
}

Result<bool> PartFiles::Holds(const PartitionCheckpoint& c) {
  if (!c.has_batch) return true;
  for (Output output : {kValid, kInvalid}) {
    const uint64_t from = output == kValid ? c.batch_valid_from : c.batch_invalid_from;
    const uint64_t to = output == kValid ? c.valid_bytes : c.invalid_bytes;
    const uint32_t crc = output == kValid ? c.batch_valid_crc : c.batch_invalid_crc;
    if (to <= from) continue;
    auto bytes = fs_.ReadRange(TempPath(c.partition, c.file_first, output), from, to - from);
    if (!bytes.ok() && bytes.status().IsNotFound() &&
        c.file == PartitionCheckpoint::File::kClosed) {
      bytes = fs_.ReadRange(
          fmt::format("{}/{}", dirs_[output],
                      data_layout::PartFileName(c.partition, c.file_first, c.next_offset - 1)),
          from, to - from);
    }
    if (!bytes.ok()) {
      if (bytes.status().IsNotFound()) return false;
      return bytes.status();
    }
    if (bytes->size() != to - from || Crc32c(*bytes) != crc) return false;
  }
  return true;
}

const PartFiles::OpenFile* PartFiles::Find(int32_t partition) const {
  auto it = open_.find(partition);
  return it == open_.end() ? nullptr : &it->second.info;
}

Status PartFiles::Publish(int32_t partition, int64_t last, Output output) {
  auto it = open_.find(partition);
  if (it == open_.end()) return Status::Ok();
  Entry& entry = it->second;
  std::unique_ptr<WritableFile>& file = entry.files[output];
  if (file) {
    std::erase_if(unsynced_, [&](const auto& u) { return u.first == file.get(); });
    if (Status s = file->Close(); !s.ok()) return s;
    file.reset();
    if (Status s =
            fs_.Rename(TempPath(partition, entry.info.first, output),
                       fmt::format("{}/{}", dirs_[output],
                                   data_layout::PartFileName(partition, entry.info.first, last)));
        !s.ok()) {
      return s;
    }
    renamed_[output] = true;
  }
  entry.published[output] = true;
  if (entry.published[kValid] && entry.published[kInvalid]) open_.erase(it);
  return Status::Ok();
}

void PartFiles::Drop(int32_t partition) {
  auto it = open_.find(partition);
  if (it == open_.end()) return;
  for (auto& file : it->second.files) {
    if (file) std::erase_if(unsynced_, [&](const auto& u) { return u.first == file.get(); });
  }
  open_.erase(it);
}

}  // namespace orderflow::stream

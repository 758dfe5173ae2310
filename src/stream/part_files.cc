#include "stream/part_files.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crc32c.h"
#include "common/data_layout.h"

namespace orderflow::stream {
namespace {

// At once on the pool when `at_once` and the file system allows it, else one by one in order.
Status RunTasks(FileSystem& fs, TaskPool& pool, const std::vector<std::function<Status()>>& tasks,
                bool at_once = true) {
  if (at_once && fs.SupportsConcurrentWrites()) return pool.Run(tasks);
  for (const auto& task : tasks) {
    if (Status s = task(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

uint64_t PartFiles::OpenSet::Largest() const {
  uint64_t largest = 0;
  for (const auto& [key, file] : files) largest = std::max(largest, file.bytes);
  return largest;
}

PartFiles::PartFiles(FileSystem& fs, TaskPool& pool, std::string valid_dir, std::string invalid_dir,
                     Compression compression)
    : fs_(fs),
      pool_(pool),
      dirs_{std::move(valid_dir), std::move(invalid_dir)},
      compression_(compression) {}

std::string PartFiles::FolderPath(Output output, const std::string& folder) const {
  return folder.empty() ? dirs_[output] : fmt::format("{}/{}", dirs_[output], folder);
}

std::string PartFiles::TempPath(int32_t partition, const OpenSet& set, const FileKey& key) const {
  return fmt::format("{}/{}", FolderPath(key.first, key.second),
                     data_layout::OpenPartFileName(partition, set.first, set.compression));
}

Result<PartFiles::Listing> PartFiles::List() {
  Listing listing;
  for (Output output : {kValid, kInvalid}) {
    auto names = fs_.List(dirs_[output]);
    if (!names.ok()) return names.status();
    for (const std::string& name : *names) {
      if (data_layout::ParsePartitionDirName(name)) {
        auto inside = fs_.List(FolderPath(output, name));
        if (inside.ok()) listing.names[output][name].insert(inside->begin(), inside->end());
        continue;
      }
      listing.names[output][""].insert(name);
    }
  }
  return listing;
}

Status PartFiles::Recover(const PartitionCheckpoint& committed, const Listing& listing) {
  const int32_t p = committed.partition;
  Drop(p);
  using File = PartitionCheckpoint::File;
  const bool has_set = committed.file != File::kNone;
  const std::string keep =
      has_set ? data_layout::OpenPartFileName(p, committed.file_first, committed.compression)
              : std::string();
  // The next set's name: an uncommitted batch's temporary under it is replaced when that file
  // is opened (and left alone until then: one operation fewer on every restart).
  const std::string next =
      committed.file == File::kOpen
          ? std::string()
          : data_layout::OpenPartFileName(p, committed.next_offset, compression_);
  // Whatever uncommitted batches and earlier versions left.
  for (Output output : {kValid, kInvalid}) {
    for (const auto& [folder, names] : listing.names[output]) {
      for (const std::string& name : names) {
        if (name == keep || name == next || data_layout::PartitionOfPartTemp(name) != p) continue;
        if (Status s = fs_.Remove(fmt::format("{}/{}", FolderPath(output, folder), name));
            !s.ok()) {
          return s;
        }
      }
    }
  }
  if (!has_set) return Status::Ok();
  Entry entry;
  entry.info.first = committed.file_first;
  entry.info.compression = committed.compression;
  entry.info.opened = Clock::now();
  for (const PartitionCheckpoint::FileLength& f : committed.files) {
    const FileKey key{f.output, f.folder};
    const std::string temp = TempPath(p, entry.info, key);
    auto in_folder = listing.names[f.output].find(f.folder);
    const bool temp_exists =
        in_folder != listing.names[f.output].end() && in_folder->second.contains(keep);
    if (committed.file == File::kClosed) {
      // Published, or to be renamed: roll the rename forward. A final name that is gone was
      // published and taken away by someone else (readers may move files they have read).
      if (!temp_exists) continue;
      const std::string final_name = data_layout::PartFileName(
          p, committed.file_first, committed.next_offset - 1, committed.compression);
      if (in_folder->second.contains(final_name)) {
        if (Status s = fs_.Remove(temp); !s.ok()) return s;  // an uncommitted batch's
        continue;
      }
    }
    auto size = temp_exists ? fs_.FileSize(temp) : Result<uint64_t>(uint64_t{0});
    if (!size.ok()) return size.status();
    if (*size < f.bytes) {
      return Status::Corruption(fmt::format(
          "{}: {} bytes were committed but {} are there: the file was cut or removed by "
          "something else",
          temp, f.bytes, *size));
    }
    if (*size > f.bytes) {
      // What a crash appended after the last commit goes, durably: the file may be published
      // at this length without being appended to again.
      if (Status s = fs_.Truncate(temp, f.bytes); !s.ok()) return s;
      if (Status s = fs_.SyncFile(temp); !s.ok()) return s;
    }
    if (committed.file == File::kClosed) {
      const std::string final_path =
          fmt::format("{}/{}", FolderPath(f.output, f.folder),
                      data_layout::PartFileName(p, committed.file_first, committed.next_offset - 1,
                                                committed.compression));
      if (Status s = fs_.Rename(temp, final_path); !s.ok()) return s;
      renamed_dirs_.insert(FolderPath(f.output, f.folder));
      continue;
    }
    entry.info.files[key] = FileInfo{f.bytes, f.bytes, 0};
  }
  if (committed.file == File::kOpen) sets_[p] = std::move(entry);
  return Status::Ok();
}

Status PartFiles::Append(int32_t partition, int64_t first, Output output, const std::string& folder,
                         std::span<const std::string_view> pieces) {
  uint64_t bytes = 0;
  for (std::string_view piece : pieces) bytes += piece.size();
  if (bytes == 0) return Status::Ok();
  auto to = Open(partition, first, output, folder);
  if (!to.ok()) return to.status();
  return AppendTo(*to, pieces);
}

Result<PartFiles::Appender> PartFiles::Open(int32_t partition, int64_t first, Output output,
                                            const std::string& folder) {
  auto [it, added] = sets_.try_emplace(partition);
  Entry& entry = it->second;
  if (added) {
    entry.info.first = first;
    entry.info.compression = compression_;
    entry.info.opened = Clock::now();
  }
  const FileKey key{output, folder};
  std::unique_ptr<WritableFile>& file = entry.open[key];
  if (!file) {
    const bool known = entry.info.files.contains(key);
    if (!known) {
      if (!folder.empty()) {
        // A new partition folder: created here, its name durable with the output directory's.
        if (Status s = fs_.CreateDirs(FolderPath(output, folder)); !s.ok()) return s;
        created_dirs_.insert(dirs_[output]);
      }
      created_dirs_.insert(FolderPath(output, folder));
    }
    const std::string path = TempPath(partition, entry.info, key);
    // A known file is appended to at its committed length (Recover cut it there); a new one
    // replaces a temporary an uncommitted batch left under its name.
    auto opened = known ? fs_.NewAppendableFile(path) : fs_.NewWritableFile(path);
    if (!opened.ok()) return opened.status();
    file = std::move(opened).value();
    entry.info.files[key];
  }
  return Appender{file.get(), &entry.info.files[key]};
}

Status PartFiles::AppendTo(const Appender& to, std::span<const std::string_view> pieces,
                           std::optional<uint32_t> crc) {
  if (crc) {
    uint64_t bytes = 0;
    for (std::string_view piece : pieces) bytes += piece.size();
    to.info->crc = Crc32cCombine(to.info->crc, *crc, bytes);
  } else {
    for (std::string_view piece : pieces) to.info->crc = Crc32c(piece, to.info->crc);
  }
  if (Status s = to.file->Append(pieces); !s.ok()) return s;
  to.info->bytes = to.file->size();
  return Status::Ok();
}

Status PartFiles::AppendAll(const std::vector<PendingAppend>& appends) {
  // Each file by one thread only: two appends to one file (not made by the batch writer) keep
  // their order, one after the other.
  std::vector<const WritableFile*> files;
  for (const PendingAppend& a : appends) files.push_back(a.to.file);
  std::sort(files.begin(), files.end());
  const bool distinct = std::adjacent_find(files.begin(), files.end()) == files.end();
  std::vector<std::function<Status()>> tasks;
  tasks.reserve(appends.size());
  for (const PendingAppend& a : appends) {
    tasks.emplace_back([&a] { return AppendTo(a.to, a.pieces, a.crc); });
  }
  return RunTasks(fs_, pool_, tasks, distinct);
}

Status PartFiles::SyncRenames() {
  std::set<std::string> dirs = renamed_dirs_;
  dirs.insert(created_dirs_.begin(), created_dirs_.end());
  std::vector<std::function<Status()>> tasks;
  for (const std::string& dir : dirs) tasks.emplace_back([this, dir] { return fs_.SyncDir(dir); });
  if (Status s = RunTasks(fs_, pool_, tasks); !s.ok()) return s;
  renamed_dirs_.clear();
  created_dirs_.clear();
  return Status::Ok();
}

Status PartFiles::Sync(const std::function<Status()>& with) {
  Sealed sealed = Seal();
  return SyncSealed(fs_, pool_, sealed, with);
}

PartFiles::Sealed PartFiles::Seal() {
  Sealed sealed;
  // The files leave the set: closed once synced, until the next batch appends to them (a
  // partition with many partition folders would otherwise hold a descriptor per folder).
  for (auto& [partition, entry] : sets_) {
    for (auto& [key, file] : entry.open) {
      FileInfo& info = entry.info.files[key];
      info.synced = info.bytes;
      info.crc = 0;
      sealed.files.push_back(std::move(file));
    }
    entry.open.clear();
  }
  std::set<std::string> dirs = renamed_dirs_;
  dirs.insert(created_dirs_.begin(), created_dirs_.end());
  sealed.dirs.assign(dirs.begin(), dirs.end());
  renamed_dirs_.clear();
  created_dirs_.clear();
  return sealed;
}

Status PartFiles::SyncSealed(FileSystem& fs, TaskPool& pool, Sealed& sealed,
                             const std::function<Status()>& with) {
  std::vector<std::function<Status()>> tasks;
  if (with) tasks.push_back(with);
  for (const std::unique_ptr<WritableFile>& file : sealed.files) {
    WritableFile* f = file.get();
    tasks.emplace_back([f] { return f->Sync(); });
  }
  for (const std::string& dir : sealed.dirs) {
    tasks.emplace_back([&fs, &dir] { return fs.SyncDir(dir); });
  }
  Status status = RunTasks(fs, pool, tasks);
  for (const std::unique_ptr<WritableFile>& file : sealed.files) {
    if (Status s = file->Close(); !s.ok() && status.ok()) status = s;
  }
  sealed.files.clear();
  return status;
}

Result<bool> PartFiles::Holds(const PartitionCheckpoint& c) {
  for (const PartitionCheckpoint::FileLength& f : c.files) {
    if (f.batch_from >= f.bytes) continue;
    const std::string folder = FolderPath(f.output, f.folder);
    auto bytes = fs_.ReadRange(
        fmt::format("{}/{}", folder,
                    data_layout::OpenPartFileName(c.partition, c.file_first, c.compression)),
        f.batch_from, f.bytes - f.batch_from);
    if (!bytes.ok() && bytes.status().IsNotFound() &&
        c.file == PartitionCheckpoint::File::kClosed) {
      bytes =
          fs_.ReadRange(fmt::format("{}/{}", folder,
                                    data_layout::PartFileName(c.partition, c.file_first,
                                                              c.next_offset - 1, c.compression)),
                        f.batch_from, f.bytes - f.batch_from);
    }
    if (!bytes.ok()) {
      if (bytes.status().IsNotFound()) return false;
      return bytes.status();
    }
    if (bytes->size() != f.bytes - f.batch_from || Crc32c(*bytes) != f.batch_crc) return false;
  }
  return true;
}

const PartFiles::OpenSet* PartFiles::Find(int32_t partition) const {
  auto it = sets_.find(partition);
  return it == sets_.end() ? nullptr : &it->second.info;
}

void PartFiles::Describe(int32_t partition, PartitionCheckpoint& c) const {
  const OpenSet* set = Find(partition);
  if (set == nullptr) return;
  c.file_first = set->first;
  c.compression = set->compression;
  c.files.clear();
  for (const auto& [key, info] : set->files) {
    if (info.bytes == 0) continue;
    c.files.push_back({key.first, key.second, info.bytes, info.synced, info.crc});
  }
}

bool PartFiles::Incompatible(int32_t partition, bool partitioned) const {
  const OpenSet* set = Find(partition);
  if (set == nullptr) return false;
  if (set->compression != compression_) return true;
  return std::any_of(set->files.begin(), set->files.end(),
                     [&](const auto& file) { return file.first.second.empty() == partitioned; });
}

Status PartFiles::Publish(int32_t partition, int64_t last, Output output) {
  auto it = sets_.find(partition);
  if (it == sets_.end()) return Status::Ok();
  Entry& entry = it->second;
  for (auto& [key, info] : entry.info.files) {
    if (key.first != output || info.bytes == 0) continue;
    auto open = entry.open.find(key);
    if (open != entry.open.end()) {
      if (Status s = open->second->Close(); !s.ok()) return s;
      entry.open.erase(open);
    }
    const std::string folder = FolderPath(key.first, key.second);
    if (Status s = fs_.Rename(TempPath(partition, entry.info, key),
                              fmt::format("{}/{}", folder,
                                          data_layout::PartFileName(partition, entry.info.first,
                                                                    last, entry.info.compression)));
        !s.ok()) {
      return s;
    }
    renamed_dirs_.insert(folder);
  }
  entry.published[output] = true;
  if (entry.published[kValid] && entry.published[kInvalid]) sets_.erase(it);
  return Status::Ok();
}

void PartFiles::Drop(int32_t partition) { sets_.erase(partition); }

}  // namespace orderflow::stream

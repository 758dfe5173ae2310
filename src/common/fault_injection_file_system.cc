#include "common/fault_injection_file_system.h"

#include <algorithm>

namespace orderflow {
namespace {

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

void FaultInjectionFileSystem::CrashAfter(std::optional<uint64_t> n) {
  crash_after_ = n;
  operations_ = 0;
}

size_t FaultInjectionFileSystem::unsynced_renames() const {
  return static_cast<size_t>(std::count_if(unsynced_.begin(), unsynced_.end(), [](const Change& c) {
    return c.renamed_from.has_value();
  }));
}

Status FaultInjectionFileSystem::Step(Op op) {
  if (!crashed_ && crash_after_ && operations_ >= *crash_after_) {
    crashed_ = true;
    crashed_at_ = op;
  }
  if (crashed_) return Status::IoError("injected crash: the process is dead");
  ++operations_;
  return Status::Ok();
}

std::optional<std::string> FaultInjectionFileSystem::ContentOf(const std::string& path) {
  auto content = base_.ReadFile(path);
  if (!content.ok()) return std::nullopt;
  return std::move(content).value();
}

void FaultInjectionFileSystem::NoteUnsyncedData(const std::string& path) {
  if (unsynced_data_.contains(path)) return;
  unsynced_data_[path] = ContentOf(path).value_or("");
}

Status FaultInjectionFileSystem::WriteAndSync(const std::string& path, std::string_view data) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  // The data is synced; the directory entry of a new file is not, until SyncDir.
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  if (Status s = base_.WriteAndSync(path, data); !s.ok()) return s;
  unsynced_data_.erase(path);
  if (!change.previous) unsynced_.push_back(std::move(change));
  return Status::Ok();
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  if (Status s = Step(Op::kRename); !s.ok()) return s;
  Change change{DirOf(to), to, ContentOf(to), from};
  if (Status s = base_.Rename(from, to); !s.ok()) return s;
  unsynced_.push_back(std::move(change));
  // The unsynced data moves with the file; `to`'s own is gone with it.
  auto moved = unsynced_data_.find(from);
  if (moved != unsynced_data_.end()) {
    std::string synced = std::move(moved->second);
    unsynced_data_.erase(moved);
    unsynced_data_[to] = std::move(synced);
  } else {
    unsynced_data_.erase(to);
  }
  return Status::Ok();
}

Status FaultInjectionFileSystem::SyncDir(const std::string& dir) {
  if (Status s = Step(Op::kSyncDir); !s.ok()) return s;
  if (Status s = base_.SyncDir(dir); !s.ok()) return s;
  std::erase_if(unsynced_, [&](const Change& c) { return c.dir == dir; });
  return Status::Ok();
}

Result<std::string> FaultInjectionFileSystem::ReadFile(const std::string& path) {
  if (crashed_) return Status::IoError("injected crash: the process is dead");
  return base_.ReadFile(path);
}

Result<std::string> FaultInjectionFileSystem::ReadRange(const std::string& path, uint64_t offset,
                                                        uint64_t length) {
  if (crashed_) return Status::IoError("injected crash: the process is dead");
  return base_.ReadRange(path, offset, length);
}

Status FaultInjectionFileSystem::Remove(const std::string& path) {
  if (Status s = Step(Op::kRemove); !s.ok()) return s;
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  if (Status s = base_.Remove(path); !s.ok()) return s;
  // A removal undone by a power loss brings back what was synced of the file.
  auto data = unsynced_data_.find(path);
  if (data != unsynced_data_.end()) {
    if (change.previous) change.previous = std::move(data->second);
    unsynced_data_.erase(data);
  }
  if (change.previous) unsynced_.push_back(std::move(change));
  return Status::Ok();
}

Status FaultInjectionFileSystem::CreateDirs(const std::string& dir) {
  if (Status s = Step(Op::kCreateDirs); !s.ok()) return s;
  return base_.CreateDirs(dir);  // directories are kept: a lost empty directory changes nothing
}

Result<std::vector<std::string>> FaultInjectionFileSystem::List(const std::string& dir) {
  if (crashed_) return Status::IoError("injected crash: the process is dead");
  return base_.List(dir);
}

// A WritableFile whose appends are unsynced data until Sync, and whose every operation counts.
class FaultInjectionFileSystem::File final : public WritableFile {
 public:
  File(FaultInjectionFileSystem& fs, std::string path, std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  Status Append(std::span<const std::string_view> pieces) override {
    if (Status s = fs_.Step(Op::kWrite); !s.ok()) return s;
    fs_.NoteUnsyncedData(path_);
    return base_->Append(pieces);
  }
  Status Sync() override {
    if (Status s = fs_.Step(Op::kWrite); !s.ok()) return s;
    if (Status s = base_->Sync(); !s.ok()) return s;
    fs_.unsynced_data_.erase(path_);
    return Status::Ok();
  }
  uint64_t size() const override { return base_->size(); }
  Status Close() override { return base_->Close(); }

 private:
  FaultInjectionFileSystem& fs_;
  const std::string path_;  // the file must not be renamed while it is open
  std::unique_ptr<WritableFile> base_;
};

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::Open(const std::string& path,
                                                                     bool truncate) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  if (change.previous && truncate) NoteUnsyncedData(path);
  auto base = truncate ? base_.NewWritableFile(path) : base_.NewAppendableFile(path);
  if (!base.ok()) return base.status();
  if (!change.previous) {
    unsynced_data_[path] = "";  // a new file: nothing of it is synced yet
    unsynced_.push_back(std::move(change));
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<File>(*this, path, std::move(base).value()));
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::NewWritableFile(
    const std::string& path) {
  return Open(path, /*truncate=*/true);
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::NewAppendableFile(
    const std::string& path) {
  return Open(path, /*truncate=*/false);
}

Status FaultInjectionFileSystem::WriteWithoutSync(const std::string& path, std::string_view data) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  NoteUnsyncedData(path);
  if (Status s = base_.WriteWithoutSync(path, data); !s.ok()) return s;
  if (!change.previous) unsynced_.push_back(std::move(change));
  return Status::Ok();
}

Status FaultInjectionFileSystem::OverwriteWithoutSync(const std::string& path,
                                                      std::string_view data) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  NoteUnsyncedData(path);
  if (Status s = base_.OverwriteWithoutSync(path, data); !s.ok()) return s;
  if (!change.previous) unsynced_.push_back(std::move(change));
  return Status::Ok();
}

Status FaultInjectionFileSystem::SyncFile(const std::string& path) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  if (Status s = base_.SyncFile(path); !s.ok()) return s;
  unsynced_data_.erase(path);
  return Status::Ok();
}

Status FaultInjectionFileSystem::Truncate(const std::string& path, uint64_t size) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  if (!ContentOf(path)) return base_.Truncate(path, size);  // NotFound, as the base says
  NoteUnsyncedData(path);
  return base_.Truncate(path, size);
}

Result<uint64_t> FaultInjectionFileSystem::FileSize(const std::string& path) {
  if (crashed_) return Status::IoError("injected crash: the process is dead");
  return base_.FileSize(path);
}

Status FaultInjectionFileSystem::DropUnsyncedChanges() {
  // File contents first, at the paths the files have now; then the directory changes, which
  // move and remove the files with the content they are left with.
  for (const auto& [path, synced] : unsynced_data_) {
    if (!ContentOf(path)) continue;
    if (Status s = base_.WriteAndSync(path, synced); !s.ok()) return s;
  }
  unsynced_data_.clear();
  for (auto it = unsynced_.rbegin(); it != unsynced_.rend(); ++it) {
    if (it->renamed_from) {
      // The rename never reached the disk: the file is still under its old name.
      if (Status s = base_.Rename(it->path, *it->renamed_from); !s.ok()) return s;
    } else if (!it->previous) {
      if (Status s = base_.Remove(it->path); !s.ok()) return s;
      continue;
    }
    if (it->previous) {
      if (Status s = base_.WriteAndSync(it->path, *it->previous); !s.ok()) return s;
    }
  }
  unsynced_.clear();
  crashed_ = false;
  crash_after_.reset();
  return Status::Ok();
}

}  // namespace orderflow

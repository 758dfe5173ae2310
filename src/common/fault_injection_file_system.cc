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

Status FaultInjectionFileSystem::WriteAndSync(const std::string& path, std::string_view data) {
  if (Status s = Step(Op::kWrite); !s.ok()) return s;
  // The data is synced; the directory entry of a new file is not, until SyncDir.
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  if (Status s = base_.WriteAndSync(path, data); !s.ok()) return s;
  if (!change.previous) unsynced_.push_back(std::move(change));
  return Status::Ok();
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  if (Status s = Step(Op::kRename); !s.ok()) return s;
  Change change{DirOf(to), to, ContentOf(to), from};
  if (Status s = base_.Rename(from, to); !s.ok()) return s;
  unsynced_.push_back(std::move(change));
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

Status FaultInjectionFileSystem::Remove(const std::string& path) {
  if (Status s = Step(Op::kRemove); !s.ok()) return s;
  Change change{DirOf(path), path, ContentOf(path), std::nullopt};
  if (Status s = base_.Remove(path); !s.ok()) return s;
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

Status FaultInjectionFileSystem::DropUnsyncedChanges() {
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

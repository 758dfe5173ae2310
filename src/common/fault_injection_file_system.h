// A FileSystem for crash tests (leveldb's db/fault_injection_test.cc, as a reusable layer):
// it forwards to a real FileSystem, can "crash" after a given number of mutating operations
// (from then on every operation fails with IoError, as if the process had died), and can then
// simulate the power loss that follows: DropUnsyncedChanges() undoes every file creation,
// rename and removal whose directory was not fsynced afterwards (file contents written by
// WriteAndSync are synced, so they survive if their directory entry does).
// One thread only (PublishFiles must not write from several threads: it does not ask to).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/file_system.h"

namespace orderflow {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  // The kind of operation the crash interrupted (for tests that want every window covered).
  enum class Op { kNone, kWrite, kRename, kSyncDir, kRemove, kCreateDirs };

  // `base` must outlive this object.
  explicit FaultInjectionFileSystem(FileSystem& base) : base_(base) {}
  FaultInjectionFileSystem(const FaultInjectionFileSystem&) = delete;
  FaultInjectionFileSystem& operator=(const FaultInjectionFileSystem&) = delete;

  // The next `n` mutating operations succeed; the one after and all later ones fail with
  // IoError ("injected crash") without touching the disk. nullopt: never crash.
  void CrashAfter(std::optional<uint64_t> n);
  bool crashed() const { return crashed_; }
  Op crashed_at() const { return crashed_at_; }
  uint64_t operations() const { return operations_; }
  // Renames that a power loss now would revert.
  size_t unsynced_renames() const;

  // Power loss: reverts, newest first, every directory change not made durable by a later
  // SyncDir of its directory, then forgets the crash (the file system works again).
  Status DropUnsyncedChanges();

  Status WriteAndSync(const std::string& path, std::string_view data) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Status Remove(const std::string& path) override;
  Status CreateDirs(const std::string& dir) override;
  Result<std::vector<std::string>> List(const std::string& dir) override;

 private:
  // One undoable directory change. `previous` is the content `path` had before (none: it did
  // not exist); a rename also records where the file came from.
  struct Change {
    std::string dir;
    std::string path;
    std::optional<std::string> previous;
    std::optional<std::string> renamed_from;
  };
  // Counts the operation; IoError when the crash point is reached or passed.
  Status Step(Op op);
  std::optional<std::string> ContentOf(const std::string& path);

  FileSystem& base_;
  std::optional<uint64_t> crash_after_;
  uint64_t operations_ = 0;
  bool crashed_ = false;
  Op crashed_at_ = Op::kNone;
  std::vector<Change> unsynced_;
};

}  // namespace orderflow

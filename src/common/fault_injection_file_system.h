// A FileSystem for crash tests (leveldb's db/fault_injection_test.cc, as a reusable layer):
// it forwards to a real FileSystem, can "crash" after a given number of mutating operations
// (from then on every operation fails with IoError, as if the process had died), and can then
// simulate the power loss that follows: DropUnsyncedChanges() undoes every file creation,
// rename and removal whose directory was not fsynced afterwards, and cuts every file back to
// the content it had when it was last synced (file contents written by WriteAndSync are synced,
// so they survive if their directory entry does; what was appended, truncated or written
// without a sync since is lost, so a file renamed into place and made durable by a directory
// sync before its data was synced comes back empty).
// One thread only (PublishFiles must not write from several threads: it does not ask to).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/file_system.h"

namespace orderflow {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  // The kind of operation the crash interrupted (for tests that want every window covered).
  // kWrite: anything done to a file's data (creating or opening it for writing, writing,
  // appending, truncating, syncing it).
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
  Result<std::string> ReadRange(const std::string& path, uint64_t offset, uint64_t length) override;
  Status Remove(const std::string& path) override;
  Status CreateDirs(const std::string& dir) override;
  Result<std::vector<std::string>> List(const std::string& dir) override;
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override;
  Status WriteWithoutSync(const std::string& path, std::string_view data) override;
  Status OverwriteWithoutSync(const std::string& path, std::string_view data) override;
  Status SyncFile(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Result<uint64_t> FileSize(const std::string& path) override;

 private:
  class File;

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
  // `path` is about to change without a sync: remember what a power loss brings back.
  void NoteUnsyncedData(const std::string& path);
  Result<std::unique_ptr<WritableFile>> Open(const std::string& path, bool truncate);

  FileSystem& base_;
  std::optional<uint64_t> crash_after_;
  uint64_t operations_ = 0;
  bool crashed_ = false;
  Op crashed_at_ = Op::kNone;
  std::vector<Change> unsynced_;
  // Files changed since their last sync, by current path: the content they had then.
  std::map<std::string, std::string> unsynced_data_;
};

}  // namespace orderflow

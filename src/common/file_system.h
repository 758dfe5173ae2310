// The file operations the processor's durability rests on, behind an interface so that tests
// can inject crashes and lost (unsynced) renames, as leveldb's Env and fault_injection_test do.
// The default implementation is POSIX; it is safe for concurrent use.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace orderflow {

// A file open for writing at its end (leveldb's WritableFile): the processor's part files while
// they are being written, and its commit log. Closed by its destructor (errors then go unseen:
// call Close to see them). One thread at a time.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes the pieces, in order, at the end of the file (not durable until Sync). IoError on
  // any failure (ENOSPC included), with the path and the reason; the file may then hold part
  // of the pieces.
  virtual Status Append(std::span<const std::string_view> pieces) = 0;
  Status Append(std::string_view data) {
    return Append(std::span<const std::string_view>(&data, 1));
  }
  // fdatasync: everything appended so far (and the file's size) is durable. The file's name is
  // not: a new file needs a SyncDir of its directory too.
  virtual Status Sync() = 0;
  // Bytes in the file: its size when opened plus everything appended since.
  virtual uint64_t size() const = 0;
  virtual Status Close() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates or truncates `path`, writes `data` and fsyncs the file. IoError on any failure
  // (ENOSPC included), with the path and the reason.
  virtual Status WriteAndSync(const std::string& path, std::string_view data) = 0;
  // As WriteAndSync, with the content given as consecutive pieces (written with writev by the
  // POSIX implementation, so the pieces are never copied into one buffer). The default joins
  // them and calls WriteAndSync.
  virtual Status WriteAndSyncPieces(const std::string& path,
                                    std::span<const std::string_view> pieces);
  // rename(2): atomic replacement of `to`. Durable only after SyncDir of its directory.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // fsyncs a directory, making the renames and creations in it durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // The whole file; NotFound when it does not exist.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Up to `length` bytes of the file from `offset` (fewer where it ends); NotFound when it does
  // not exist.
  virtual Result<std::string> ReadRange(const std::string& path, uint64_t offset,
                                        uint64_t length) = 0;
  // Removes a file; OK when it did not exist.
  virtual Status Remove(const std::string& path) = 0;
  // mkdir -p. InvalidArgument-free: IoError when it cannot be created or is not writable.
  virtual Status CreateDirs(const std::string& dir) = 0;
  // Names (not paths) of the entries of `dir`; NotFound when it does not exist.
  virtual Result<std::vector<std::string>> List(const std::string& dir) = 0;

  // Creates or truncates `path` and opens it for appending. IoError on failure.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // Opens `path` for appending at its end, creating it (empty) when it does not exist.
  virtual Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) = 0;
  // Creates or truncates `path` and writes `data`, without syncing: after a power loss the file
  // may hold the old content, nothing, or the new content.
  virtual Status WriteWithoutSync(const std::string& path, std::string_view data) = 0;
  // Writes `data` at the start of `path` (creating it when absent) without truncating it and
  // without a sync: a record of fixed size rewritten in place costs no directory change (a
  // temporary file and a rename each take the file system's journal). A reader may see the
  // old or the new bytes, or (rarely) a mix; after a power loss, likewise.
  virtual Status OverwriteWithoutSync(const std::string& path, std::string_view data) = 0;
  // fdatasync of an existing file (whoever wrote it): its content is durable. NotFound when it
  // does not exist.
  virtual Status SyncFile(const std::string& path) = 0;
  // Cuts `path` to `size` bytes (not durable until the file is synced). NotFound when it does
  // not exist.
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  // The size of `path` in bytes; NotFound when it does not exist.
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;

  // True when WriteAndSync may run on several threads at once. PublishFiles then syncs its
  // files in parallel: concurrent fsyncs share journal commits, so a batch of N files costs
  // about one sync instead of N.
  virtual bool SupportsConcurrentWrites() const { return false; }

  // The process-wide POSIX implementation.
  static FileSystem& Default();
};

// A file to publish: its final name inside the target directory (or inside its folder `subdir`
// there, e.g. a partition folder) and its whole content, given either as `data` or, when
// `pieces` is not empty, as the concatenation of `pieces`.
struct PendingFile {
  std::string name;
  std::string_view data;
  std::span<const std::string_view> pieces = {};
  std::string subdir = {};  // empty: directly in the target directory
};

// Publishes `files` into `dir` so that a reader or a crash never sees a partial file: each is
// written to its hidden temporary name (data_layout::TempFileName) beside its final name and
// fsynced, then all are renamed into place and every directory they went to is fsynced once
// (leveldb's SetCurrentFile, batched); folders `subdir` are created first, and `dir` is fsynced
// too when files went to folders, so that new folders are durable. On failure the temporaries
// are removed and the error returned; files already renamed stay (each is complete).
Status PublishFiles(FileSystem& fs, const std::string& dir, const std::vector<PendingFile>& files);

}  // namespace orderflow

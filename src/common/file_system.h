// The file operations the processor's durability rests on, behind an interface so that tests
// can inject crashes and lost (unsynced) renames, as leveldb's Env and fault_injection_test do.
// The default implementation is POSIX; it is safe for concurrent use.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace orderflow {

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
  // Removes a file; OK when it did not exist.
  virtual Status Remove(const std::string& path) = 0;
  // mkdir -p. InvalidArgument-free: IoError when it cannot be created or is not writable.
  virtual Status CreateDirs(const std::string& dir) = 0;
  // Names (not paths) of the entries of `dir`; NotFound when it does not exist.
  virtual Result<std::vector<std::string>> List(const std::string& dir) = 0;

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

// An exclusive lock on a file (flock(2)), held while the object lives: how a processor marks what
// it is writing (its commit log, the partitions it owns) so that another process can tell a live
// writer from a dead one. The kernel releases the lock when the process dies, kill -9 included.
// Locks are per open file: a second FileLock on the same path in the same process conflicts too.
// Move-only; one thread at a time.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace orderflow {

class FileLock {
 public:
  FileLock() = default;
  ~FileLock() { Unlock(); }
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Locks `path`, creating it when it does not exist, without waiting. When `holder` is not
  // empty it replaces the file's content (unsynced: it only describes the holder, for the
  // message another process shows). AlreadyExists when another lock holds it, with the holder's
  // description (the file's content) as the message; IoError when the file cannot be opened.
  static Result<FileLock> TryLock(const std::string& path, std::string_view holder = {});
  // As TryLock, waiting as long as another lock holds it.
  static Result<FileLock> Lock(const std::string& path);

  bool held() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  // The locked file's descriptor (read and write), or -1.
  int fd() const { return fd_; }
  // Releases the lock (and closes the file). No-op when not held.
  void Unlock();

 private:
  static Result<FileLock> Acquire(const std::string& path, std::string_view holder, bool wait);

  int fd_ = -1;
  std::string path_;
};

}  // namespace orderflow

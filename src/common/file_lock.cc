#include "common/file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace orderflow {
namespace {

std::string ReadAll(int fd) {
  std::string content;
  char buf[512];
  off_t at = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof(buf), at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    content.append(buf, static_cast<size_t>(n));
    at += n;
    if (content.size() > 4096) break;  // a description, not data
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\0')) content.pop_back();
  return content;
}

}  // namespace

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    Unlock();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

void FileLock::Unlock() {
  if (fd_ < 0) return;
  ::close(fd_);  // releases the flock
  fd_ = -1;
}

Result<FileLock> FileLock::TryLock(const std::string& path, std::string_view holder) {
  return Acquire(path, holder, /*wait=*/false);
}

Result<FileLock> FileLock::Lock(const std::string& path) { return Acquire(path, {}, true); }

Result<FileLock> FileLock::Acquire(const std::string& path, std::string_view holder, bool wait) {
  // Whoever removes a lock file does so while holding its lock: after locking, check that the
  // name still leads to the file we locked, else start again with the new one.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Status::IoError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    int rc;
    do {
      rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int err = errno;
      if (err == EWOULDBLOCK) {
        std::string who = ReadAll(fd);
        ::close(fd);
        return Status::AlreadyExists(who.empty() ? "another process" : who);
      }
      ::close(fd);
      return Status::IoError(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
    }
    struct stat locked, named;
    if (::fstat(fd, &locked) != 0 || ::stat(path.c_str(), &named) != 0 ||
        locked.st_ino != named.st_ino || locked.st_dev != named.st_dev) {
      ::close(fd);
      continue;  // removed (or replaced) while we were locking it
    }
    if (!holder.empty()) {
      if (::ftruncate(fd, 0) != 0 ||
          ::pwrite(fd, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
        const int err = errno;
        ::close(fd);
        return Status::IoError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
      }
    }
    FileLock lock;
    lock.fd_ = fd;
    lock.path_ = path;
    return lock;
  }
  return Status::IoError(fmt::format("cannot lock {}: it keeps being replaced", path));
}

}  // namespace orderflow

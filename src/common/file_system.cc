#include "common/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "common/data_layout.h"

namespace orderflow {
namespace {

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

// Writes every piece, in order, at the file's current position (writev, up to IOV_MAX pieces a
// call, resuming after short writes).
Status WritePieces(int fd, std::span<const std::string_view> pieces, const std::string& path) {
  constexpr size_t kGroup = IOV_MAX < 1024 ? IOV_MAX : 1024;
  std::array<iovec, kGroup> iov;
  size_t next = 0;
  while (next < pieces.size()) {
    size_t count = 0;
    for (; next < pieces.size() && count < kGroup; ++next) {
      if (!pieces[next].empty()) {
        iov[count++] = {const_cast<char*>(pieces[next].data()), pieces[next].size()};
      }
    }
    size_t done = 0;  // whole pieces written from this group
    while (done < count) {
      const ssize_t n = ::writev(fd, iov.data() + done, static_cast<int>(count - done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Errno("cannot write", path);
      }
      // Advance past what was written; a short write leaves a partly written piece.
      size_t left = static_cast<size_t>(n);
      while (done < count && left >= iov[done].iov_len) left -= iov[done++].iov_len;
      if (done < count && left > 0) {
        iov[done].iov_base = static_cast<char*>(iov[done].iov_base) + left;
        iov[done].iov_len -= left;
      }
    }
  }
  return Status::Ok();
}

uint64_t SizeOf(std::span<const std::string_view> pieces) {
  uint64_t size = 0;
  for (std::string_view piece : pieces) size += piece.size();
  return size;
}

// Creates or truncates `path` (with `flags`), writes `pieces`, optionally fdatasyncs, closes.
Status WriteWhole(const std::string& path, std::span<const std::string_view> pieces, bool sync) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", path);
  Status s = WritePieces(fd, pieces, path);
  if (s.ok() && sync && ::fdatasync(fd) != 0) s = Errno("cannot sync", path);
  if (::close(fd) != 0 && s.ok()) s = Errno("cannot close", path);
  return s;
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path, uint64_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  ~PosixWritableFile() override { (void)Close(); }
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  Status Append(std::span<const std::string_view> pieces) override {
    if (fd_ < 0) return Status::IoError(fmt::format("cannot write {}: closed", path_));
    // On a failure the size is unknown: ask the file.
    Status s = WritePieces(fd_, pieces, path_);
    if (s.ok()) {
      const uint64_t added = SizeOf(pieces);
      // The disk starts on these bytes now, while the caller appends to its other files, rather
      // than at their Sync (a catch-up's writer then spent 0.78-0.84 s instead of 0.85-0.90 s on
      // 225 MB; BENCHMARKS.md). Only a hint: Sync still makes them durable.
      (void)::sync_file_range(fd_, static_cast<off_t>(size_), static_cast<off_t>(added),
                              SYNC_FILE_RANGE_WRITE);
      size_ += added;
    } else if (struct stat st; ::fstat(fd_, &st) == 0) {
      size_ = static_cast<uint64_t>(st.st_size);
    }
    return s;
  }
  Status Sync() override {
    if (fd_ < 0) return Status::IoError(fmt::format("cannot sync {}: closed", path_));
    if (::fdatasync(fd_) != 0) return Errno("cannot sync", path_);
    return Status::Ok();
  }
  uint64_t size() const override { return size_; }
  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? Status::Ok() : Errno("cannot close", path_);
  }

 private:
  int fd_;
  std::string path_;
  uint64_t size_;
};

class PosixFileSystem final : public FileSystem {
 public:
  bool SupportsConcurrentWrites() const override { return true; }

  Status WriteAndSync(const std::string& path, std::string_view data) override {
    return WriteWhole(path, std::span<const std::string_view>(&data, 1), /*sync=*/true);
  }

  Status WriteAndSyncPieces(const std::string& path,
                            std::span<const std::string_view> pieces) override {
    return WriteWhole(path, pieces, /*sync=*/true);
  }

  Status WriteWithoutSync(const std::string& path, std::string_view data) override {
    return WriteWhole(path, std::span<const std::string_view>(&data, 1), /*sync=*/false);
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    return Open(path, O_TRUNC);
  }

  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    return Open(path, 0);
  }

  Status OverwriteWithoutSync(const std::string& path, std::string_view data) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("cannot open", path);
    Status s;
    size_t done = 0;
    while (s.ok() && done < data.size()) {
      const ssize_t n =
          ::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) s = Errno("cannot write", path);
      if (n > 0) done += static_cast<size_t>(n);
    }
    if (::close(fd) != 0 && s.ok()) s = Errno("cannot close", path);
    return s;
  }

  Status SyncFile(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound(path);
      return Errno("cannot open", path);
    }
    Status s = ::fdatasync(fd) == 0 ? Status::Ok() : Errno("cannot sync", path);
    ::close(fd);
    return s;
  }

  Status Truncate(const std::string& path, uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      if (errno == ENOENT) return Status::NotFound(path);
      return Errno("cannot truncate", path);
    }
    return Status::Ok();
  }

  Result<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return Status::NotFound(path);
      return Errno("cannot stat", path);
    }
    return static_cast<uint64_t>(st.st_size);
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return Errno("cannot rename", from + " -> " + to);
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Errno("cannot open directory", dir);
    const int rc = ::fsync(fd);
    Status s = rc == 0 ? Status::Ok() : Errno("cannot sync directory", dir);
    ::close(fd);
    return s;
  }

  Result<std::string> ReadFile(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound(path);
      return Errno("cannot open", path);
    }
    std::string content;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof(buf));
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = Errno("cannot read", path);
        ::close(fd);
        return s;
      }
      if (n == 0) break;
      content.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return content;
  }

  Result<std::string> ReadRange(const std::string& path, uint64_t offset,
                                uint64_t length) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound(path);
      return Errno("cannot open", path);
    }
    std::string content(length, '\0');
    size_t done = 0;
    while (done < length) {
      const ssize_t n =
          ::pread(fd, content.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = Errno("cannot read", path);
        ::close(fd);
        return s;
      }
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fd);
    content.resize(done);
    return content;
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", path);
    return Status::Ok();
  }

  Status CreateDirs(const std::string& dir) override {
    std::string partial;
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = dir.find('/', pos + 1);
      partial = dir.substr(0, pos);
      if (partial.empty()) continue;
      if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
        return Errno("cannot create directory", partial);
      }
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return Errno("cannot write to directory", dir);
    return Status::Ok();
  }

  Result<std::vector<std::string>> List(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      if (errno == ENOENT) return Status::NotFound(dir);
      return Errno("cannot list", dir);
    }
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(d)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(d);
    return names;
  }

 private:
  static Result<std::unique_ptr<WritableFile>> Open(const std::string& path, int extra_flags) {
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | extra_flags, 0644);
    if (fd < 0) return Errno("cannot create", path);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      Status s = Errno("cannot stat", path);
      ::close(fd);
      return s;
    }
    return std::unique_ptr<WritableFile>(
        std::make_unique<PosixWritableFile>(fd, path, static_cast<uint64_t>(st.st_size)));
  }
};

}  // namespace

Status FileSystem::WriteAndSyncPieces(const std::string& path,
                                      std::span<const std::string_view> pieces) {
  std::string joined;
  for (std::string_view piece : pieces) joined.append(piece);
  return WriteAndSync(path, joined);
}

FileSystem& FileSystem::Default() {
  static PosixFileSystem fs;
  return fs;
}

namespace {

Status WriteOne(FileSystem& fs, const std::string& path, const PendingFile& file) {
  return file.pieces.empty() ? fs.WriteAndSync(path, file.data)
                             : fs.WriteAndSyncPieces(path, file.pieces);
}

// Threads that write and sync at once: enough for the syncs to share journal commits, few
// enough that a batch of hundreds of files (one per partition and date folder) does not start
// hundreds of threads.
constexpr size_t kMaxWriterThreads = 16;

// Runs task(i) for i in [0, n), on up to kMaxWriterThreads threads when `parallel`; returns the
// first failure.
template <typename Task>
Status ForEach(size_t n, bool parallel, const Task& task) {
  if (!parallel || n < 2) {
    for (size_t i = 0; i < n; ++i) {
      if (Status s = task(i); !s.ok()) return s;
    }
    return Status::Ok();
  }
  std::vector<Status> results(n);
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  const size_t count = std::min(n, kMaxWriterThreads);
  threads.reserve(count);
  for (size_t t = 0; t < count; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) results[i] = task(i);
    });
  }
  for (std::thread& t : threads) t.join();
  for (Status& s : results) {
    if (!s.ok()) return std::move(s);
  }
  return Status::Ok();
}

std::string FolderOf(const std::string& dir, const PendingFile& file) {
  return file.subdir.empty() ? dir : fmt::format("{}/{}", dir, file.subdir);
}

}  // namespace

Status PublishFiles(FileSystem& fs, const std::string& dir, const std::vector<PendingFile>& files) {
  // The folders the files go to, each once, in order of first use; `dir` last when it has to be
  // synced for new folders.
  std::vector<std::string> folders;
  std::vector<std::string> temps;
  temps.reserve(files.size());
  bool into_subdirs = false;
  for (const PendingFile& file : files) {
    std::string folder = FolderOf(dir, file);
    temps.push_back(fmt::format("{}/{}", folder, data_layout::TempFileName(file.name)));
    into_subdirs |= !file.subdir.empty();
    if (std::find(folders.begin(), folders.end(), folder) == folders.end()) {
      folders.push_back(std::move(folder));
    }
  }
  Status status;
  for (size_t i = 0; status.ok() && into_subdirs && i < folders.size(); ++i) {
    if (folders[i] != dir) status = fs.CreateDirs(folders[i]);
  }
  if ((into_subdirs || files.empty()) &&
      std::find(folders.begin(), folders.end(), dir) == folders.end()) {
    folders.push_back(dir);
  }
  const bool parallel = fs.SupportsConcurrentWrites();
  // One thread per file (up to kMaxWriterThreads): the syncs overlap instead of queueing.
  if (status.ok()) {
    status =
        ForEach(files.size(), parallel, [&](size_t i) { return WriteOne(fs, temps[i], files[i]); });
  }
  for (size_t i = 0; status.ok() && i < files.size(); ++i) {
    status = fs.Rename(temps[i], fmt::format("{}/{}", FolderOf(dir, files[i]), files[i].name));
  }
  if (status.ok()) {
    status = ForEach(folders.size(), parallel, [&](size_t i) { return fs.SyncDir(folders[i]); });
  }
  if (!status.ok()) {
    for (const std::string& temp : temps) (void)fs.Remove(temp);
  }
  return status;
}

}  // namespace orderflow

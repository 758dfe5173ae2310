#include "common/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
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

class PosixFileSystem final : public FileSystem {
 public:
  bool SupportsConcurrentWrites() const override { return true; }

  Status WriteAndSync(const std::string& path, std::string_view data) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("cannot create", path);
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = Errno("cannot write", path);
        ::close(fd);
        return s;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    if (::fdatasync(fd) != 0) {
      Status s = Errno("cannot sync", path);
      ::close(fd);
      return s;
    }
    if (::close(fd) != 0) return Errno("cannot close", path);
    return Status::Ok();
  }

  Status WriteAndSyncPieces(const std::string& path,
                            std::span<const std::string_view> pieces) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("cannot create", path);
    std::vector<iovec> iov;
    iov.reserve(std::min<size_t>(pieces.size(), IOV_MAX));
    size_t next = 0;
    while (next < pieces.size()) {
      iov.clear();
      for (size_t i = next; i < pieces.size() && iov.size() < IOV_MAX; ++i) {
        iov.push_back({const_cast<char*>(pieces[i].data()), pieces[i].size()});
      }
      const size_t count = iov.size();
      size_t done = 0;  // whole pieces written from this group
      while (done < count) {
        const ssize_t n = ::writev(fd, iov.data() + done, static_cast<int>(count - done));
        if (n < 0) {
          if (errno == EINTR) continue;
          Status s = Errno("cannot write", path);
          ::close(fd);
          return s;
        }
        // Advance past what was written; a short write leaves a partly written piece.
        size_t left = static_cast<size_t>(n);
        while (done < count && left >= iov[done].iov_len) left -= iov[done++].iov_len;
        if (done < count && left > 0) {
          iov[done].iov_base = static_cast<char*>(iov[done].iov_base) + left;
          iov[done].iov_len -= left;
        }
      }
      next += count;
    }
    if (::fdatasync(fd) != 0) {
      Status s = Errno("cannot sync", path);
      ::close(fd);
      return s;
    }
    if (::close(fd) != 0) return Errno("cannot close", path);
    return Status::Ok();
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

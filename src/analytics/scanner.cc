#include "analytics/scanner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "analytics/line_parser.h"
#include "common/data_layout.h"
#include "common/output_file_reader.h"

namespace orderflow::analytics {
namespace {

namespace fs = std::filesystem;

struct Task {
  const std::string* path;
  bool invalid_input;
  uint64_t begin, end, file_size;
  bool compressed = false;  // the whole file, decoded as a stream
};

// Decoded bytes a compressed task reads at a time.
constexpr size_t kDecodeBlock = size_t{4} << 20;

// A file descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Status ErrnoStatus(const char* what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

// An anonymous mapping backed by transparent huge pages where the kernel allows it: page
// faults are expensive on virtual machines, and a 9 MB read buffer touched 4 KB at a time
// costs thousands of them per worker. Move-only; unmaps itself.
class ReadBuffer {
 public:
  ReadBuffer() = default;
  ReadBuffer(const ReadBuffer&) = delete;
  ReadBuffer& operator=(const ReadBuffer&) = delete;
  ReadBuffer(ReadBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ReadBuffer& operator=(ReadBuffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~ReadBuffer() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }

  // A buffer of at least `size` bytes, or an empty one when the kernel refuses.
  static ReadBuffer Allocate(size_t size) {
    constexpr size_t kHuge = size_t{2} << 20;
    ReadBuffer b;
    b.size_ = (size + kHuge - 1) / kHuge * kHuge;
    void* p = ::mmap(nullptr, b.size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return ReadBuffer();
    ::madvise(p, b.size_, MADV_HUGEPAGE);  // a hint: fine if unsupported
    b.data_ = static_cast<char*>(p);
    return b;
  }

  char* get() const { return data_; }
  size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

// One scanner thread: its parser, read buffer and partial aggregates.
class Worker {
 public:
  Status Run(const Task& task, ScanStats& stats);
  Aggregates& aggregates() { return aggregates_; }
  void set_days(const DayRange& days) { days_ = days; }

 private:
  Status RunCompressed(const Task& task, ScanStats& stats);
  // Makes room for `size` bytes plus simdjson's padding, keeping the first `keep` bytes.
  // IoError when no memory can be mapped.
  Status Reserve(size_t size, size_t keep);
  void ParseLines(const char* begin, const char* end, bool invalid_input, ScanStats& stats);

  LineParser parser_;
  Aggregates aggregates_;
  ReadBuffer buffer_;
  DayRange days_;
};

Status Worker::Reserve(size_t size, size_t keep) {
  const size_t needed = size + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() >= needed) return Status::Ok();
  // First use: room for a whole chunk and the line that runs past its end, so that a worker
  // allocates once; a longer line doubles it.
  ReadBuffer bigger =
      ReadBuffer::Allocate(std::max({needed, buffer_.size() * 2, kChunkBytes + (size_t{1} << 20)}));
  if (bigger.get() == nullptr) {
    return Status::IoError(fmt::format("cannot map a {} byte read buffer", needed));
  }
  if (keep > 0) std::memcpy(bigger.get(), buffer_.get(), keep);
  buffer_ = std::move(bigger);
  return Status::Ok();
}

// A task owns the lines that start in [begin, end): it reads from begin - 1 (to see whether a
// line starts exactly at begin) and on past end until the newline closing its last line.
Status Worker::Run(const Task& task, ScanStats& stats) {
  if (task.compressed) return RunCompressed(task, stats);
  Fd fd(::open(task.path->c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus("cannot open", *task.path);
  const uint64_t read_from = task.begin == 0 ? 0 : task.begin - 1;
  size_t size = 0;
  auto read_more = [&](size_t want) -> Status {
    if (Status s = Reserve(size + want, size); !s.ok()) return s;
    while (want > 0) {
      const ssize_t n = ::pread(fd.get(), buffer_.get() + size, want, read_from + size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoStatus("cannot read", *task.path);
      if (n == 0) break;  // the file shrank: scan what is there
      size += static_cast<size_t>(n);
      want -= static_cast<size_t>(n);
    }
    return Status::Ok();
  };
  if (Status s = read_more(task.end - read_from); !s.ok()) return s;

  // Read on until the newline that closes the line running through end - 1 (or EOF).
  const auto last_byte = static_cast<size_t>(task.end - 1 - read_from);
  size_t searched = last_byte;
  size_t stop = 0;
  while (true) {
    const void* nl =
        searched < size ? std::memchr(buffer_.get() + searched, '\n', size - searched) : nullptr;
    if (nl != nullptr) {
      stop = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.get()) + 1;
      break;
    }
    searched = std::max(searched, size);
    const size_t before = size;
    if (read_from + size < task.file_size) {
      if (Status s = read_more(size_t{1} << 16); !s.ok()) return s;
    }
    if (size == before) {
      stop = size;
      break;
    }
  }
  // Start: just after the first newline at or after begin - 1 (buffer position 0). When that
  // newline is the one found above, no line starts in this task: start == stop.
  size_t start = 0;
  if (task.begin > 0) {
    const void* nl = std::memchr(buffer_.get(), '\n', stop);
    start = nl == nullptr ? stop
                          : static_cast<size_t>(static_cast<const char*>(nl) - buffer_.get()) + 1;
  }
  if (start < stop) {
    std::memset(buffer_.get() + size, 0, simdjson::SIMDJSON_PADDING);
    ParseLines(buffer_.get() + start, buffer_.get() + stop, task.invalid_input, stats);
  }
  return Status::Ok();
}

// A compressed file is decoded block by block into the read buffer; the complete lines of each
// block are parsed and the unfinished last one is carried to the front for the next block.
Status Worker::RunCompressed(const Task& task, ScanStats& stats) {
  auto reader = OutputFileReader::Open(*task.path);
  if (!reader.ok()) return reader.status();
  size_t size = 0;  // decoded bytes in the buffer not parsed yet: the start of a line
  for (;;) {
    if (Status s = Reserve(size + kDecodeBlock, size); !s.ok()) return s;
    auto n = reader->Read(buffer_.get() + size, kDecodeBlock);
    if (!n.ok()) {
      if (n.status().code() != Status::Code::kCorruption) return n.status();
      // Cut short or damaged: what was decoded is read, the line the damage cut is a bad one.
      ++stats.damaged_files;
      if (size > 0) ++(task.invalid_input ? stats.bad_invalid_lines : stats.bad_order_lines);
      return Status::Ok();
    }
    size += *n;
    stats.decoded_bytes += *n;
    std::memset(buffer_.get() + size, 0, simdjson::SIMDJSON_PADDING);
    if (*n == 0) {  // the end: the last line may lack its newline
      if (size > 0) ParseLines(buffer_.get(), buffer_.get() + size, task.invalid_input, stats);
      return Status::Ok();
    }
    const void* nl = ::memrchr(buffer_.get(), '\n', size);
    if (nl == nullptr) continue;  // a line longer than a block: read on
    const auto lines = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.get()) + 1;
    ParseLines(buffer_.get(), buffer_.get() + lines, task.invalid_input, stats);
    std::memmove(buffer_.get(), buffer_.get() + lines, size - lines);
    size -= lines;
  }
}

void Worker::ParseLines(const char* p, const char* end, bool invalid_input, ScanStats& stats) {
  const char* const buffer_end = buffer_.get() + buffer_.size();
  OrderRow row;
  std::string_view reason;
  int32_t day = kNoDay;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl == nullptr ? end : nl;
    const std::string_view line(p, static_cast<size_t>(line_end - p));
    const auto capacity = static_cast<size_t>(buffer_end - p);
    if (invalid_input) {
      switch (parser_.ParseInvalid(line, capacity, reason, day)) {
        case LineKind::kObject:
          if (!days_.Contains(day)) break;
          ++stats.invalid_rows;
          aggregates_.AddInvalid(reason);
          break;
        case LineKind::kBad:
          ++stats.bad_invalid_lines;
          break;
        case LineKind::kBlank:
          break;
      }
    } else {
      switch (parser_.ParseOrder(line, capacity, row)) {
        case LineKind::kObject:
          if (!days_.Contains(row.day)) break;
          ++stats.order_rows;
          aggregates_.AddOrder(row);
          break;
        case LineKind::kBad:
          ++stats.bad_order_lines;
          break;
        case LineKind::kBlank:
          break;
      }
    }
    p = line_end + 1;
  }
}

// Compressed files go to `whole` (one task each), plain ones to `chunks`.
void AddTasks(const std::vector<std::string>& files, bool invalid_input, size_t chunk_bytes,
              std::vector<Task>& whole, std::vector<Task>& tasks, ScanStats& stats) {
  for (const std::string& path : files) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;  // vanished since the listing
    const auto size = static_cast<uint64_t>(st.st_size);
    stats.bytes += size;
    if (data_layout::CompressionOfFileName(path) != Compression::kNone) {
      whole.push_back({&path, invalid_input, 0, size, size, true});
      continue;
    }
    stats.decoded_bytes += size;
    for (uint64_t begin = 0; begin < size; begin += chunk_bytes) {
      tasks.push_back({&path, invalid_input, begin, std::min(size, begin + chunk_bytes), size});
    }
  }
}

}  // namespace

namespace {

// A folder purchase_date=D/ whose events are all outside `days` (the default folder holds
// events without a date: outside every bounded range).
bool OutsideDays(std::string_view name, const DayRange& days) {
  if (!days.bounded()) return false;
  const auto folder = data_layout::ParsePartitionDirName(name);
  if (!folder || folder->column != data_layout::kPurchaseDateColumn) return false;
  if (folder->value == data_layout::kDefaultPartitionValue) return true;
  const int32_t day = ParseDay(folder->value);
  return day != kNoDay && !days.Contains(day);  // a folder of another spelling is read
}

}  // namespace

Result<std::vector<std::string>> ListJsonFiles(const std::string& dir, const DayRange& days) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (!fs::exists(status)) return Status::NotFound(fmt::format("{} does not exist", dir));
  if (!fs::is_directory(status)) return Status::IoError(fmt::format("{} is not a directory", dir));
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (data_layout::IsIgnoredByReaders(name) || OutsideDays(name, days)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (data_layout::IsOutputFileName(name) && it->is_regular_file(ec)) {
      files.push_back(it->path().string());
    }
  }
  if (ec) return Status::IoError(fmt::format("cannot list {}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

Result<ScanResult> Scan(const ScanOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto order_files = ListJsonFiles(options.orders_dir, options.days);
  if (!order_files.ok()) return order_files.status();
  std::vector<std::string> invalid_files;
  if (!options.invalid_dir.empty()) {
    auto listed = ListJsonFiles(options.invalid_dir, options.days);
    if (listed.ok()) {
      invalid_files = std::move(*listed);
    } else if (!listed.status().IsNotFound()) {
      return listed.status();
    }
  }

  ScanResult result;
  ScanStats& stats = result.stats;
  stats.order_files = order_files->size();
  stats.invalid_files = invalid_files.size();
  std::vector<Task> tasks, chunks;
  const size_t chunk_bytes = std::max<size_t>(options.chunk_bytes, 1);
  AddTasks(*order_files, false, chunk_bytes, tasks, chunks, stats);
  AddTasks(invalid_files, true, chunk_bytes, tasks, chunks, stats);
  // Whole compressed files first: the longest tasks start early, chunks fill in behind them.
  tasks.insert(tasks.end(), chunks.begin(), chunks.end());

  if (options.progress != nullptr) options.progress->bytes_total.store(stats.bytes);
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max<int>(1, static_cast<int>(tasks.size())));
  stats.threads = threads;

  std::vector<Worker> workers(threads);
  for (Worker& worker : workers) worker.set_days(options.days);
  std::vector<ScanStats> worker_stats(threads);
  std::atomic<size_t> next_task{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Status error;
  auto work = [&](int w) {
    while (!failed.load(std::memory_order_relaxed)) {
      const size_t t = next_task.fetch_add(1, std::memory_order_relaxed);
      if (t >= tasks.size()) return;
      Status s = options.should_stop && options.should_stop()
                     ? Status::IoError("interrupted")
                     : workers[w].Run(tasks[t], worker_stats[w]);
      if (!s.ok()) {
        std::lock_guard lock(error_mu);
        if (error.ok()) error = std::move(s);
        failed.store(true);
        return;
      }
      if (options.progress != nullptr) {
        options.progress->bytes_done.fetch_add(tasks[t].end - tasks[t].begin,
                                               std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& thread : pool) thread.join();
  if (!error.ok()) return error;

  for (int w = 0; w < threads; ++w) {
    result.aggregates.Merge(workers[w].aggregates());
    const ScanStats& ws = worker_stats[w];
    stats.order_rows += ws.order_rows;
    stats.invalid_rows += ws.invalid_rows;
    stats.bad_order_lines += ws.bad_order_lines;
    stats.bad_invalid_lines += ws.bad_invalid_lines;
    stats.decoded_bytes += ws.decoded_bytes;
    stats.damaged_files += ws.damaged_files;
  }
  stats.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace orderflow::analytics

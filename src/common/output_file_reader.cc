#include "common/output_file_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "common/data_layout.h"

namespace orderflow {
namespace {

// Compressed input is read in blocks of this size; the decoders then work from memory.
constexpr size_t kInputBlock = size_t{256} << 10;

}  // namespace

struct OutputFileReader::State {
  std::string path;
  Compression compression = Compression::kNone;
  int fd = -1;
  uint64_t file_bytes = 0;
  std::unique_ptr<char[]> input;  // compressed files only
  size_t in_pos = 0, in_len = 0;
  bool eof = false;
  // Damage found after some bytes were decoded in the same call: reported by the next call.
  Status deferred;
  // A member or frame has begun and not yet ended: the end of the file here is a cut.
  bool unit_open = false;
  z_stream zlib{};
  bool zlib_ready = false;
  ZSTD_DCtx* zstd = nullptr;

  ~State() {
    if (fd >= 0) ::close(fd);
    if (zlib_ready) inflateEnd(&zlib);
    ZSTD_freeDCtx(zstd);
  }

  Status ReadFd(char* out, size_t capacity, size_t& got) {
    for (;;) {
      const ssize_t n = ::read(fd, out, capacity);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::IoError(fmt::format("cannot read {}: {}", path, strerror(errno)));
      got = static_cast<size_t>(n);
      file_bytes += got;
      return Status::Ok();
    }
  }

  Status Refill() {
    if (in_pos < in_len || eof) return Status::Ok();
    in_pos = in_len = 0;
    if (Status s = ReadFd(input.get(), kInputBlock, in_len); !s.ok()) return s;
    eof = in_len == 0;
    return Status::Ok();
  }

  Status Damaged(std::string_view what) const {
    return Status::Corruption(fmt::format("{}: {}", path, what));
  }

  Status Cut() const {
    return Damaged(fmt::format("the file ends inside a {} (cut short)",
                               compression == Compression::kGzip ? "gzip member" : "zstd frame"));
  }

  // Decodes into out[produced..capacity); stops at the end of the file or when out is full.
  Status Gunzip(char* out, size_t capacity, size_t& produced) {
    if (!zlib_ready) {
      if (inflateInit2(&zlib, 15 + 16) != Z_OK) return Status::IoError("gzip: out of memory");
      zlib_ready = true;
    }
    while (produced < capacity) {
      if (Status s = Refill(); !s.ok()) return s;
      if (in_pos == in_len) {
        if (unit_open) return Cut();
        return Status::Ok();  // the end, between members
      }
      const size_t room = std::min<size_t>(capacity - produced, UINT_MAX);
      zlib.next_in = reinterpret_cast<Bytef*>(input.get() + in_pos);
      zlib.avail_in = static_cast<uInt>(in_len - in_pos);
      zlib.next_out = reinterpret_cast<Bytef*>(out + produced);
      zlib.avail_out = static_cast<uInt>(room);
      const int rc = inflate(&zlib, Z_NO_FLUSH);
      const size_t consumed = (in_len - in_pos) - zlib.avail_in;
      in_pos += consumed;
      produced += room - zlib.avail_out;
      if (consumed > 0) unit_open = true;
      if (rc == Z_STREAM_END) {
        // One member done; another may follow (a file appended to batch by batch).
        unit_open = false;
        if (inflateReset(&zlib) != Z_OK) return Status::IoError("gzip: cannot reset");
      } else if (rc == Z_BUF_ERROR) {
        // Needs more input (refilled above) or more room (the loop ends); anything else would
        // be no progress forever.
        if (consumed == 0 && in_pos < in_len && produced < capacity) {
          return Damaged("gzip data that does not decode");
        }
      } else if (rc != Z_OK) {
        return Damaged(fmt::format("not valid gzip data ({})", zlib.msg ? zlib.msg : "error"));
      }
    }
    return Status::Ok();
  }

  Status Unzstd(char* out, size_t capacity, size_t& produced) {
    if (zstd == nullptr && (zstd = ZSTD_createDCtx()) == nullptr) {
      return Status::IoError("zstd: out of memory");
    }
    while (produced < capacity) {
      if (Status s = Refill(); !s.ok()) return s;
      if (in_pos == in_len && !unit_open) return Status::Ok();  // the end, between frames
      ZSTD_inBuffer in{input.get() + in_pos, in_len - in_pos, 0};
      ZSTD_outBuffer o{out + produced, capacity - produced, 0};
      const size_t rc = ZSTD_decompressStream(zstd, &o, &in);
      if (ZSTD_isError(rc)) {
        return Damaged(fmt::format("not valid zstd data ({})", ZSTD_getErrorName(rc)));
      }
      in_pos += in.pos;
      produced += o.pos;
      // 0: a frame was completely decoded and flushed.
      unit_open = rc != 0;
      if (in.pos == 0 && o.pos == 0 && in_pos == in_len && eof) return Cut();
    }
    return Status::Ok();
  }
};

OutputFileReader::OutputFileReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
OutputFileReader::~OutputFileReader() = default;
OutputFileReader::OutputFileReader(OutputFileReader&&) noexcept = default;
OutputFileReader& OutputFileReader::operator=(OutputFileReader&&) noexcept = default;

Result<OutputFileReader> OutputFileReader::Open(const std::string& path) {
  return Open(path, data_layout::CompressionOfFileName(path));
}

Result<OutputFileReader> OutputFileReader::Open(const std::string& path, Compression compression) {
  auto state = std::make_unique<State>();
  state->path = path;
  state->compression = compression;
  state->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (state->fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{} does not exist", path));
    return Status::IoError(fmt::format("cannot open {}: {}", path, strerror(errno)));
  }
  if (compression != Compression::kNone) state->input.reset(new char[kInputBlock]);
  return OutputFileReader(std::move(state));
}

Result<size_t> OutputFileReader::Read(char* out, size_t capacity) {
  State& s = *state_;
  if (!s.deferred.ok()) return s.deferred;
  size_t produced = 0;
  Status status;
  switch (s.compression) {
    case Compression::kNone:
      status = s.ReadFd(out, capacity, produced);
      break;
    case Compression::kGzip:
      status = s.Gunzip(out, capacity, produced);
      break;
    case Compression::kZstd:
      status = s.Unzstd(out, capacity, produced);
      break;
  }
  if (status.ok()) return produced;
  if (produced == 0) return status;
  s.deferred = std::move(status);
  return produced;
}

uint64_t OutputFileReader::file_bytes_read() const { return state_->file_bytes; }

Result<std::string> ReadOutputFile(const std::string& path) {
  auto reader = OutputFileReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::string content;
  constexpr size_t kBlock = size_t{1} << 20;
  for (;;) {
    const size_t before = content.size();
    content.resize(before + kBlock);
    auto n = reader->Read(content.data() + before, kBlock);
    if (!n.ok()) return n.status();
    content.resize(before + *n);
    if (*n == 0) return content;
  }
}

}  // namespace orderflow

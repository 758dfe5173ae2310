// The byte-level writing of an output file: turns the lines of one batch into the bytes that
// are appended to a part file of the given compression. Every call produces one self-contained
// unit (kNone: the lines as they are; kGzip: one complete gzip member; kZstd: one complete zstd
// frame with a content checksum), so a file that holds the units of several batches, cut after
// any of them, is a valid file of its kind: a writer that keeps a file open across batches
// appends one unit per batch and never has to rewrite what is on disk.
// One thread only; move-only (it owns the compressor's state, reused from call to call).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/compression.h"
#include "common/status.h"

namespace orderflow {

class OutputEncoder {
 public:
  // Levels: gzip 1 (zlib's fastest) and zstd 1 (see docs/output_format.md for the figures).
  explicit OutputEncoder(Compression compression);
  ~OutputEncoder();
  OutputEncoder(OutputEncoder&&) noexcept;
  OutputEncoder& operator=(OutputEncoder&&) noexcept;
  OutputEncoder(const OutputEncoder&) = delete;
  OutputEncoder& operator=(const OutputEncoder&) = delete;

  Compression compression() const { return compression_; }

  // Encodes the concatenation of `pieces` (whole lines, each ending in '\n') as one unit and
  // appends it to `out`; nothing at all for an empty input (no empty member or frame). For
  // kNone the bytes are copied: callers that write plain files pass the pieces on unencoded.
  // IoError when the compressor fails (out of memory); `out` then keeps what it had before.
  Status Encode(std::span<const std::string_view> pieces, std::string& out);

 private:
  struct Codec;
  Compression compression_;
  std::unique_ptr<Codec> codec_;
};

}  // namespace orderflow

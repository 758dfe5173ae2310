#include "event/padded_buffer.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "event/byte_chunks.h"

namespace orderflow::event {
namespace {

using byte_chunks::Any;
using byte_chunks::Chunk;
using byte_chunks::kChunk;
using byte_chunks::Mask;

// Copies `size` bytes from `from` to `to` and classifies them, in one pass: each chunk is loaded
// once, stored and compared.
ByteClasses CopyAndClassify(const char* from, size_t size, char* to) {
  if (size < kChunk) {
    if (size > 0) std::memcpy(to, from, size);
    ByteClasses classes{false, false};
    for (size_t i = 0; i < size; ++i) {
      classes.backslash |= from[i] == '\\';
      classes.control |= static_cast<unsigned char>(from[i]) < 0x20;
    }
    return classes;
  }
  Mask backslash{}, control{};
  auto copy = [&](size_t at) {
    Chunk c;
    std::memcpy(&c, from + at, kChunk);
    std::memcpy(to + at, &c, kChunk);
    backslash |= reinterpret_cast<Mask>(c == '\\');
    control |= reinterpret_cast<Mask>(c < 0x20);
  };
  for (size_t i = 0; i + kChunk <= size; i += kChunk) copy(i);
  // The tail: the last chunk, overlapping bytes already copied and seen (same bytes again).
  copy(size - kChunk);
  return {Any(backslash), Any(control)};
}

}  // namespace

ByteClasses PaddedBuffer::Assign(std::string_view message) {
  const size_t needed = message.size() + simdjson::SIMDJSON_PADDING;
  if (needed > capacity_) {
    capacity_ = std::max(needed, size_t{4096});
    data_.reset(new char[capacity_]);
  }
  std::memset(data_.get() + message.size(), 0, simdjson::SIMDJSON_PADDING);
  return CopyAndClassify(message.data(), message.size(), data_.get());
}

}  // namespace orderflow::event

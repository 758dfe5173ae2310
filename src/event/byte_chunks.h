// 32 bytes at a time with the compiler's portable vector types: with -march=native a chunk is
// one AVX2 load and a compare per byte class, instead of a memchr call per string field. Shared
// by the padded copy (padded_buffer.cc) and the fast path's plain-text check (canonical_event.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace orderflow::event::byte_chunks {

using Chunk = uint8_t __attribute__((vector_size(32)));
using Mask = int8_t __attribute__((vector_size(32)));  // a compare's result: -1 where true
inline constexpr size_t kChunk = sizeof(Chunk);

// True when any byte of the mask is set.
inline bool Any(Mask m) {
  uint64_t words[4];
  std::memcpy(words, &m, sizeof words);
  return (words[0] | words[1] | words[2] | words[3]) != 0;
}

}  // namespace orderflow::event::byte_chunks

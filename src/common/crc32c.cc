#include "common/crc32c.h"

#include <array>
#include <cstring>

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

namespace orderflow {

uint32_t Crc32c(std::string_view data, uint32_t crc) {
  uint32_t c = ~crc;
  const char* p = data.data();
  size_t n = data.size();
#if defined(__SSE4_2__) && defined(__x86_64__)
  uint64_t c64 = c;
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c64 = _mm_crc32_u64(c64, word);
    p += 8;
    n -= 8;
  }
  c = static_cast<uint32_t>(c64);
  while (n > 0) {
    c = _mm_crc32_u8(c, static_cast<uint8_t>(*p++));
    --n;
  }
#else
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t v = i;
      for (int k = 0; k < 8; ++k) v = (v & 1) ? 0x82F63B78u ^ (v >> 1) : v >> 1;
      table[i] = v;
    }
    return table;
  }();
  while (n > 0) {
    c = kTable[(c ^ static_cast<uint8_t>(*p++)) & 0xFF] ^ (c >> 8);
    --n;
  }
#endif
  return ~c;
}

}  // namespace orderflow

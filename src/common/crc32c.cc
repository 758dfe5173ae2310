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

namespace {

// Arithmetic on polynomials over GF(2) modulo the CRC-32C polynomial, in the CRC's reflected bit
// order (bit 31 is x^0): appending n zero bytes to a message multiplies its CRC register by
// x^(8n) mod P.
constexpr uint32_t kReflectedPolynomial = 0x82F63B78u;

uint32_t MultiplyModP(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t bit = 1u << 31; bit != 0; bit >>= 1) {
    if (a & bit) product ^= b;
    b = (b & 1) ? (b >> 1) ^ kReflectedPolynomial : b >> 1;
  }
  return product;
}

// x^(2^k) mod P for k = 0..63.
const std::array<uint32_t, 64>& PowersOfX() {
  static const std::array<uint32_t, 64> powers = [] {
    std::array<uint32_t, 64> p{};
    p[0] = 1u << 30;  // x^1
    for (size_t k = 1; k < p.size(); ++k) p[k] = MultiplyModP(p[k - 1], p[k - 1]);
    return p;
  }();
  return powers;
}

// x^(8 * bytes) mod P.
uint32_t ShiftForBytes(uint64_t bytes) {
  uint32_t result = 1u << 31;  // x^0
  const std::array<uint32_t, 64>& powers = PowersOfX();
  for (size_t k = 3; bytes != 0 && k < powers.size(); ++k, bytes >>= 1) {
    if (bytes & 1) result = MultiplyModP(powers[k], result);
  }
  return result;
}

}  // namespace

uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  // The pre- and post-inversions cancel out: CRC(a+b) = CRC(a) * x^(8|b|) + CRC(b).
  return MultiplyModP(ShiftForBytes(length_b), crc_a) ^ crc_b;
}

}  // namespace orderflow

#include "common/crc32c.h"

#include <array>
#include <cstring>

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif
#if defined(__SSE4_2__) && defined(__PCLMUL__) && defined(__x86_64__)
#include <wmmintrin.h>
#define ORDERFLOW_CRC32C_THREE_STREAMS 1
#endif

namespace orderflow {

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

// x^bits mod P.
uint32_t XToThe(uint64_t bits) {
  uint32_t result = 1u << 31;  // x^0
  const std::array<uint32_t, 64>& powers = PowersOfX();
  for (size_t k = 0; bits != 0 && k < powers.size(); ++k, bits >>= 1) {
    if (bits & 1) result = MultiplyModP(powers[k], result);
  }
  return result;
}

#if defined(ORDERFLOW_CRC32C_THREE_STREAMS)
// The crc32 instruction has a latency of three cycles; where it issues once a cycle (Intel), a
// single chain of them runs at a third of the CPU's speed. Three chains over three equal stripes
// run together; the first two registers are then moved past the stripes after them by a
// carry-less multiplication by x^(8 * bytes - 33) (the 33: the product's reflected alignment,
// one bit, and the crc32 instruction that reduces it, which multiplies by x^32). AMD Zen 2
// issues one every three cycles, so there the chains save only the loop's overhead (event_bench:
// BM_Crc32cLine against BM_Crc32cOneChain, BENCHMARKS.md).
constexpr size_t kMaxStripe = 2048;  // bytes of one stripe in one round; a multiple of 8
constexpr size_t kMinStripe = 32;    // below this the single chain is as fast

struct StripeShifts {
  uint64_t past_two;  // x^(8 * 2 * stripe - 33): the first stripe's register past the other two
  uint64_t past_one;  // x^(8 * stripe - 33): the second stripe's register past the third
};

const std::array<StripeShifts, kMaxStripe / 8 + 1>& ShiftsByStripe() {
  static const std::array<StripeShifts, kMaxStripe / 8 + 1> shifts = [] {
    std::array<StripeShifts, kMaxStripe / 8 + 1> table{};
    for (size_t words = kMinStripe / 8; words < table.size(); ++words) {
      table[words] = {XToThe(8 * 2 * 8 * words - 33), XToThe(8 * 8 * words - 33)};
    }
    return table;
  }();
  return shifts;
}

uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

// Three stripes of `stripe` bytes each (a multiple of 8) from `p`, continued from `c`.
uint32_t ThreeStripes(const char* p, size_t stripe, uint32_t c) {
  uint64_t a = c, b = 0, d = 0;
  const char* end = p + stripe;
  for (; p != end; p += 8) {
    a = _mm_crc32_u64(a, LoadWord(p));
    b = _mm_crc32_u64(b, LoadWord(p + stripe));
    d = _mm_crc32_u64(d, LoadWord(p + 2 * stripe));
  }
  const StripeShifts& k = ShiftsByStripe()[stripe / 8];
  const __m128i moved_a =
      _mm_clmulepi64_si128(_mm_cvtsi64_si128(static_cast<int64_t>(a)),
                           _mm_cvtsi64_si128(static_cast<int64_t>(k.past_two)), 0);
  const __m128i moved_b =
      _mm_clmulepi64_si128(_mm_cvtsi64_si128(static_cast<int64_t>(b)),
                           _mm_cvtsi64_si128(static_cast<int64_t>(k.past_one)), 0);
  const uint64_t moved = static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_xor_si128(moved_a, moved_b)));
  return static_cast<uint32_t>(d ^ _mm_crc32_u64(0, moved));
}
#endif

}  // namespace

uint32_t Crc32c(std::string_view data, uint32_t crc) {
  uint32_t c = ~crc;
  const char* p = data.data();
  size_t n = data.size();
#if defined(ORDERFLOW_CRC32C_THREE_STREAMS)
  for (; n >= 3 * kMaxStripe; p += 3 * kMaxStripe, n -= 3 * kMaxStripe) {
    c = ThreeStripes(p, kMaxStripe, c);
  }
  if (const size_t stripe = n / 24 * 8; stripe >= kMinStripe) {
    c = ThreeStripes(p, stripe, c);
    p += 3 * stripe;
    n -= 3 * stripe;
  }
#endif
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

uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  // The pre- and post-inversions cancel out: CRC(a+b) = CRC(a) * x^(8|b|) + CRC(b).
  return MultiplyModP(XToThe(8 * length_b), crc_a) ^ crc_b;
}

}  // namespace orderflow

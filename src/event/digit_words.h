// Decimal digits read eight at a time from a little-endian 64-bit word (SWAR): the first
// character of the text is the word's lowest byte. Shared by the number readers
// (plain_number.cc) and the fast path (canonical_event.cc): no branch per digit, which matters
// because the lengths vary from event to event (quantity 5 or 12, total 9.8 or 123.45).
// Stateless; safe for concurrent use. Callers decline big-endian machines.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace orderflow::event::digit_words {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighBits = 0x8080808080808080ULL;
inline constexpr uint64_t kAsciiZeros = 0x3030303030303030ULL;

[[gnu::always_inline]] inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The first `n` (1 to 8) characters of `word`, shifted to its end behind '0's: the same number
// in eight digits.
[[gnu::always_inline]] inline uint64_t RightAlign(uint64_t word, size_t n) {
  if (n == 8) return word;
  const unsigned shift = 8 * static_cast<unsigned>(8 - n);
  return (word << shift) | (kAsciiZeros >> (64 - shift));
}

// True when all eight characters are digits (simdjson's is_made_of_eight_digits_fast).
[[gnu::always_inline]] inline bool AllDigits(uint64_t word) {
  constexpr uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ULL;
  return ((word & kHighNibbles) | (((word + 0x0606060606060606ULL) & kHighNibbles) >> 4)) ==
         0x3333333333333333ULL;
}

// How many of the first characters are digits, 0 to 8. Exact for every byte: no carry crosses
// a byte (each sum stays below 0x100).
[[gnu::always_inline]] inline size_t LeadingDigits(uint64_t word) {
  const uint64_t low7 = word & ~kHighBits;
  const uint64_t at_least_0 = low7 + kOnes * (0x80 - '0');
  const uint64_t above_9 = low7 + kOnes * (0x80 - '9' - 1);
  const uint64_t digits = at_least_0 & ~above_9 & ~word & kHighBits;
  return static_cast<size_t>(std::countr_zero(~digits & kHighBits)) / 8;
}

// The value of eight digits (simdjson's parse_eight_digits_unrolled).
// REQUIRES: AllDigits(word).
[[gnu::always_inline]] inline uint64_t EightDigitsValue(uint64_t word) {
  word = ((word & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;
  word = ((word & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  return ((word & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
}

}  // namespace orderflow::event::digit_words

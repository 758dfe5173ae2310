#include "event/plain_number.h"

#include <bit>

#include "event/digit_words.h"

namespace orderflow::event {
namespace {

using digit_words::AllDigits;
using digit_words::EightDigitsValue;
using digit_words::Load8;
using digit_words::RightAlign;

constexpr int64_t kPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// A number token ends at a structural character; these two follow a value in compact JSON and
// are among the ends simdjson's number parsers accept.
bool EndsAValue(char c) { return c == ',' || c == '}'; }

}  // namespace

bool ReadPlainInt(std::string_view token, int64_t& value) {
  if constexpr (std::endian::native != std::endian::little) return false;
  const size_t n = token.size();
  const char* p = token.data();
  if (n == 0 || n > 16 || !EndsAValue(p[n]) || (p[0] == '0' && n > 1)) return false;
  if (n <= 8) {
    const uint64_t digits = RightAlign(Load8(p), n);
    if (!AllDigits(digits)) return false;
    value = static_cast<int64_t>(EightDigitsValue(digits));
    return true;
  }
  const uint64_t high = Load8(p);
  const uint64_t low = RightAlign(Load8(p + 8), n - 8);
  if (!AllDigits(high) || !AllDigits(low)) return false;
  value = static_cast<int64_t>(EightDigitsValue(high)) * kPowersOfTen[n - 8] +
          static_cast<int64_t>(EightDigitsValue(low));
  return true;
}

bool ReadPlainDecimal(std::string_view token, bool& positive) {
  if constexpr (std::endian::native != std::endian::little) return false;
  const size_t n = token.size();
  const char* p = token.data();
  if (n < 3 || n > 16 || !EndsAValue(p[n])) return false;
  // The first '.' among the first eight bytes: the lowest zero byte of word ^ "........".
  const uint64_t head = Load8(p);
  const uint64_t dots = head ^ 0x2E2E2E2E2E2E2E2EULL;
  const uint64_t zero_bytes = (dots - 0x0101010101010101ULL) & ~dots & 0x8080808080808080ULL;
  if (zero_bytes == 0) return false;
  const size_t point = static_cast<size_t>(std::countr_zero(zero_bytes)) / 8;
  const size_t fraction = n - point - 1;
  if (point == 0 || fraction == 0 || fraction > 8 || (p[0] == '0' && point > 1)) return false;
  const uint64_t whole = RightAlign(head, point);
  const uint64_t part = RightAlign(Load8(p + point + 1), fraction);
  if (!AllDigits(whole) || !AllDigits(part)) return false;
  positive = ((whole | part) & 0x0F0F0F0F0F0F0F0FULL) != 0;
  return true;
}

}  // namespace orderflow::event

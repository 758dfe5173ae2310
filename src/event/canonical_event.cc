#include "event/canonical_event.h"

#include <simdjson.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "event/byte_chunks.h"
#include "event/digit_words.h"

// Why this exists: on a catch-up the processor's consuming thread is the bottleneck, and
// parse + validate was ~5,400 of its ~6,500 instructions per event (callgrind), a third of it
// simdjson's stage 1, most of the rest the On-Demand walk. Yet 95 % of the messages are valid
// events that our own producer wrote in one known shape. Reading that shape byte by byte, in
// order, settles them without simdjson; everything else (invalid events, other writers' JSON,
// anything odd) is declined at the first byte that does not fit and takes the full parse.
//
// Why declining is enough for the result to be exact: each accepted form is one the full parse
// handles in a single known way (see the comments below), so the accepted message's Validation
// is fully determined: valid, parsed_object, pass_through (no extra field, one line) and
// plain_bytes (no backslash, no control byte) are all true, reason and invalid_mode_raw are
// empty, every raw token is the value's exact bytes (compact: nothing to trim), and
// event_time_ms is the plain integer's value.

namespace orderflow::event {
namespace {

// Far above any producer event (~470 bytes); larger messages take the full parse, whose limits
// (simdjson's capacity) then decide them.
constexpr size_t kMaxMessageSize = 64 * 1024;

// At most 18 digits: any such integer fits in int64, so simdjson's get_int64 reads it exactly.
constexpr size_t kMaxIntDigits = 18;
// At most 9 digits on each side of the point: 18 significant digits, which simdjson reads on
// its exact fast path; and a number with a nonzero digit is then certainly > 0 as a double.
constexpr size_t kMaxDecimalDigits = 9;

using digit_words::kHighBits;
using digit_words::kOnes;
using digit_words::Load8;

constexpr uint64_t kPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// What comes between two values: `{"order_id":` before the first, `,"name":` before the others.
struct KeyBytes {
  std::array<char, 24> bytes{};
  size_t size = 0;
};

constexpr std::array<KeyBytes, kFieldCount> MakeKeys() {
  std::array<KeyBytes, kFieldCount> keys{};
  for (size_t i = 0; i < kFieldCount; ++i) {
    KeyBytes& k = keys[i];
    k.bytes[k.size++] = i == 0 ? '{' : ',';
    k.bytes[k.size++] = '"';
    for (char c : kFields[i].name) k.bytes[k.size++] = c;
    k.bytes[k.size++] = '"';
    k.bytes[k.size++] = ':';
  }
  return keys;
}

constexpr std::array<KeyBytes, kFieldCount> kKeys = MakeKeys();

// Cursor::Key compares a key as three overlapping 8-byte words.
constexpr bool KeysFitWordCompares() {
  for (const KeyBytes& k : kKeys) {
    if (k.size < 8 || k.size > 24) return false;
  }
  return true;
}
static_assert(KeysFitWordCompares());

using byte_chunks::Any;
using byte_chunks::Chunk;
using byte_chunks::kChunk;
using byte_chunks::Mask;

// True when `message` has no backslash and no byte below 0x20, and is valid UTF-8. simdjson's
// stage 1 refuses invalid UTF-8 (invalid_utf8) and control bytes in strings (malformed_json);
// with no backslash a string needs no unescaping and ends at the next quote.
// REQUIRES: message.size() >= kChunk.
bool IsPlainText(std::string_view message) {
  Mask special{}, high{};
  auto scan = [&](size_t at) {
    Chunk c;
    std::memcpy(&c, message.data() + at, kChunk);
    special |= reinterpret_cast<Mask>(c == '\\') | reinterpret_cast<Mask>(c < 0x20);
    high |= reinterpret_cast<Mask>(c >= 0x80);
  };
  for (size_t i = 0; i + kChunk <= message.size(); i += kChunk) scan(i);
  scan(message.size() - kChunk);  // the tail, overlapping bytes already seen
  if (Any(special)) return false;
  // Our producer writes non-ASCII names (Łukasz, Kraków): those messages are checked whole.
  return !Any(high) || simdjson::validate_utf8(message.data(), message.size());
}

// The first '"' in [from, end), or null: eight bytes at a time, the lowest zero byte of
// word ^ "\"\"\"\"\"\"\"\"" (exact for the lowest one; little-endian: the first byte).
[[gnu::always_inline]] inline const char* FindQuote(const char* from, const char* end) {
  constexpr uint64_t kQuotes = kOnes * '"';
  const char* p = from;
  for (; end - p >= 8; p += 8) {
    const uint64_t x = Load8(p) ^ kQuotes;
    const uint64_t zero_bytes = (x - kOnes) & ~x & kHighBits;
    if (zero_bytes != 0) return p + std::countr_zero(zero_bytes) / 8;
  }
  for (; p < end; ++p) {
    if (*p == '"') return p;
  }
  return nullptr;
}

// Reads the message left to right; each read checks that the bytes it needs are there and
// moves past them only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view message)
      : p_(message.data()), end_(message.data() + message.size()) {}

  // The exact bytes of `key` (always inlined: each key's words are then constants).
  [[gnu::always_inline]] bool Key(const KeyBytes& key) {
    const size_t n = key.size;
    if (Left() < n) return false;
    const char* want = key.bytes.data();
    if (Load8(p_) != Load8(want) || Load8(p_ + n - 8) != Load8(want + n - 8)) return false;
    if (n > 16 && Load8(p_ + 8) != Load8(want + 8)) return false;
    p_ += n;
    return true;
  }
  // "...": no backslash or control byte can be inside (IsPlainText), so the next quote ends it.
  bool String(std::string_view& token);
  // 0 or [1-9][0-9]*, at most kMaxIntDigits digits.
  bool Int(std::string_view& token, int64_t& value);
  // <int>.<digits>, at most kMaxDecimalDigits on each side; `positive` when a digit is not 0.
  bool Decimal(std::string_view& token, bool& positive);
  // true or false.
  bool Bool(std::string_view& token);
  // The closing brace is the last byte.
  bool AtClosingBrace() const { return end_ - p_ == 1 && *p_ == '}'; }

 private:
  size_t Left() const { return static_cast<size_t>(end_ - p_); }
  // The eight bytes at `p`, or the fewer left before the end followed by zero bytes (no digit).
  // The message has at least eight bytes, so the last eight are always readable.
  [[gnu::always_inline]] uint64_t LoadUpTo8(const char* p) const {
    const size_t left = static_cast<size_t>(end_ - p);
    if (left >= 8) return Load8(p);
    return left == 0 ? 0 : Load8(end_ - 8) >> (8 * (8 - left));
  }
  // The digits at p_ + at (at most Left()), eight at a time, up to max + 8 of them: how many
  // (more than `max`: too many) and, when not too many, their value.
  size_t Digits(size_t at, size_t max, uint64_t& value) const;
  // Moves past `n` bytes, giving them as `token`.
  void Take(size_t n, std::string_view& token) {
    token = {p_, n};
    p_ += n;
  }

  const char* p_;
  const char* end_;
};

[[gnu::always_inline]] inline bool Cursor::String(std::string_view& token) {
  if (p_ == end_ || *p_ != '"') return false;
  const char* close = FindQuote(p_ + 1, end_);
  if (close == nullptr) return false;
  Take(static_cast<size_t>(close + 1 - p_), token);
  return true;
}

[[gnu::always_inline]] inline size_t Cursor::Digits(size_t at, size_t max, uint64_t& value) const {
  size_t n = 0;
  uint64_t v = 0;  // wraps (harmlessly) only past 19 digits, when n > max
  for (;;) {
    const uint64_t word = LoadUpTo8(p_ + at + n);
    const size_t k = digit_words::LeadingDigits(word);
    if (k > 0) {
      v = v * kPowersOfTen[k] + digit_words::EightDigitsValue(digit_words::RightAlign(word, k));
    }
    n += k;
    if (k < 8 || n > max) break;
  }
  value = v;
  return n;
}

[[gnu::always_inline]] inline bool Cursor::Int(std::string_view& token, int64_t& value) {
  // A sign, a point or an exponent stops the digits, and the next key or the closing brace
  // then does not match: such a token is declined like anything else.
  uint64_t v = 0;
  const size_t n = Digits(0, kMaxIntDigits, v);
  if (n == 0 || n > kMaxIntDigits || (p_[0] == '0' && n > 1)) return false;
  value = static_cast<int64_t>(v);
  Take(n, token);
  return true;
}

[[gnu::always_inline]] inline bool Cursor::Decimal(std::string_view& token, bool& positive) {
  uint64_t whole = 0, fraction = 0;
  const size_t n = Digits(0, kMaxDecimalDigits, whole);
  if (n == 0 || n > kMaxDecimalDigits || (p_[0] == '0' && n > 1)) return false;
  if (n == Left() || p_[n] != '.') return false;
  const size_t f = Digits(n + 1, kMaxDecimalDigits, fraction);
  if (f == 0 || f > kMaxDecimalDigits) return false;
  positive = (whole | fraction) != 0;
  Take(n + 1 + f, token);
  return true;
}

[[gnu::always_inline]] inline bool Cursor::Bool(std::string_view& token) {
  if (Left() >= 4 && std::memcmp(p_, "true", 4) == 0) {
    Take(4, token);
    return true;
  }
  if (Left() >= 5 && std::memcmp(p_, "false", 5) == 0) {
    Take(5, token);
    return true;
  }
  return false;
}

// What Decide() of the full parse needs beyond the raw tokens.
struct Numbers {
  int64_t quantity = 0;
  bool unit_price_positive = false;
};

// The value of field I (its key read), into result.raw[I] and what else it gives.
template <size_t I>
[[gnu::always_inline]] inline bool ReadValue(Cursor& in, Validation& result, Numbers& numbers) {
  std::string_view& token = result.raw[I];
  constexpr FieldType kType = kFields[I].type;
  if constexpr (kType == FieldType::kString) {
    return in.String(token);
  } else if constexpr (kType == FieldType::kInt) {
    int64_t v = 0;
    if (!in.Int(token, v)) return false;
    if constexpr (I == static_cast<size_t>(kQuantityField)) numbers.quantity = v;
    if constexpr (I == static_cast<size_t>(kEventTimeField)) result.event_time_ms = v;
    return true;
  } else if constexpr (kType == FieldType::kNumber) {
    bool positive = false;
    if (!in.Decimal(token, positive)) return false;
    if constexpr (I == static_cast<size_t>(kUnitPriceField)) numbers.unit_price_positive = positive;
    return true;
  } else {
    return in.Bool(token);
  }
}

// Every field's key and value in table order, stopping at the first that does not fit. One
// instance per field (a fold, not a loop): the key's bytes and the value's type are constants.
// Without always_inline GCC 12 leaves the readers as calls: 2,630 instructions per event
// instead of 1,700 (a loop over the fields with a switch on the type: 2,100).
template <size_t... I>
bool ReadFields(Cursor& in, Validation& result, Numbers& numbers, std::index_sequence<I...>) {
  return ((in.Key(kKeys[I]) && ReadValue<I>(in, result, numbers)) && ...);
}

}  // namespace

bool ReadCanonicalEvent(std::string_view message, Validation& result) {
  if constexpr (std::endian::native != std::endian::little) return false;  // word reads
  if (message.size() < kChunk || message.size() > kMaxMessageSize) return false;
  if (!IsPlainText(message)) return false;
  Cursor in(message);
  Numbers numbers;
  if (!ReadFields(in, result, numbers, std::make_index_sequence<kFieldCount>())) return false;
  // Invalid events are for the full parse to name; this path only accepts.
  if (!in.AtClosingBrace() || numbers.quantity <= 0 || !numbers.unit_price_positive) return false;
  result.valid = true;
  result.parsed_object = true;
  result.pass_through = true;
  result.plain_bytes = true;
  return true;
}

}  // namespace orderflow::event

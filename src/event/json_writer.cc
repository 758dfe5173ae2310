#include "event/json_writer.h"

#include <simdjson.h>

#include <array>
#include <cstring>

namespace orderflow::event {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Appends one ASCII byte, escaped when JSON requires it.
inline void AppendAsciiEscaped(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      if (c < 0x20 || c == 0x7F) {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(esc, 6);
      } else {
        out.push_back(static_cast<char>(c));
      }
  }
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c == 0x7F; }

}  // namespace

bool AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  const bool utf8 = simdjson::validate_utf8(text.data(), text.size());
  size_t run_start = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (NeedsEscape(c)) {
        out.append(text.data() + run_start, i - run_start);
        AppendAsciiEscaped(out, c);
        run_start = ++i;
      } else {
        ++i;
      }
      continue;
    }
    if (utf8) {
      ++i;  // multi-byte sequences are copied as they are
      continue;
    }
    const size_t len = Utf8SequenceLength(text, i);
    if (len == 0) {
      out.append(text.data() + run_start, i - run_start);
      out += "\xEF\xBF\xBD";  // U+FFFD
      run_start = ++i;
    } else {
      i += len;
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
  return utf8;
}

namespace {

// "00" "01" ... "99": two digits per step instead of one.
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

int DecimalDigits(uint64_t v) {
  int digits = 1;
  for (; v >= 10000; v /= 10000) digits += 4;
  if (v >= 1000) return digits + 3;
  if (v >= 100) return digits + 2;
  return v >= 10 ? digits + 1 : digits;
}

// Writes `v` in exactly `digits` characters ending at `end`.
void WriteDigitsBackwards(char* end, uint64_t v) {
  while (v >= 100) {
    end -= 2;
    std::memcpy(end, &kDigitPairs[2 * (v % 100)], 2);
    v /= 100;
  }
  if (v >= 10) {
    std::memcpy(end - 2, &kDigitPairs[2 * v], 2);
  } else {
    end[-1] = static_cast<char>('0' + v);
  }
}

uint64_t Magnitude(int64_t value) {
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

}  // namespace

char* WriteInt(char* out, int64_t value) {
  if (value < 0) *out++ = '-';
  const uint64_t v = Magnitude(value);
  char* end = out + DecimalDigits(v);
  WriteDigitsBackwards(end, v);
  return end;
}

char* WriteCents(char* out, int64_t cents) {
  if (cents < 0) *out++ = '-';
  const uint64_t v = Magnitude(cents);
  const uint64_t units = v / 100;
  const auto frac = static_cast<unsigned>(v % 100);
  char* end = out + DecimalDigits(units);
  WriteDigitsBackwards(end, units);
  *end++ = '.';
  *end++ = static_cast<char>('0' + frac / 10);
  if (frac % 10 != 0) *end++ = static_cast<char>('0' + frac % 10);
  return end;
}

void AppendInt(std::string& out, int64_t value) {
  char buf[kMaxIntChars];
  out.append(buf, static_cast<size_t>(WriteInt(buf, value) - buf));
}

void AppendCents(std::string& out, int64_t cents) {
  char buf[kMaxCentsChars];
  out.append(buf, static_cast<size_t>(WriteCents(buf, cents) - buf));
}

void AppendBase64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    const char quad[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
                          kAlphabet[v & 63]};
    out.append(quad, 4);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = b[i] << 16;
    const char quad[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
    out.append(quad, 4);
  } else if (rest == 2) {
    const uint32_t v = (b[i] << 16) | (b[i + 1] << 8);
    const char quad[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
                          '='};
    out.append(quad, 4);
  }
}

}  // namespace orderflow::event

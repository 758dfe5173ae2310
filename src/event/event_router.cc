#include "event/event_router.h"

#include <charconv>
#include <cmath>

#include "event/event_fields.h"
#include "event/json_writer.h"

namespace orderflow::event {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

uint32_t HexValue(std::string_view four) {
  uint32_t v = 0;
  for (char c : four)
    v = v * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  return v;
}

// A JSON string token (quotes included) as RFC 8259 has it: no raw control characters, only
// the defined escapes, surrogates in pairs. simdjson On-Demand hands out raw tokens without
// checking the parts it did not need (a wrong-typed field is never unescaped): fuzzing found
// lone surrogates copied into the invalid output, which strict readers then rejected.
bool IsStrictJsonString(std::string_view t) {
  if (t.size() < 2 || t.front() != '"' || t.back() != '"') return false;
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c < 0x20) return false;
    if (c == '"') return false;
    if (c != '\\') continue;
    if (++i + 1 >= t.size()) return false;
    const char e = t[i];
    if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
        e == 't')
      continue;
    if (e != 'u' || i + 5 > t.size() - 1) return false;
    const std::string_view hex = t.substr(i + 1, 4);
    for (char h : hex) {
      if (!IsHex(h)) return false;
    }
    const uint32_t unit = HexValue(hex);
    i += 4;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate first
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // A high surrogate must be followed by an escaped low one.
      if (i + 7 > t.size() - 1 || t[i + 1] != '\\' || t[i + 2] != 'u') return false;
      const std::string_view low = t.substr(i + 3, 4);
      for (char h : low) {
        if (!IsHex(h)) return false;
      }
      const uint32_t second = HexValue(low);
      if (second < 0xDC00 || second > 0xDFFF) return false;
      i += 6;
    }
  }
  return true;
}

// A JSON number token: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsStrictJsonNumber(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// A number a reader can hold: an integer within 64 bits, or a finite double (simdjson, which
// `orderflow report` reads with, rejects 1e999999 and 400-digit integers).
bool IsRepresentableNumber(std::string_view t) {
  const char* end = t.data() + t.size();
  if (t.find_first_of(".eE") == std::string_view::npos) {
    int64_t i = 0;
    uint64_t u = 0;
    return std::from_chars(t.data(), end, i).ec == std::errc() ||
           std::from_chars(t.data(), end, u).ec == std::errc();
  }
  double d = 0;
  return std::from_chars(t.data(), end, d).ec == std::errc() && std::isfinite(d);
}

// True when `token` can be copied into an output line as it is.
bool IsStrictJsonScalar(std::string_view token) {
  if (token.empty()) return false;
  if (token.front() == '"') return IsStrictJsonString(token);
  if (token == "true" || token == "false" || token == "null") return true;
  return IsStrictJsonNumber(token) && IsRepresentableNumber(token);
}

// Appends `"name":raw` for every contract field the message had as a scalar. A token that is
// not strict JSON is left out (json_str still carries the whole message).
void AppendParsedFields(const Validation& v, std::string& out, bool& first) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (v.raw[i].empty() || !IsStrictJsonScalar(v.raw[i])) continue;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(kFields[i].name);
    out.append("\":", 2);
    out.append(v.raw[i]);
  }
}

}  // namespace

RouteResult EventRouter::Route(std::string_view payload, int32_t partition, int64_t offset,
                               std::string& valid_out, std::string& invalid_out,
                               bool reference_valid) {
  const Validation& v = validator_.Validate(payload);
  // The validator reads what it needs; a string it did not have to unescape may still hold a
  // raw control character, which strict JSON readers reject. Its typed reads have already
  // checked every number and boolean of a valid event, so only a message with a control byte
  // or an escape needs the token-by-token check (almost none: it stays off the hot path). The
  // validator noted both while copying the message, so the payload is not scanned again.
  bool strict = true;
  if (v.valid && !v.plain_bytes) {
    for (size_t i = 0; strict && i < kFieldCount; ++i) strict = IsStrictJsonScalar(v.raw[i]);
  }
  if (v.valid && strict) {
    if (v.pass_through && reference_valid) return {true, true, {}, v.event_time_ms};
    if (v.pass_through) {
      valid_out.append(payload);
    } else {
      // Pretty-printed or carrying extra fields: write the contract's fields on one line.
      valid_out.push_back('{');
      bool first = true;
      AppendParsedFields(v, valid_out, first);
      valid_out.push_back('}');
    }
    valid_out.push_back('\n');
    return {true, false, {}, v.event_time_ms};
  }

  std::string& out = invalid_out;
  out.push_back('{');
  bool first = true;
  const std::string_view reason = strict ? v.reason : kReasonMalformedJson;
  if (v.parsed_object) {
    AppendParsedFields(v, out, first);
    if (!v.invalid_mode_raw.empty() && IsStrictJsonString(v.invalid_mode_raw)) {
      if (!first) out.push_back(',');
      first = false;
      out.append("\"invalid_mode\":");
      out.append(v.invalid_mode_raw);
    }
  }
  if (!first) out.push_back(',');
  out.append("\"json_str\":");
  const bool utf8 = AppendJsonString(out, payload);
  if (!utf8) {
    // json_str had to replace bytes; keep the exact message too, so nothing is lost.
    out.append(",\"json_base64\":\"");
    AppendBase64(out, payload);
    out.push_back('"');
  }
  out.append(",\"invalid_reason\":\"");
  out.append(reason);
  out.append("\",\"kafka_partition\":");
  AppendInt(out, partition);
  out.append(",\"kafka_offset\":");
  AppendInt(out, offset);
  out.append("}\n");
  return {false, false, reason, 0};
}

}  // namespace orderflow::event

#include "event/event_validator.h"

#include <cstring>
#include <utility>

#include "event/plain_number.h"

namespace orderflow::event {
namespace {

using simdjson::ondemand::json_type;

std::string_view TrimRight(std::string_view s) {
  // JSON whitespace is below '!': one compare settles a compact token's last character.
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ' &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsScalar(json_type t) { return t != json_type::object && t != json_type::array; }

// The key starting at `raw` (just past its opening quote) when it has no escape sequence;
// a null view otherwise. Stage 1 guarantees a closing quote.
std::string_view RawKey(const char* raw) {
  const char* end = raw;
  while (*end != '"') {
    if (*end == '\\') return {};
    ++end;
  }
  return {raw, static_cast<size_t>(end - raw)};
}

uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

uint32_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// True when the key starting at `raw` (just past its opening quote) is exactly `name` (4 to 24
// plain characters): word-sized compares instead of a scan for the closing quote. Reads at most
// name.size() + 1 bytes, which the padded buffer always has past any key.
bool KeyIs(const char* raw, std::string_view name) {
  const size_t n = name.size();
  if (raw[n] != '"') return false;
  const char* want = name.data();
  if (n < 8) return Load4(raw) == Load4(want) && Load4(raw + n - 4) == Load4(want + n - 4);
  const bool head = Load8(raw) == Load8(want) && Load8(raw + n - 8) == Load8(want + n - 8);
  return head && (n <= 16 || Load8(raw + 8) == Load8(want + 8));
}

// simdjson 3.0 has no document::at_end(); current_location() reports OUT_OF_BOUNDS there.
bool AtEnd(simdjson::ondemand::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

}  // namespace

EventValidator::EventValidator() = default;

const Validation& EventValidator::Validate(std::string_view message) {
  result_ = Validation{};
  seen_.reset();
  wrong_type_.reset();
  null_.reset();
  duplicate_.reset();
  unknown_fields_ = false;
  quantity_ = 0;
  unit_price_positive_ = false;
  Check(message);
  return result_;
}

void EventValidator::Check(std::string_view message) {
  if (message.empty()) {
    result_.reason = kReasonEmpty;
    return;
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse from a padded copy.
  const ByteClasses bytes = padded_.Assign(message);
  result_.plain_bytes = !bytes.backslash && !bytes.control;

  simdjson::ondemand::document doc;
  auto error = parser_.iterate(padded_.data(), message.size(), padded_.capacity()).get(doc);
  if (error) {
    result_.reason = error == simdjson::UTF8_ERROR ? kReasonInvalidUtf8 : kReasonMalformedJson;
    return;
  }
  json_type doc_type;
  if (doc.type().get(doc_type)) {
    result_.reason = kReasonMalformedJson;
    return;
  }
  if (doc_type != json_type::object) {
    // A scalar or array: not an event. Still make sure it is JSON at all.
    result_.reason = kReasonNotAnObject;
    if (doc_type == json_type::array) {
      simdjson::ondemand::array array;
      std::string_view ignored;
      if (doc.get_array().get(array) || array.raw_json().get(ignored) || !AtEnd(doc)) {
        result_.reason = kReasonMalformedJson;
      }
    } else {
      // On-Demand only peeks at the first byte of a scalar: read it fully to tell "null"
      // from "not json".
      bool ok = false;
      switch (doc_type) {
        case json_type::null: {
          bool is_null = false;
          ok = !doc.is_null().get(is_null) && is_null;
          break;
        }
        case json_type::boolean: {
          bool b;
          ok = !doc.get_bool().get(b);
          break;
        }
        case json_type::number: {
          double d;
          ok = !doc.get_double().get(d);
          break;
        }
        case json_type::string: {
          std::string_view sv;
          ok = !doc.get_string().get(sv);
          break;
        }
        default:
          break;
      }
      if (!ok || !AtEnd(doc)) result_.reason = kReasonMalformedJson;
    }
    return;
  }
  simdjson::ondemand::object object;
  if (doc.get_object().get(object)) {
    result_.reason = kReasonMalformedJson;
    return;
  }
  size_t expected = 0;  // the field the contract's order puts next
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    if (std::move(field_result).get(field)) {
      result_.reason = kReasonMalformedJson;
      return;
    }
    // Fast path: the producer writes the fields in table order, so the key is most often the
    // expected one, confirmed by a few word compares on the raw bytes.
    const char* raw_key = field.key().raw();
    int index;
    std::string_view key;
    if (expected < kFieldCount && KeyIs(raw_key, kFields[expected].name)) {
      index = static_cast<int>(expected);
    } else {
      // Keys are read in place; only a key with an escape sequence is unescaped (rare).
      key = RawKey(raw_key);
      if (key.data() == nullptr && field.unescaped_key().get(key)) {
        result_.reason = kReasonMalformedJson;
        return;
      }
      index = FindField(key);
    }
    if (index >= 0) expected = static_cast<size_t>(index) + 1;
    simdjson::ondemand::value value = field.value();
    json_type type;
    if (value.type().get(type)) {
      result_.reason = kReasonMalformedJson;
      return;
    }
    if (index < 0) {
      if (key == "invalid_mode" && type == json_type::string) {
        result_.invalid_mode_raw = TrimRight(value.raw_json_token());
      }
      unknown_fields_ = true;
      continue;  // the iterator skips the unread value
    }
    if (seen_[index]) {
      duplicate_[index] = true;
      continue;
    }
    seen_[index] = true;
    if (IsScalar(type)) result_.raw[index] = TrimRight(value.raw_json_token());
    if (type == json_type::null) {
      null_[index] = true;
      continue;
    }
    bool ok = false;
    switch (kFields[index].type) {
      case FieldType::kString: {
        // A string without backslashes needs no unescaping to be known good (stage 1 has
        // checked its UTF-8 and quotes); one with escapes is unescaped to validate them. Most
        // messages have no backslash at all, which the copy into the padded buffer noted.
        std::string_view s;
        const std::string_view raw = result_.raw[index];
        ok = type == json_type::string &&
             (!bytes.backslash || std::memchr(raw.data(), '\\', raw.size()) == nullptr ||
              !value.get_string().get(s));
        break;
      }
      case FieldType::kInt: {
        // The producer's plain digits are read without simdjson's digit-by-digit loop.
        int64_t v = 0;
        ok = type == json_type::number &&
             (ReadPlainInt(result_.raw[index], v) || !value.get_int64().get(v));
        if (index == kQuantityField) quantity_ = v;
        if (index == kEventTimeField) result_.event_time_ms = v;
        break;
      }
      case FieldType::kNumber: {
        // Only unit_price's sign is ever needed: a plain decimal gives it without a division.
        bool positive = false;
        if (type == json_type::number && ReadPlainDecimal(result_.raw[index], positive)) {
          ok = true;
        } else {
          double v = 0;
          ok = type == json_type::number && !value.get_double().get(v);
          positive = v > 0;
        }
        if (index == kUnitPriceField) unit_price_positive_ = positive;
        break;
      }
      case FieldType::kBool: {
        bool v = false;
        ok = type == json_type::boolean && !value.get_bool().get(v);
        break;
      }
    }
    if (!ok) wrong_type_[index] = true;
  }
  if (!AtEnd(doc)) {
    result_.reason = kReasonMalformedJson;  // trailing content after the object
    return;
  }
  result_.parsed_object = true;
  Decide();
  if (result_.valid) {
    // Line breaks are control bytes: without any, the message is one line.
    result_.pass_through =
        !unknown_fields_ &&
        (!bytes.control || (std::memchr(message.data(), '\n', message.size()) == nullptr &&
                            std::memchr(message.data(), '\r', message.size()) == nullptr));
  }
}

void EventValidator::Decide() {
  // Fast path: every field once, not null, with its type. Only the signs are left to check, in
  // the same order as below.
  if (seen_.all() && (wrong_type_ | null_ | duplicate_).none()) {
    if (quantity_ <= 0) {
      result_.reason = kReasonNonPositiveQuantity;
    } else if (!unit_price_positive_) {
      result_.reason = kReasonNonPositiveUnitPrice;
    } else {
      result_.valid = true;
    }
    return;
  }
  auto missing = [&](int i) { return !seen_[i] || null_[i]; };
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (duplicate_[i]) {
      result_.reason = kFields[i].duplicate_reason;
      return;
    }
  }
  // The original's precedence first: quantity, unit_price, then their signs.
  for (int i : {kQuantityField, kUnitPriceField}) {
    if (missing(i)) {
      result_.reason = kFields[i].missing_reason;
      return;
    }
    if (wrong_type_[i]) {
      result_.reason = kFields[i].wrong_type_reason;
      return;
    }
  }
  if (quantity_ <= 0) {
    result_.reason = kReasonNonPositiveQuantity;
    return;
  }
  if (!unit_price_positive_) {
    result_.reason = kReasonNonPositiveUnitPrice;
    return;
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (missing(static_cast<int>(i))) {
      result_.reason = kFields[i].missing_reason;
      return;
    }
    if (wrong_type_[i]) {
      result_.reason = kFields[i].wrong_type_reason;
      return;
    }
  }
  result_.valid = true;
}

}  // namespace orderflow::event

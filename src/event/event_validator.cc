#include "event/event_validator.h"

#include <bitset>
#include <cstring>
#include <utility>
#include <vector>

#include "event/canonical_event.h"
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

// A scalar's raw token runs up to the next structural character (whitespace included): that
// character must end the value.
bool EndsWell(simdjson::ondemand::value& value) {
  const std::string_view token = value.raw_json_token();
  const char next = token.data()[token.size()];  // within the padded buffer
  return next == ',' || next == '}' || next == ']';
}

// Containers nested deeper than this inside a value are left to simdjson's skip (it counts their
// brackets, nothing more): its parser holds a position per level up to max_depth (1024), and
// a message may nest thousands deep.
constexpr size_t kMaxWalkedDepth = 256;

// Reads an array or object whole, each element and key as it goes (what is read is checked),
// with a stack instead of recursion. An error simdjson meets while iterating ends the walk and
// leaves the document unfinished, which ReadAll reports.
bool WalkContainer(simdjson::ondemand::value& root, json_type root_type) {
  struct Level {
    bool is_array = false;
    bool advance = false;  // the current element or field was read: step past it first
    simdjson::ondemand::array_iterator element, elements_end;
    simdjson::ondemand::object_iterator field, fields_end;
  };
  std::vector<Level> levels;
  const auto open = [&levels](simdjson::ondemand::value& value, json_type type) {
    Level level;
    level.is_array = type == json_type::array;
    if (level.is_array) {
      simdjson::ondemand::array array;
      return !value.get_array().get(array) && !array.begin().get(level.element) &&
             !array.end().get(level.elements_end) && (levels.push_back(level), true);
    }
    simdjson::ondemand::object object;
    return !value.get_object().get(object) && !object.begin().get(level.field) &&
           !object.end().get(level.fields_end) && (levels.push_back(level), true);
  };
  if (!open(root, root_type)) return false;
  while (!levels.empty()) {
    Level& level = levels.back();
    if (level.advance) {
      if (level.is_array)
        ++level.element;
      else
        ++level.field;
      level.advance = false;
    }
    if (level.is_array ? !(level.element != level.elements_end)
                       : !(level.field != level.fields_end)) {
      levels.pop_back();
      continue;
    }
    level.advance = true;
    simdjson::ondemand::value value;
    if (level.is_array) {
      if ((*level.element).get(value)) return false;
    } else {
      simdjson::ondemand::field field;
      std::string_view key;
      if ((*level.field).get(field) || field.unescaped_key().get(key)) return false;
      value = field.value();
    }
    json_type type;
    if (value.type().get(type)) return false;
    if (IsScalar(type)) {
      if (!EndsWell(value)) return false;
    } else if (levels.size() < kMaxWalkedDepth && !open(value, type)) {
      return false;
    }
  }
  return true;
}

// simdjson's On-Demand checks the grammar of what it reads, not of what it skips: simdjson 3.0.1
// skips an unread string followed by ':' as if it were a key, up to the object's closing brace,
// and looks inside a skipped array or object only for brackets. A message such as
// {..., "purchase_datetime":"x":0e0,0}, ...} was then a valid event passed through as it is: a
// line that is not JSON in the valid output (found by tests/fuzz/event_router_fuzzer). So a
// scalar must be followed by ',' or '}' (or ']' in an array), and a container is read whole.
// The value itself is not consumed when it is a scalar (its raw token is read afterwards).
bool WellFormed(simdjson::ondemand::value& value, json_type type) {
  return IsScalar(type) ? EndsWell(value) : WalkContainer(value, type);
}

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

// The reason for a message simdjson refused to start on.
std::string_view ParseErrorReason(simdjson::error_code error) {
  return error == simdjson::UTF8_ERROR ? kReasonInvalidUtf8 : kReasonMalformedJson;
}

// True when the document is one complete scalar of type `type` and nothing follows it.
// On-Demand only peeks at the first byte of a scalar: reading it fully tells "null" from
// "nul" and "42" from "42abc".
bool IsCompleteScalar(simdjson::ondemand::document& doc, json_type type) {
  bool ok = false;
  switch (type) {
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
  return ok && AtEnd(doc);
}

// True when the document is one complete array and nothing follows it.
bool IsCompleteArray(simdjson::ondemand::document& doc) {
  simdjson::ondemand::array array;
  std::string_view ignored;
  return !doc.get_array().get(array) && !array.raw_json().get(ignored) && AtEnd(doc);
}

// The reason for a document of type `type` that is not an object: an array or a scalar is not
// an event, but it must still be JSON at all.
std::string_view NonObjectReason(simdjson::ondemand::document& doc, json_type type) {
  const bool complete =
      type == json_type::array ? IsCompleteArray(doc) : IsCompleteScalar(doc, type);
  return complete ? kReasonNotAnObject : kReasonMalformedJson;
}

// What one message's contract fields were: seen, of the wrong type, null or repeated, plus the
// values Decide() needs. Filled by ObjectReader, read by Decide().
struct FieldsRead {
  std::bitset<kFieldCount> seen, wrong_type, null, duplicate;
  bool unknown_fields = false;
  int64_t quantity = 0;
  bool unit_price_positive = false;
};

// Reads the members of one JSON object: the raw token of every scalar contract field and of
// invalid_mode go to `result`, what they were to fields().
class ObjectReader {
 public:
  ObjectReader(ByteClasses bytes, Validation& result) : bytes_(bytes), result_(result) {}

  // False when the document turns out not to be well-formed JSON (then fields() is partial).
  bool ReadAll(simdjson::ondemand::document& doc);
  const FieldsRead& fields() const { return fields_; }

 private:
  // `expected` is the index the contract's order puts next, updated.
  bool ReadField(simdjson::ondemand::field& field, size_t& expected);
  // A field whose key is not a contract field's: only invalid_mode is kept.
  bool ReadOtherField(simdjson::ondemand::field& field, std::string_view key);
  // Contract field `index`: its raw token, whether it is repeated, null or of the wrong type.
  bool ReadContractField(simdjson::ondemand::field& field, int index);
  // True when the non-null `value` of contract field `index` has the field's type; notes what
  // Decide() and the caller need (quantity, unit_price's sign, event_time_ms).
  bool HasContractType(int index, simdjson::ondemand::value& value, json_type type);
  bool IsString(simdjson::ondemand::value& value, json_type type, std::string_view raw) const;
  bool ReadInt(int index, simdjson::ondemand::value& value, json_type type);
  bool ReadNumber(int index, simdjson::ondemand::value& value, json_type type);

  const ByteClasses bytes_;
  Validation& result_;
  FieldsRead fields_;
};

bool ObjectReader::ReadAll(simdjson::ondemand::document& doc) {
  simdjson::ondemand::object object;
  if (doc.get_object().get(object)) return false;
  size_t expected = 0;
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    if (std::move(field_result).get(field) || !ReadField(field, expected)) return false;
  }
  return AtEnd(doc);  // false: trailing content after the object
}

bool ObjectReader::ReadField(simdjson::ondemand::field& field, size_t& expected) {
  // Fast path: the producer writes the fields in table order, so the key is most often the
  // expected one, confirmed by a few word compares on the raw bytes. [[likely]] keeps this path
  // straight-line code (without it BM_Validate/0 ran 3-6 % slower on an AVX2 EPYC).
  const char* raw_key = field.key().raw();
  int index;
  if (expected < kFieldCount && KeyIs(raw_key, kFields[expected].name)) [[likely]] {
    index = static_cast<int>(expected);
  } else {
    // Keys are read in place; only a key with an escape sequence is unescaped (rare).
    std::string_view key = RawKey(raw_key);
    if (key.data() == nullptr && field.unescaped_key().get(key)) return false;
    index = FindField(key);
    if (index < 0) return ReadOtherField(field, key);
  }
  expected = static_cast<size_t>(index) + 1;
  return ReadContractField(field, index);
}

bool ObjectReader::ReadOtherField(simdjson::ondemand::field& field, std::string_view key) {
  simdjson::ondemand::value value = field.value();
  json_type type;
  if (value.type().get(type) || !WellFormed(value, type)) return false;
  if (key == "invalid_mode" && type == json_type::string) {
    result_.invalid_mode_raw = TrimRight(value.raw_json_token());
  }
  fields_.unknown_fields = true;
  return true;  // the iterator skips the unread value
}

bool ObjectReader::ReadContractField(simdjson::ondemand::field& field, int index) {
  simdjson::ondemand::value value = field.value();
  json_type type;
  if (value.type().get(type) || !WellFormed(value, type)) return false;
  if (fields_.seen[index]) {
    fields_.duplicate[index] = true;
    return true;  // the first one counts
  }
  fields_.seen[index] = true;
  if (IsScalar(type)) result_.raw[index] = TrimRight(value.raw_json_token());
  if (type == json_type::null) {
    fields_.null[index] = true;
    return true;
  }
  if (!HasContractType(index, value, type)) fields_.wrong_type[index] = true;
  return true;
}

bool ObjectReader::HasContractType(int index, simdjson::ondemand::value& value, json_type type) {
  switch (kFields[index].type) {
    case FieldType::kString:
      return IsString(value, type, result_.raw[index]);
    case FieldType::kInt:
      return ReadInt(index, value, type);
    case FieldType::kNumber:
      return ReadNumber(index, value, type);
    case FieldType::kBool: {
      bool v = false;
      return type == json_type::boolean && !value.get_bool().get(v);
    }
  }
  return false;
}

bool ObjectReader::IsString(simdjson::ondemand::value& value, json_type type,
                            std::string_view raw) const {
  // A string without backslashes needs no unescaping to be known good (stage 1 has checked its
  // UTF-8 and quotes); one with escapes is unescaped to validate them. Most messages have no
  // backslash at all, which the copy into the padded buffer noted.
  std::string_view s;
  return type == json_type::string &&
         (!bytes_.backslash || std::memchr(raw.data(), '\\', raw.size()) == nullptr ||
          !value.get_string().get(s));
}

bool ObjectReader::ReadInt(int index, simdjson::ondemand::value& value, json_type type) {
  // The producer's plain digits are read without simdjson's digit-by-digit loop.
  int64_t v = 0;
  const bool ok = type == json_type::number &&
                  (ReadPlainInt(result_.raw[index], v) || !value.get_int64().get(v));
  if (index == kQuantityField) fields_.quantity = v;
  if (index == kEventTimeField) result_.event_time_ms = v;
  return ok;
}

bool ObjectReader::ReadNumber(int index, simdjson::ondemand::value& value, json_type type) {
  // Only unit_price's sign is ever needed: a plain decimal gives it without a division.
  bool ok = false;
  bool positive = false;
  if (type == json_type::number && ReadPlainDecimal(result_.raw[index], positive)) {
    ok = true;
  } else {
    double v = 0;
    ok = type == json_type::number && !value.get_double().get(v);
    positive = v > 0;
  }
  if (index == kUnitPriceField) fields_.unit_price_positive = positive;
  return ok;
}

// Sets result.valid, or result.reason in the contract's order of precedence.
void Decide(const FieldsRead& f, Validation& result) {
  // Fast path: every field once, not null, with its type. Only the signs are left to check, in
  // the same order as below.
  if (f.seen.all() && (f.wrong_type | f.null | f.duplicate).none()) {
    if (f.quantity <= 0) {
      result.reason = kReasonNonPositiveQuantity;
    } else if (!f.unit_price_positive) {
      result.reason = kReasonNonPositiveUnitPrice;
    } else {
      result.valid = true;
    }
    return;
  }
  auto missing = [&](int i) { return !f.seen[i] || f.null[i]; };
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (f.duplicate[i]) {
      result.reason = kFields[i].duplicate_reason;
      return;
    }
  }
  // The original's precedence first: quantity, unit_price, then their signs.
  for (int i : {kQuantityField, kUnitPriceField}) {
    if (missing(i)) {
      result.reason = kFields[i].missing_reason;
      return;
    }
    if (f.wrong_type[i]) {
      result.reason = kFields[i].wrong_type_reason;
      return;
    }
  }
  if (f.quantity <= 0) {
    result.reason = kReasonNonPositiveQuantity;
    return;
  }
  if (!f.unit_price_positive) {
    result.reason = kReasonNonPositiveUnitPrice;
    return;
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (missing(static_cast<int>(i))) {
      result.reason = kFields[i].missing_reason;
      return;
    }
    if (f.wrong_type[i]) {
      result.reason = kFields[i].wrong_type_reason;
      return;
    }
  }
  result.valid = true;
}

// True when `message` has no line break. Line breaks are control bytes: without any, the
// message is one line.
bool IsOneLine(std::string_view message, ByteClasses bytes) {
  return !bytes.control || (std::memchr(message.data(), '\n', message.size()) == nullptr &&
                            std::memchr(message.data(), '\r', message.size()) == nullptr);
}

}  // namespace

EventValidator::EventValidator() = default;

const Validation& EventValidator::Validate(std::string_view message) {
  result_ = Validation{};
  if (ReadCanonicalEvent(message, result_)) return result_;
  return ValidateWithFullParse(message);  // declined: `result_` may be partly filled
}

const Validation& EventValidator::ValidateWithFullParse(std::string_view message) {
  result_ = Validation{};
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
  const auto error = parser_.iterate(padded_.data(), message.size(), padded_.capacity()).get(doc);
  if (error) {
    result_.reason = ParseErrorReason(error);
    return;
  }
  json_type type;
  if (doc.type().get(type)) {
    result_.reason = kReasonMalformedJson;
    return;
  }
  if (type != json_type::object) {
    result_.reason = NonObjectReason(doc, type);
    return;
  }
  ObjectReader reader(bytes, result_);
  if (!reader.ReadAll(doc)) {
    result_.reason = kReasonMalformedJson;
    return;
  }
  result_.parsed_object = true;
  Decide(reader.fields(), result_);
  if (result_.valid) {
    result_.pass_through = !reader.fields().unknown_fields && IsOneLine(message, bytes);
  }
}

}  // namespace orderflow::event

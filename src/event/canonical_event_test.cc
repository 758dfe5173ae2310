// The fast path against the full parse (FastPathChecker): on generated events of every kind
// and on hand-made edge cases, the fast path either declines or gives the same Validation, and
// it accepts every valid event the generator writes.
#include "event/canonical_event.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "event/event_encoder.h"
#include "event/fast_path_check.h"
#include "event/generator.h"

namespace orderflow::event {
namespace {

constexpr int64_t kNow = 1764000000000;

// `message` with its unprintable bytes as \xNN, for failure messages.
std::string Printable(std::string_view message) {
  std::string out;
  for (char c : message) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", b);
    }
  }
  return out;
}

// The first event of `seed`, as the producer writes it.
std::string Event(Profile profile, uint64_t seed = 1) {
  EventGenerator g(seed, profile, kNow, 3600);
  OrderEvent e;
  g.Next(kNow, e);
  std::string json;
  EncodeEvent(e, json);
  return json;
}

// A realistic event whose strings have non-ASCII letters (Polish names and cities).
std::string NonAsciiEvent() {
  for (uint64_t seed = 1;; ++seed) {
    std::string json = Event(Profile::kRealistic, seed);
    for (char c : json) {
      if (static_cast<unsigned char>(c) >= 0x80) return json;
    }
  }
}

// Where the value of `field` starts and how long it is (the event is canonical).
std::pair<size_t, size_t> ValueSpan(const std::string& json, int field) {
  const std::string key = fmt::format("\"{}\":", kFields[field].name);
  const size_t start = json.find(key) + key.size();
  size_t end = json.find_first_of(",}", start);
  if (json[start] == '"') end = json.find('"', start + 1) + 1;
  return {start, end - start};
}

std::string WithValue(std::string json, int field, std::string_view value) {
  const auto [start, size] = ValueSpan(json, field);
  return json.replace(start, size, value);
}

// The `"name":value` member of `field`, without its comma.
std::string Member(const std::string& json, int field) {
  const auto [start, size] = ValueSpan(json, field);
  const size_t key = json.rfind('"', json.rfind('"', start - 2) - 1);
  return json.substr(key, start + size - key);
}

class CanonicalEventTest : public ::testing::Test {
 protected:
  // Checks one message against the full parse; returns whether the fast path accepted it.
  bool Check(std::string_view message) {
    const std::string problem = checker_.Check(message);
    EXPECT_EQ(problem, "") << Printable(message);
    ++checked_;
    if (checker_.accepted()) ++accepted_;
    return checker_.accepted();
  }

  void Report(std::string_view what) {
    fmt::print("[canonical_event] {}: {} messages checked, {} accepted by the fast path\n", what,
               checked_, accepted_);
  }

  FastPathChecker checker_;
  EventValidator full_;
  size_t checked_ = 0;
  size_t accepted_ = 0;
};

TEST_F(CanonicalEventTest, AcceptsEveryValidGeneratedEventWithTheFullParsesResult) {
  // The generator's valid events are all canonical: the fast path must take every one (if it
  // silently stopped firing, this fails). Event times from 0 to 18 digits.
  for (Profile profile : {Profile::kUniform, Profile::kRealistic}) {
    for (uint64_t seed : {1, 2, 3, 42}) {
      EventGenerator g(seed, profile, kNow, 3600);
      Random r(seed);
      OrderEvent e;
      std::string json;
      for (int i = 0; i < 5000; ++i) {
        const int64_t now = i % 5 == 0 ? static_cast<int64_t>(r.Next() >> (8 + r.Below(56))) : kNow;
        g.Next(now, e);
        EncodeEvent(e, json);
        EXPECT_TRUE(Check(json)) << Printable(json);
      }
    }
  }
  EXPECT_EQ(accepted_, checked_);
  Report("valid generated events");
}

TEST_F(CanonicalEventTest, DeclinesEveryInvalidGeneratedEvent) {
  for (Profile profile : {Profile::kUniform, Profile::kRealistic}) {
    for (uint64_t seed : {1, 2, 3, 42}) {
      EventGenerator g(seed, profile, kNow, 3600);
      Random r(seed + 100);
      OrderEvent e;
      std::string json;
      for (int i = 0; i < 2000; ++i) {
        g.Next(kNow, e);
        for (InvalidMode mode : AllInvalidModes()) {
          EncodeEvent(e, json, mode, r.Next());
          Check(json);
        }
      }
    }
  }
  EXPECT_EQ(accepted_, 0u);
  Report("invalid generated events (all seven modes)");
}

TEST_F(CanonicalEventTest, ValuesAtTheirBoundaries) {
  const std::string event = Event(Profile::kUniform);
  // Accepted: the narrow forms at their edges.
  const std::vector<std::pair<int, std::string_view>> accepted = {
      {kQuantityField, "1"},
      {kQuantityField, "123456789012345678"},
      {FindField("discount_pct"), "0"},
      {kEventTimeField, "0"},
      {kEventTimeField, "999999999999999999"},
      {kUnitPriceField, "0.01"},
      {kUnitPriceField, "0.000000001"},
      {kUnitPriceField, "123456789.123456789"},
      {kUnitPriceField, "7.000"},
      {FindField("total_amount"), "0.0"},
      {1, "\"\""},
      {1, "\"\xC5\x81\xC3\xB3\x64\xC5\xBA\""},  // Łódź
      {1, "\"\xF0\x9F\x98\x80\""},              // U+1F600
      {1, "\"\x7F\""},
      {1, "\"/}{][,:\""},
      {FindField("is_weekend"), "true"},
      {FindField("is_weekend"), "false"},
  };
  for (const auto& [field, value] : accepted) {
    EXPECT_TRUE(Check(WithValue(event, field, value))) << kFields[field].name << " " << value;
  }
  // Declined though valid (the full parse decides): outside the narrow forms.
  const std::vector<std::pair<int, std::string_view>> declined_valid = {
      {kQuantityField, "1234567890123456789"},
      {kEventTimeField, "-1"},
      {kUnitPriceField, "1234567890.5"},
      {kUnitPriceField, "1.1234567890"},
      {kUnitPriceField, "1"},
      {kUnitPriceField, "1.5e3"},
      {kUnitPriceField, "1E2"},
      {1, "\"\\u0041\""},
      {1, "\"a\\/b\""},
  };
  for (const auto& [field, value] : declined_valid) {
    const std::string message = WithValue(event, field, value);
    EXPECT_FALSE(Check(message)) << kFields[field].name << " " << value;
    EXPECT_TRUE(full_.ValidateWithFullParse(message).valid) << kFields[field].name << " " << value;
  }
  // Every value below in every field: whatever the full parse says, the two agree.
  const std::vector<std::string_view> values = {
      // integers
      "0", "1", "9", "10", "20", "-0", "-1", "00", "01", "007", "5.0", "5.", "5e0", "5E1", "1e3",
      "+1", ".5", "0x10", "123456789012345678", "1234567890123456789", "9223372036854775807",
      "9223372036854775808", "-9223372036854775808", "99999999999999999999", "999999999999999999",
      // numbers
      "0.0", "0.00", "0.01", "0.1", "3.2", "16.0", "12.34", "123456789.123456789", "1234567890.5",
      "1.1234567890", "0.000000001", "0.0000000001", "-0.0", "-1.5", "01.5", "00.5", "1.", "1.e5",
      "1.5e3", "1.5E-3", "1e999", "1e-999", "0.5e1", "123.450", "9.99999999", "NaN", "Infinity",
      "-Infinity",
      // strings
      "\"\"", "\"a\"", "\"\xC5\x81\xC3\xB3\x64\xC5\xBA\"", "\"\\n\"", "\"\\u0041\"", "\"\\ud800\"",
      "\"a\\\"b\"", "\"\xFF\"", "\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"",
      "\"\xF0\x9F\x98\x80\"", "\"\xF4\x90\x80\x80\"", "\"\x7F\"", "\"\x01\"", "\"\t\"", "\"a\"b\"",
      "\"unclosed", "\"a\"\"b\"", "\"5\"", "\"true\"",
      // the rest
      "true", "false", "null", "tru", "fals", "nul", "True", "truex", "falsee", "[]", "[1]", "{}",
      "{\"a\":1}", "", " 1", "1 "};
  for (size_t field = 0; field < kFieldCount; ++field) {
    for (std::string_view value : values) Check(WithValue(event, static_cast<int>(field), value));
  }
  Report("field values at their boundaries");
}

TEST_F(CanonicalEventTest, TruncationsAtEveryByteAreDeclined) {
  for (const std::string& event : {Event(Profile::kUniform), NonAsciiEvent()}) {
    for (size_t n = 0; n < event.size(); ++n) Check(std::string_view(event).substr(0, n));
    for (size_t n = 1; n <= event.size(); ++n) Check(std::string_view(event).substr(n));
  }
  EXPECT_EQ(accepted_, 0u);
  Report("truncations");
}

TEST_F(CanonicalEventTest, WhitespaceTrailingAndLeadingContent) {
  const std::string event = NonAsciiEvent();
  for (size_t at = 0; at <= event.size(); ++at) {
    for (char space : {' ', '\t', '\n', '\r'}) {
      std::string message = event;
      message.insert(at, 1, space);
      Check(message);  // a space inside a string is still canonical
    }
  }
  using namespace std::string_view_literals;
  for (std::string_view tail :
       {" "sv, "\n"sv, "\r\n"sv, "x"sv, "}"sv, "{}"sv, ","sv, "\0"sv, "\xEF\xBB\xBF"sv}) {
    EXPECT_FALSE(Check(event + std::string(tail))) << Printable(tail);
    EXPECT_FALSE(Check(std::string(tail) + event)) << Printable(tail);
  }
  EXPECT_FALSE(Check(event + event));
  Report("whitespace, leading and trailing content");
}

TEST_F(CanonicalEventTest, EveryByteReplacedOrDeleted) {
  for (const std::string& event : {Event(Profile::kUniform), NonAsciiEvent()}) {
    for (size_t at = 0; at < event.size(); ++at) {
      for (char c : {'"', '\\', ',', ':', '{',  '}',    '[',    '0',    '1',    '-',
                     '.', 'e',  'a', ' ', '\0', '\x1F', '\x7F', '\x80', '\xC3', '\xFF'}) {
        std::string message = event;
        message[at] = c;
        Check(message);
      }
      Check(std::string(event).erase(at, 1));
    }
  }
  Report("every byte replaced or deleted");
}

TEST_F(CanonicalEventTest, RandomMutationsOfValidEvents) {
  // One to three random edits (replace, insert or delete a byte) of generated valid events:
  // many stay canonical (a digit for a digit, a letter in a string) and must then give the
  // same result; the others must be declined.
  constexpr std::string_view kBytes("0123456789\"\\,:{}[].-+eEaZ \t\n\x00\x1F\x7F\x80\xA9\xC3\xFF",
                                    35);
  EventGenerator g(7, Profile::kRealistic, kNow, 3600);
  Random r(7);
  OrderEvent e;
  std::string event;
  for (int i = 0; i < 100000; ++i) {
    g.Next(kNow, e);
    EncodeEvent(e, event);
    for (uint32_t edits = 1 + r.Below(3); edits > 0; --edits) {
      const size_t at = r.Below(static_cast<uint32_t>(event.size()));
      const char byte = kBytes[r.Below(static_cast<uint32_t>(kBytes.size()))];
      switch (r.Below(3)) {
        case 0:
          event[at] = byte;
          break;
        case 1:
          event.insert(at, 1, byte);
          break;
        default:
          event.erase(at, 1);
      }
    }
    Check(event);
  }
  EXPECT_GT(accepted_, 5000u);  // the comparison must have happened often
  Report("random mutations of valid events");
}

TEST_F(CanonicalEventTest, KeysOutOfOrderMissingRepeatedOrExtraAreDeclined) {
  const std::string event = Event(Profile::kUniform);
  std::vector<std::string> members;
  for (size_t i = 0; i < kFieldCount; ++i) members.push_back(Member(event, static_cast<int>(i)));
  auto join = [](const std::vector<std::string>& parts) {
    std::string json = "{";
    for (const std::string& part : parts) json.append(part).push_back(',');
    json.back() = '}';
    return json;
  };
  ASSERT_EQ(join(members), event);
  for (size_t i = 0; i < kFieldCount; ++i) {
    std::vector<std::string> m = members;
    if (i + 1 < kFieldCount) {
      std::swap(m[i], m[i + 1]);
      Check(join(m));  // out of order
      std::swap(m[i], m[i + 1]);
    }
    m.erase(m.begin() + static_cast<ptrdiff_t>(i));
    Check(join(m));  // missing
    m = members;
    m.insert(m.begin() + static_cast<ptrdiff_t>(i), members[i]);
    Check(join(m));  // repeated
    m = members;
    m.insert(m.begin() + static_cast<ptrdiff_t>(i), "\"extra\":1");
    Check(join(m));  // an unknown field
    m = members;
    m[i] = fmt::format("\"{}\":null", kFields[i].name);
    Check(join(m));  // null
    m = members;
    m[i].insert(2, "\\u0061");
    Check(join(m));  // an escape in the key
    m = members;
    m[i][1] ^= 0x20;
    Check(join(m));  // another key
  }
  std::vector<std::string> m = members;
  m.push_back("\"invalid_mode\":\"none\"");
  Check(join(m));
  EXPECT_EQ(accepted_, 0u);
  Report("keys out of order, missing, repeated, extra, null or escaped");
}

TEST_F(CanonicalEventTest, MessagesThatAreNoEventAtAll) {
  for (std::string_view message :
       {"", "{}", "[]", "null", "42", "\"text\"", "{\"order_id\":\"x\"}", "not json",
        "                                                                  "}) {
    EXPECT_FALSE(Check(message)) << message;
  }
}

}  // namespace
}  // namespace orderflow::event

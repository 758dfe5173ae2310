// libFuzzer target over what the processor does with every Kafka message: parse + validate +
// route (event::EventRouter::Route). Whatever the bytes, Route must append exactly one line,
// to exactly one output, and that line must be a JSON object: a valid one carries the
// contract's fields, an invalid one carries invalid_reason, the Kafka coordinates and the
// message itself (json_str, plus json_base64 when it is not UTF-8) from which the exact input
// bytes can be recovered. Any violation aborts (a crash for libFuzzer).
// Every input also goes through the validator's fast path (canonical_event.h) and its full
// simdjson parse (event::FastPathChecker): when the fast path accepts, its result must equal
// the full parse's field by field, and Validate's must always. At exit it prints how many
// inputs the fast path accepted.
// Run through scripts/fuzz.sh; built only with -DORDERFLOW_FUZZ=ON (clang).
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "event/event_fields.h"
#include "event/event_router.h"
#include "event/fast_path_check.h"

namespace {

using orderflow::event::kFieldCount;
using orderflow::event::kFields;

[[noreturn]] void Fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "event_router_fuzzer: %s: %.*s\n", what,
               static_cast<int>(std::min<size_t>(line.size(), 2000)), line.data());
  std::abort();
}

void Check(bool condition, const char* what, std::string_view line) {
  if (!condition) Fail(what, line);
}

std::string DecodeBase64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) continue;  // padding
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

// Counts the inputs the fast path accepted, printed at exit (a fast path that never fires
// proves nothing).
struct FastPathCount {
  size_t inputs = 0;
  size_t accepted = 0;
  ~FastPathCount() {
    std::fprintf(stderr, "event_router_fuzzer: the fast path accepted %zu of %zu inputs\n",
                 accepted, inputs);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static orderflow::event::EventRouter router;
  static orderflow::event::FastPathChecker fast_path;
  static FastPathCount count;
  static simdjson::dom::parser parser;
  static std::string valid, invalid;
  valid.clear();
  invalid.clear();
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  const std::string fast_path_problem = fast_path.Check(payload);
  if (!fast_path_problem.empty()) Fail(fast_path_problem.c_str(), payload);
  ++count.inputs;
  if (fast_path.accepted()) ++count.accepted;
  const auto routed = router.Route(payload, 3, 4242, valid, invalid);

  const std::string& out = routed.valid ? valid : invalid;
  Check((routed.valid ? invalid : valid).empty(), "a message reached both outputs", out);
  Check(!out.empty() && out.back() == '\n', "the line does not end in a newline", out);
  const std::string_view line(out.data(), out.size() - 1);
  Check(line.find('\n') == std::string_view::npos, "more than one line for one message", out);
  simdjson::dom::element doc;
  if (parser.parse(line).get(doc)) Fail("the output line is not JSON", line);
  simdjson::dom::object object;
  Check(!doc.get_object().get(object), "the output line is not a JSON object", line);

  if (routed.valid) {
    Check(routed.reason.empty(), "a valid message has a reason", line);
    for (size_t i = 0; i < kFieldCount; ++i) {
      simdjson::dom::element field;
      Check(!object[kFields[i].name].get(field), "a valid line misses a contract field", line);
    }
    int64_t quantity = 0;
    double unit_price = 0;
    Check(!object["quantity"].get(quantity) && quantity > 0, "valid with quantity <= 0", line);
    Check(!object["unit_price"].get(unit_price) && unit_price > 0, "valid with unit_price <= 0",
          line);
    std::string_view ignored;
    Check(object["invalid_reason"].get(ignored) != simdjson::SUCCESS,
          "a valid line has invalid_reason", line);
    return 0;
  }

  std::string_view reason, json_str, base64;
  int64_t partition = -1, offset = -1;
  Check(!object["invalid_reason"].get(reason) && !reason.empty(), "no invalid_reason", line);
  Check(reason == routed.reason, "invalid_reason differs from the routing result", line);
  Check(!object["kafka_partition"].get(partition) && partition == 3, "bad kafka_partition", line);
  Check(!object["kafka_offset"].get(offset) && offset == 4242, "bad kafka_offset", line);
  Check(!object["json_str"].get(json_str), "no json_str", line);
  if (!object["json_base64"].get(base64)) {
    Check(DecodeBase64(base64) == payload, "json_base64 is not the message", line);
  } else {
    Check(json_str == payload, "json_str is not the message", line);
  }
  return 0;
}

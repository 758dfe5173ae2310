// Decides whether one Kafka message is a valid order event (docs/event.md: every field present
// with its type, quantity > 0, unit_price > 0) or which single invalid reason applies, in the
// contract's order of precedence. A valid event written the way our producer writes it is
// recognized by reading its bytes directly (canonical_event.h); every other message is parsed
// with simdjson. A bad message is data, not an error: Validate never fails and never throws.
// One thread only. Allocates only when a message is larger than any seen before.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <string_view>

#include "event/event_fields.h"
#include "event/padded_buffer.h"

namespace orderflow::event {

struct Validation {
  bool valid = false;
  std::string_view reason;  // empty when valid; static storage
  // The message was a complete JSON object: `raw` holds the raw JSON token of every scalar
  // contract field present (empty when absent or not a scalar), in kFields order.
  bool parsed_object = false;
  std::array<std::string_view, kFieldCount> raw{};
  std::string_view invalid_mode_raw;  // raw token of "invalid_mode" when present
  // Valid and exactly the contract's fields on one line: the message can be written as it is.
  bool pass_through = false;
  int64_t event_time_ms = 0;  // when valid
  // No backslash and no byte below 0x20 anywhere in the message: then every string token of a
  // parsed object is plain UTF-8 text that strict JSON readers take as it is.
  bool plain_bytes = false;
};

class EventValidator {
 public:
  EventValidator();
  EventValidator(const EventValidator&) = delete;
  EventValidator& operator=(const EventValidator&) = delete;

  // Validates `message`. The views in the result stay valid until the next call and while
  // `message` is alive.
  const Validation& Validate(std::string_view message);

  // The same result as Validate, always from the simdjson parse (never the fast path): the
  // reference the fast path is tested against.
  const Validation& ValidateWithFullParse(std::string_view message);

 private:
  // Fills result_, freshly reset, for `message`.
  void Check(std::string_view message);

  simdjson::ondemand::parser parser_;
  PaddedBuffer padded_;
  Validation result_;
};

}  // namespace orderflow::event

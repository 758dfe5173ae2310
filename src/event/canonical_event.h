// The validator's fast path: recognizes a valid event written exactly the way our producer
// writes it (src/event/event_encoder.cc) by reading the bytes directly, without simdjson.
// It never decides anything else: whatever falls outside that narrow shape is declined and
// goes through the full parse, which alone names reasons.
// Stateless; safe for concurrent use.
#pragma once

#include <string_view>

#include "event/event_validator.h"

namespace orderflow::event {

// True when `message` is a valid event in the producer's canonical form:
//  - one compact JSON object, '{' first and '}' last, no whitespace anywhere;
//  - exactly the 19 contract fields, in kFields order, each key written plainly;
//  - strings without any backslash or byte below 0x20, and the whole message valid UTF-8;
//  - integers as 1 to 18 digits without a leading zero (or a single 0), no sign;
//  - numbers as <digits>.<digits> (at most 9 on each side, no leading zero), no sign or
//    exponent; booleans as true/false;
//  - quantity > 0 and unit_price > 0.
// Then `result` holds exactly what EventValidator's full parse gives for the message, with its
// views pointing into `message`. False for anything else; `result` may then be partly filled
// and must be reset before the full parse.
// REQUIRES: `result` is freshly reset (Validation{}).
bool ReadCanonicalEvent(std::string_view message, Validation& result);

}  // namespace orderflow::event

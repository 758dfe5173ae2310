// Exact fast reads of the numbers the producer writes (`1764000000000`, `3.2`), for tokens that
// lie in a simdjson-padded buffer. Each function accepts only a shape that simdjson On-Demand
// certainly accepts too, with the same meaning, and returns false for anything else: the caller
// then asks simdjson, which decides every other case (signs, exponents, long or odd tokens).
// Stateless; safe for concurrent use.
#pragma once

#include <cstdint>
#include <string_view>

namespace orderflow::event {

// True, with the value, when `token` is 1 to 16 digits without a leading zero and the byte after
// it is ',' or '}': then value::get_int64() succeeds with that value.
// REQUIRES: 16 bytes and the byte after `token` are readable from token.data().
bool ReadPlainInt(std::string_view token, int64_t& value);

// True when `token` is <digits>.<digits> (no leading zero before the point unless the integer
// part is a single 0, at most 7 digits before and 8 after it) and the byte after it is ',' or
// '}': then value::get_double() succeeds, and `positive` says whether it is > 0.
// REQUIRES: 16 bytes and the byte after `token` are readable from token.data().
bool ReadPlainDecimal(std::string_view token, bool& positive);

}  // namespace orderflow::event

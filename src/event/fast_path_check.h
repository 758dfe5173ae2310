// Checks the validator's fast path (canonical_event.h) against its full simdjson parse, one
// message at a time: the differential unit test and the fuzzer both use it.
// One thread only (per instance).
#pragma once

#include <string>
#include <string_view>

#include "event/event_validator.h"

namespace orderflow::event {

// The first field in which `a` and `b` differ ("valid", "raw[quantity]", ...; views compare by
// content), or an empty string when they are the same.
std::string FirstDifference(const Validation& a, const Validation& b);

class FastPathChecker {
 public:
  FastPathChecker() = default;
  FastPathChecker(const FastPathChecker&) = delete;
  FastPathChecker& operator=(const FastPathChecker&) = delete;

  // Runs `message` through ReadCanonicalEvent (reading an exactly sized copy),
  // EventValidator::Validate and EventValidator::ValidateWithFullParse. Returns what went wrong, or
  // an empty string: when the fast path accepts, its result must equal the full parse's field by
  // field, with its views inside `message`; Validate's result must always equal the full parse's.
  std::string Check(std::string_view message);

  // Whether the fast path accepted the last message checked.
  bool accepted() const { return accepted_; }

 private:
  EventValidator full_;
  EventValidator validator_;
  bool accepted_ = false;
};

}  // namespace orderflow::event

#include "event/fast_path_check.h"

#include <fmt/format.h>

#include <cstring>
#include <functional>
#include <memory>

#include "event/canonical_event.h"

namespace orderflow::event {
namespace {

// True when `view` lies inside `message` (an empty view anywhere counts).
bool Inside(std::string_view view, std::string_view message) {
  if (view.empty()) return true;
  const std::less_equal<const char*> le;
  return le(message.data(), view.data()) &&
         le(view.data() + view.size(), message.data() + message.size());
}

}  // namespace

std::string FirstDifference(const Validation& a, const Validation& b) {
  // A field added to Validation changes its size: then compare it below too.
  static_assert(sizeof(Validation) == 376, "Validation changed: compare its new fields here");
  if (a.valid != b.valid) return "valid";
  if (a.reason != b.reason) return "reason";
  if (a.parsed_object != b.parsed_object) return "parsed_object";
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (a.raw[i] != b.raw[i]) return fmt::format("raw[{}]", kFields[i].name);
  }
  if (a.invalid_mode_raw != b.invalid_mode_raw) return "invalid_mode_raw";
  if (a.pass_through != b.pass_through) return "pass_through";
  if (a.event_time_ms != b.event_time_ms) return "event_time_ms";
  if (a.plain_bytes != b.plain_bytes) return "plain_bytes";
  return {};
}

std::string FastPathChecker::Check(std::string_view message) {
  const Validation& full = full_.ValidateWithFullParse(message);
  // The fast path reads a copy of exactly the message's size, so that a sanitizer build catches
  // any read past its end (a std::string or a view into a longer one has bytes after it).
  const std::unique_ptr<char[]> copy(new char[message.size()]);
  if (!message.empty()) std::memcpy(copy.get(), message.data(), message.size());
  const std::string_view exact(copy.get(), message.size());
  Validation fast;
  accepted_ = ReadCanonicalEvent(exact, fast);
  if (accepted_) {
    const std::string difference = FirstDifference(fast, full);
    if (!difference.empty()) return "the fast path's result differs in " + difference;
    for (size_t i = 0; i < kFieldCount; ++i) {
      if (!Inside(fast.raw[i], exact)) return "a fast path view is outside the message";
    }
  }
  const std::string difference = FirstDifference(validator_.Validate(message), full);
  if (!difference.empty()) return "Validate's result differs in " + difference;
  return {};
}

}  // namespace orderflow::event

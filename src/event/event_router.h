// Turns one Kafka message into one output line: valid events go to the valid buffer as the
// contract's JSON object, everything else to the invalid buffer with the parsed fields that
// exist plus json_str, invalid_reason, kafka_partition and kafka_offset (docs/output_format.md).
// No message is ever dropped. One thread only; allocation-free once buffers have grown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "event/event_validator.h"

namespace orderflow::event {

struct RouteResult {
  bool valid = false;
  // Valid and already a one-line contract object: with `reference_valid` nothing was
  // appended, and the caller writes the payload itself followed by '\n'.
  bool referenced = false;
  std::string_view reason;  // invalid reason (static storage); empty when valid
  int64_t event_time_ms = 0;
};

class EventRouter {
 public:
  EventRouter() = default;
  EventRouter(const EventRouter&) = delete;
  EventRouter& operator=(const EventRouter&) = delete;

  // Appends the message's line (ending in '\n') to `valid_out` or `invalid_out`, except for a
  // valid event that can be written as it is when `reference_valid` is set (then
  // result.referenced is true and nothing is appended: the caller saves the copy).
  RouteResult Route(std::string_view payload, int32_t partition, int64_t offset,
                    std::string& valid_out, std::string& invalid_out, bool reference_valid = false);

 private:
  EventValidator validator_;
};

}  // namespace orderflow::event

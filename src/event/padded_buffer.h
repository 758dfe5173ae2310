// A reusable buffer holding one message followed by simdjson's zeroed padding, for parsers that
// read up to SIMDJSON_PADDING bytes past the end (Kafka payloads guarantee no such room). While
// copying it notes whether the message has a backslash or a control byte, so fast paths know
// when a string needs no unescaping and a line needs no closer look.
// One thread only. Allocates only when a message is larger than any seen before.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace orderflow::event {

struct ByteClasses {
  bool backslash = true;  // some byte is '\\'
  bool control = true;    // some byte is below 0x20 (tab, line breaks, ...)
};

class PaddedBuffer {
 public:
  PaddedBuffer() = default;
  PaddedBuffer(const PaddedBuffer&) = delete;
  PaddedBuffer& operator=(const PaddedBuffer&) = delete;

  // Copies `message` to data(), zeroes the padding after it and classifies its bytes.
  ByteClasses Assign(std::string_view message);

  const char* data() const { return data_.get(); }
  // Bytes usable from data(): at least the last message's size plus the padding.
  size_t capacity() const { return capacity_; }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
};

}  // namespace orderflow::event

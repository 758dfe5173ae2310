#include "event/padded_buffer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace orderflow::event {
namespace {

TEST(PaddedBufferTest, CopiesTheMessageAndZeroesThePaddingAfterIt) {
  PaddedBuffer buffer;
  buffer.Assign(std::string(5000, 'x'));
  EXPECT_FALSE(buffer.Assign("").control);
  buffer.Assign("{\"a\":1}");
  EXPECT_EQ(std::string_view(buffer.data(), 7), "{\"a\":1}");
  EXPECT_GE(buffer.capacity(), 7 + simdjson::SIMDJSON_PADDING);
  for (size_t i = 7; i < 7 + simdjson::SIMDJSON_PADDING; ++i) EXPECT_EQ(buffer.data()[i], 0);
}

TEST(PaddedBufferTest, FindsABackslashOrControlByteAtAnyPosition) {
  PaddedBuffer buffer;
  for (size_t size : {1, 31, 32, 33, 64, 100, 439}) {
    const std::string plain(size, 'a');
    const ByteClasses none = buffer.Assign(plain);
    EXPECT_FALSE(none.backslash) << size;
    EXPECT_FALSE(none.control) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string with = plain;
      with[at] = '\\';
      EXPECT_TRUE(buffer.Assign(with).backslash) << size << " " << at;
      EXPECT_FALSE(buffer.Assign(with).control) << size << " " << at;
      with[at] = '\n';
      EXPECT_FALSE(buffer.Assign(with).backslash) << size << " " << at;
      EXPECT_TRUE(buffer.Assign(with).control) << size << " " << at;
    }
  }
}

TEST(PaddedBufferTest, BytesAboveAsciiAreNotControlBytes) {
  PaddedBuffer buffer;
  const ByteClasses classes = buffer.Assign(std::string(40, '\xC5') + "\x7F\x20");
  EXPECT_FALSE(classes.control);
  EXPECT_FALSE(classes.backslash);
  EXPECT_TRUE(buffer.Assign(std::string(40, ' ') + '\x1F').control);
}

}  // namespace
}  // namespace orderflow::event

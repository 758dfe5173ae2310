// Appends JSON tokens to a caller-owned std::string without intermediate allocations: the
// building block of the event encoder and of the processor's output lines. One thread only
// (per instance); the target string is reused across events so its capacity is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace orderflow::event {

// Appends `text` as a JSON string literal (with quotes). Control characters, quotes and
// backslashes are escaped; bytes that are not valid UTF-8 become U+FFFD, so the result is
// always valid JSON. Returns false when such a replacement happened (the text was not UTF-8).
bool AppendJsonString(std::string& out, std::string_view text);

// Appends a decimal integer.
void AppendInt(std::string& out, int64_t value);
// Writes a decimal integer at `out` (room for kMaxIntChars) and returns the end.
inline constexpr size_t kMaxIntChars = 20;  // "-9223372036854775808"
char* WriteInt(char* out, int64_t value);

// Appends cents as a JSON number the way Python's json.dumps writes a 2-decimal float:
// 320 -> 3.2, 1600 -> 16.0, 1234 -> 12.34, -5 -> -0.05.
void AppendCents(std::string& out, int64_t cents);
// Writes cents as AppendCents does at `out` (room for kMaxCentsChars) and returns the end.
inline constexpr size_t kMaxCentsChars = 21;  // "-92233720368547758.08"
char* WriteCents(char* out, int64_t cents);

// Appends `bytes` as standard base64 (RFC 4648, with padding).
void AppendBase64(std::string& out, std::string_view bytes);

}  // namespace orderflow::event

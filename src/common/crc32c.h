// CRC-32C (Castagnoli), the checksum of data the processor must later recognise as its own (a
// batch's bytes in a part file, named by its commit record). Uses the CPU's crc32 instruction
// when the build targets SSE4.2 (x86-64-v2 and up), a table otherwise; same result either way.
// Pure functions: safe for concurrent use.
#pragma once

#include <cstdint>
#include <string_view>

namespace orderflow {

// The CRC-32C of `data` continued from `crc` (0 to start): Crc32c(b, Crc32c(a)) == Crc32c(a+b).
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

}  // namespace orderflow

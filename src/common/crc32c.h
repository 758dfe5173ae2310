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

// The CRC-32C of a+b from the CRC-32C of a, the CRC-32C of b and b's length, without b's bytes:
// Crc32cCombine(Crc32c(a), Crc32c(b), b.size()) == Crc32c(a+b). For a checksum taken where the
// bytes were at hand (in cache) and a file's running checksum kept elsewhere.
uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);

}  // namespace orderflow

// The compressions of the processor's output files (`process --compression`). Each output file
// is a sequence of self-contained units, one per batch appended to it: a gzip member (RFC 1952)
// or a zstd frame (RFC 8878), or the plain bytes. Readers take the concatenation as one stream,
// as zcat, zstdcat, Python and Hadoop do. The file-name suffixes are in data_layout.h.
// Pure functions: safe for concurrent use.
#pragma once

#include <optional>
#include <string_view>

namespace orderflow {

enum class Compression { kNone, kGzip, kZstd };

// "none", "gzip", "zstd": the values of --compression.
std::string_view CompressionName(Compression compression);
// The compression a --compression value names; nullopt for any other text.
std::optional<Compression> ParseCompression(std::string_view name);

}  // namespace orderflow

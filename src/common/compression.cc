#include "common/compression.h"

namespace orderflow {

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "none";
}

std::optional<Compression> ParseCompression(std::string_view name) {
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    if (name == CompressionName(c)) return c;
  }
  return std::nullopt;
}

}  // namespace orderflow

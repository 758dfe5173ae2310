// Reads an output file's lines back, whatever its compression: the plain bytes of a ".json"
// file, the decoded members of a ".json.gz" file or frames of a ".json.zst" file, one after
// another (data_layout::CompressionOfFileName tells which from the name). Used by every reader
// of the processor's output (the report's scan, its rejected sample, tests).
// One thread only; move-only (owns a file descriptor and the decoder's state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/compression.h"
#include "common/status.h"

namespace orderflow {

class OutputFileReader {
 public:
  // Opens `path`, decoding it as its name says (a name without a known suffix is plain).
  // NotFound when it does not exist, IoError when it cannot be opened.
  static Result<OutputFileReader> Open(const std::string& path);
  static Result<OutputFileReader> Open(const std::string& path, Compression compression);

  ~OutputFileReader();
  OutputFileReader(OutputFileReader&&) noexcept;
  OutputFileReader& operator=(OutputFileReader&&) noexcept;
  OutputFileReader(const OutputFileReader&) = delete;
  OutputFileReader& operator=(const OutputFileReader&) = delete;

  // Reads up to `capacity` (> 0) decoded bytes into `out` and returns how many; 0 only at the
  // end of the file. Corruption when the file is damaged (not gzip or zstd data where a member
  // or frame should start, a checksum that fails) or ends inside a member or frame (cut short:
  // a file cut between two of them is whole). Every byte decoded before the damage is returned
  // first, by this call or earlier ones; the error comes with the next call. IoError when the
  // file cannot be read.
  Result<size_t> Read(char* out, size_t capacity);

  // Bytes read from the file so far (compressed bytes for a compressed file).
  uint64_t file_bytes_read() const;

 private:
  struct State;
  explicit OutputFileReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The whole decoded content of `path` (tests, small files). The failures of Open and Read; on
// Corruption nothing is returned.
Result<std::string> ReadOutputFile(const std::string& path);

}  // namespace orderflow

// The text of the processor's checkpoints (docs/checkpoint_format.md): the snapshot file of a
// partition (`partition-<N>`: version 2, and version 1 as earlier versions wrote it) and the
// records of a processor's commit log (`log-<member>`). Every line carries a CRC-32 of its text,
// so a damaged or cut line is told apart from a good one. Pure functions: safe for concurrent
// use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/compression.h"
#include "common/status.h"

namespace orderflow::stream {

// What is committed of one partition's output.
struct PartitionCheckpoint {
  enum class File : uint8_t {
    kNone,    // every file of the partition is published (and its rename durable)
    kOpen,    // a set of files covering file_first..next_offset-1 is being written under their
              // temporary names (data_layout::OpenPartFileName); their committed lengths below
    kClosed,  // that set is published: each file renamed to PartFileName(file_first,
              // next_offset - 1, compression) in its folder, or to be by whoever recovers it
  };
  enum Output : uint8_t { kValid = 0, kInvalid = 1 };
  // One file of the set: in an output directory, at its top or in a partition folder
  // (--partition-by), with its committed length.
  struct FileLength {
    Output output = kValid;
    std::string folder = {};  // "" (the output directory itself) or a partition folder's name
    uint64_t bytes = 0;
    // Log records only: the bytes this commit appended, [batch_from, bytes), and their CRC-32C.
    // A record is synced together with its batch's lines, not after them: a recovery that
    // finds the newest record of a partition without those bytes knows the batch never reached
    // the disk, and takes the commit before it.
    uint64_t batch_from = 0;
    uint32_t batch_crc = 0;

    bool operator==(const FileLength&) const = default;
  };

  int32_t partition = 0;  // a snapshot's text leaves it out: its file name says it
  // One more with every commit of the partition, whichever processor makes it: when several
  // files speak of a partition, the highest wins. 0: written by version 1, which had none.
  uint64_t seq = 0;
  int64_t next_offset = 0;  // every offset below this is in the output exactly once
  File file = File::kNone;
  int64_t file_first = 0;
  Compression compression = Compression::kNone;  // of every file of the set
  std::vector<FileLength> files = {};            // by output, then folder; files with bytes only
  // Version 1 only: a batch over pending_first..pending_last (pending_first == next_offset) may
  // be partly written; it is replayed over exactly this range, to the same file names.
  bool has_pending = false;
  int64_t pending_first = 0, pending_last = 0;

  // True when a file says what this commit appended (log records only).
  bool HasBatch() const;
  // Forgets what this commit appended (a snapshot never says it).
  void ClearBatch();
  // The committed length of one file (0 when the set has none there).
  uint64_t Bytes(Output output, std::string_view folder = {}) const;

  bool operator==(const PartitionCheckpoint&) const = default;
};

// The content of a snapshot file (version 2, one line; what a commit appended is left out). The
// text is padded with spaces to 160 characters, or to a multiple of 128 when longer (many
// partition folders), so that a snapshot keeps its size from commit to commit and can be
// rewritten in place.
std::string EncodeCheckpoint(const PartitionCheckpoint& checkpoint);
// A snapshot file of version 1 or 2 (`partition` is left 0). Corruption when the text is
// damaged (bad CRC, bad fields, cut short) or of an unknown version.
Result<PartitionCheckpoint> DecodeCheckpoint(std::string_view text);

// One record of a commit log: a line.
std::string EncodeLogRecord(const PartitionCheckpoint& checkpoint);
// The records of a commit log's content, in order. A last line that is cut short or fails its
// CRC is an append that never finished: it is left out, and `*good_size` (when given) is the
// length of the content before it. Corruption when an earlier line is damaged.
Result<std::vector<PartitionCheckpoint>> DecodeLog(std::string_view content,
                                                   size_t* good_size = nullptr);

// "<body> crc=<CRC-32 of body, 8 hex digits>\n": how every line above ends.
std::string LineWithCrc(std::string_view body);
// The body of such a line; false when the line is cut short or fails its CRC.
bool BodyOfLineWithCrc(std::string_view line, std::string_view& body);

}  // namespace orderflow::stream

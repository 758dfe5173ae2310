// The processor's durable progress, one small file per partition (docs/checkpoint_format.md):
// the next offset to process and, while a batch is in flight, the exact offset range of that
// batch (its write-ahead intent). Per-partition files let several processors in one consumer
// group hand partitions over: whoever owns a partition next reads its file and replays an
// unfinished batch over the same range, to the same file names.
// Not thread-safe: one thread at a time (the processor hands it to its batch writer and waits
// for the writer before using it again).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/file_system.h"
#include "common/status.h"

namespace orderflow::stream {

struct PartitionCheckpoint {
  int64_t next_offset = 0;   // every offset below this is in the output exactly once
  bool has_pending = false;  // a batch over [pending_first, pending_last] may be partly written
  int64_t pending_first = 0;
  int64_t pending_last = 0;

  bool operator==(const PartitionCheckpoint&) const = default;
};

// Encodes/decodes one checkpoint file (a line of text with a CRC-32 of its content).
std::string EncodeCheckpoint(const PartitionCheckpoint& checkpoint);
// Corruption when the text is damaged (bad CRC, bad fields, truncated).
Result<PartitionCheckpoint> DecodeCheckpoint(std::string_view text);

class CheckpointStore {
 public:
  // `dir` is created on Open.
  CheckpointStore(FileSystem& fs, std::string dir);
  CheckpointStore(const CheckpointStore&) = delete;
  CheckpointStore& operator=(const CheckpointStore&) = delete;

  // Creates the directory. IoError when it cannot be created or written.
  Status Open();
  // The checkpoint of `partition`: NotFound on a first start, Corruption when damaged.
  Result<PartitionCheckpoint> Load(int32_t partition);
  // Durably replaces the checkpoints of all the given partitions (one directory sync).
  Status Save(const std::map<int32_t, PartitionCheckpoint>& checkpoints);

  const std::string& dir() const { return dir_; }

 private:
  FileSystem& fs_;
  std::string dir_;
};

}  // namespace orderflow::stream

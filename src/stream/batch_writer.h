// The durable half of a micro-batch, on a thread of its own: while one batch is written (intent,
// files, checkpoint commit, each fsynced: mostly waiting for the disk), the processor goes on
// consuming and routing the next one. One batch at a time and in order, so batch k+1's intent is
// written only after batch k's checkpoint commit: a crash still leaves at most one unfinished
// range per partition (docs/checkpoint_format.md).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"
#include "kafka/consumer.h"
#include "stream/checkpoint_store.h"
#include "stream/output_files.h"

namespace orderflow::stream {

// What one partition contributes to a micro-batch.
struct PartitionBatch {
  uint64_t events = 0;
  std::vector<int64_t> event_times_ms;  // of the valid events, for the end-to-end latency
  // The valid file is written from pieces: most valid events straight from the consumed message
  // (held until the batch is durable, no copy); lines the router built live in `valid` and are
  // referenced by offset.
  struct Piece {
    const char* external = nullptr;  // a held message's payload, or null for valid[offset..]
    size_t offset = 0;
    size_t size = 0;
  };
  std::string valid, invalid;
  std::vector<Piece> valid_pieces;
  std::vector<kafka::MessagePtr> held;

  void Clear();
  // The valid file's content as views (valid until the next change to this batch).
  void ValidViews(std::vector<std::string_view>& out) const;
};

// A partition's part of a closed batch: the offset range its files and checkpoint cover.
struct ClosedPartition {
  int32_t partition = 0;
  int64_t first = 0, last = 0;
  PartitionBatch content;
};

struct ClosedBatch {
  std::vector<ClosedPartition> partitions;
  // Filled in by the writer.
  double write_seconds = 0;
  int64_t durable_at_ms = 0;  // wall clock when the checkpoint commit was durable
};

class BatchWriter {
 public:
  BatchWriter(FileSystem& fs, CheckpointStore& store, std::string valid_dir,
              std::string invalid_dir, OutputLayout layout = {});
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Starts writing `batch`. Only when !Busy().
  void Submit(ClosedBatch batch);
  // A batch was submitted and not yet collected with Wait.
  bool Busy() const { return busy_; }
  // The submitted batch is durable or failed: Wait will not block.
  bool Finished();
  // Waits for the submitted batch and hands it back (held messages released, the rest kept for
  // the caller's bookkeeping and buffer reuse) with the write's status.
  Status Wait(ClosedBatch& done);

 private:
  void Loop();
  Status Write(ClosedBatch& batch);

  FileSystem& fs_;
  CheckpointStore& store_;
  const std::string valid_dir_, invalid_dir_;
  OutputFiles valid_files_, invalid_files_;  // the writer thread's
  bool busy_ = false;                        // the submitting thread's view

  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<ClosedBatch> todo_, done_;
  Status done_status_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace orderflow::stream

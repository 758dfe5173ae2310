// The durable half of a micro-batch, on threads of its own, while the processor goes on
// consuming and routing the next one. A batch goes through two stages: its lines are appended to
// the partitions' files (copying and checksumming: CPU), then its commit point syncs those files
// with one commit record per partition appended to the commit log, and renames the files due
// into place (mostly waiting for the disk). The next batch may be appended while one syncs: in a
// catch-up the disk then never waits for the copying. Batches commit one at a time and in order
// (docs/checkpoint_format.md, "One micro-batch"); a batch that publishes files is not overlapped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/task_pool.h"
#include "kafka/consumer.h"
#include "stream/checkpoint_format.h"
#include "stream/checkpoint_log.h"
#include "stream/output_files.h"
#include "stream/part_files.h"

namespace orderflow::stream {

// What one partition contributes to a micro-batch.
struct PartitionBatch {
  uint64_t events = 0;
  std::vector<int64_t> event_times_ms;  // of the valid events, for the end-to-end latency
  // The valid file is written from pieces: most valid events straight from the consumed message
  // (held until the batch is appended, no copy); lines the router built live in `valid` and are
  // referenced by offset.
  struct Piece {
    const char* external = nullptr;  // a held message's payload, or null for valid[offset..]
    size_t offset = 0;
    size_t size = 0;
  };
  std::string valid, invalid;
  std::vector<Piece> valid_pieces;
  std::vector<kafka::MessagePtr> held;
  // The CRC-32C of the valid file's bytes (ValidViews, in order), when the consuming thread took
  // it on the way, with the bytes in its cache (only for output written as it is: no
  // --compression, no --partition-by). The writer then does not read them again for it.
  std::optional<uint32_t> valid_crc;

  void Clear();
  // The valid file's content as views (valid until the next change to this batch).
  void ValidViews(std::vector<std::string_view>& out) const;
};

// A partition's part of a closed batch: the offset range its lines cover.
struct ClosedPartition {
  int32_t partition = 0;
  int64_t first = 0, last = 0;
  // Publish the partition's file with this batch, whatever the roll policy says (the replay of
  // a batch an earlier version left unfinished, which must keep its file names).
  bool publish = false;
  PartitionBatch content;
};

struct ClosedBatch {
  std::vector<ClosedPartition> partitions;
  // Also publish every open file (a clean stop, a rebalance), with or without new lines.
  bool publish_all = false;
  // Filled in by the writer.
  Clock::time_point started_at;    // when the writer began appending it (steady clock)
  double write_seconds = 0;        // from then to durable (overlaps the previous batch's sync)
  double sync_seconds = 0;         // of write_seconds, waiting for the commit point's syncs
  int64_t durable_at_ms = 0;       // wall clock when the checkpoint commit was durable
  Clock::time_point durable_at;    // the same moment on the steady clock
  std::vector<int32_t> published;  // partitions whose file this batch published
  int64_t published_at_ms = 0;     // wall clock when it was renamed into place
};

// When a partition's open file is published (docs/output_format.md).
struct RollPolicy {
  std::chrono::milliseconds interval{0};  // 0: with every batch (a file per batch)
  uint64_t bytes = uint64_t{128} << 20;   // either output's file reaching this size
};

class BatchWriter {
 public:
  // Threads of each of the writer's pools (appends; commit syncs) on a file system that takes
  // concurrent writes: a micro-batch syncs one file per partition and output at once, and a few
  // threads suffice (bench/durable_write_floor syncs with as many).
  static constexpr size_t kPoolThreads = 7;

  BatchWriter(FileSystem& fs, CheckpointLog& log, std::string valid_dir, std::string invalid_dir,
              RollPolicy roll = {}, OutputLayout layout = {});
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Starts writing `batch`. Only when Accepting().
  void Submit(ClosedBatch batch);
  // The writer can take a batch now: nothing is being appended (a batch may still be syncing).
  bool Accepting();
  // Waits until Accepting().
  void WaitAccepting();
  // Nothing submitted waits for a commit, and none is under way: a batch submitted now is
  // committed as soon as it is appended.
  bool Idle();
  // A batch was submitted and not yet collected with Wait.
  bool Busy() const { return in_flight_ > 0; }
  // The oldest batch on its way is durable or failed: Wait will not block.
  bool Finished();
  // Waits for the oldest batch on its way and hands it back (its held messages released once
  // appended, so its valid_pieces are not to be read; the rest kept for the caller's bookkeeping
  // and buffer reuse) with the write's status. Once a batch failed, every later one fails with
  // it, unwritten.
  Status Wait(ClosedBatch& done);

  // While no batch is on its way (REQUIRES: !Busy()):
  // Takes over partitions in their committed state: recovers their files (PartFiles::Recover),
  // publishes a set opened under another layout (committing that), and makes the renames
  // durable. For an earlier version's unfinished batch, first removes what it may have written
  // under another layout (RemovePartFiles).
  Status Recover(const std::vector<PartitionCheckpoint>& committed);
  // Replaces the partition's last commit (the processor saved a new starting point).
  void SetCommitted(const PartitionCheckpoint& checkpoint) {
    committed_[checkpoint.partition] = checkpoint;
  }
  // Whether the lines a commit record says its batch appended are on disk (PartFiles::Holds),
  // for CheckpointLog::Acquire.
  Result<bool> Holds(const PartitionCheckpoint& committed) { return files_.Holds(committed); }
  // The partition's last commit as the writer knows it (after Recover); nullptr when not ours.
  const PartitionCheckpoint* Committed(int32_t partition) const;
  // Forgets partitions that are no longer ours (their open files stay for their next owner).
  void Forget(const std::vector<int32_t>& partitions);
  // True when an open file is due to be published by the roll interval. Also while a batch is on
  // its way, when Accepting(): a commit under way then renames nothing (a batch that publishes
  // is committed before the writer accepts another).
  bool RollDue() const;

 private:
  // Batches appended since the last commit point, committed together: one round of syncs and
  // one record per partition for all of them.
  struct Group {
    std::vector<ClosedBatch> batches;
    Status status;
    std::vector<PartitionCheckpoint> commits;            // one per partition, the newest
    std::vector<std::pair<int32_t, int64_t>> published;  // partition, last offset of its files
    bool publish_all = false;
    PartFiles::Sealed sealed;
    bool hold_appending = false;  // the appending thread waits for this commit
  };
  void AppendLoop();
  void CommitLoop();
  // A batch's append stage (on the appending thread): its lines appended, its commit records
  // merged into `group`. Updates committed_ to what the batch commits.
  Status Append(ClosedBatch& batch, Group& group);
  // A group's commit point and what follows it (on the committing thread).
  Status Commit(Group& group);
  bool ShouldPublish(const PartFiles::OpenSet& set, Clock::time_point now) const;

  FileSystem& fs_;
  CheckpointLog& log_;
  const RollPolicy roll_;
  const OutputLayout layout_;
  const std::string valid_dir_, invalid_dir_;
  TaskPool pool_;       // the appending thread's (and the caller's while nothing is on its way)
  TaskPool sync_pool_;  // the committing thread's
  PartFiles files_;
  // A batch's lines per partition (in batch order) and output, split by folder and encoded; all
  // kept until the batch's files are appended at once. Grows to the largest batch.
  std::vector<std::unique_ptr<OutputFiles>> encoded_;
  std::vector<std::vector<std::string_view>> valid_views_;  // per partition of the batch
  // The checkpoint of every partition we own, as the last appended batch commits it (committed
  // once that batch is durable; a failure stops all writing).
  std::map<int32_t, PartitionCheckpoint> committed_;
  size_t in_flight_ = 0;  // the submitting thread's view: submitted, not yet collected

  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<ClosedBatch> todo_;  // submitted, not yet taken by the appending thread
  bool appending_ = false;           // the appending thread has a batch
  Group group_;                      // the appending thread's: appended, not yet handed over
  bool grouped_ = false;             // group_ has a batch
  std::optional<Group> to_commit_;   // handed over, not yet taken by the committing thread
  bool committing_ = false;          // the committing thread has a group
  std::deque<std::pair<ClosedBatch, Status>> done_;  // in order
  Status failed_;  // the first failure: later batches are not written
  bool stop_appending_ = false, stop_committing_ = false;
  std::thread append_thread_, commit_thread_;
};

}  // namespace orderflow::stream

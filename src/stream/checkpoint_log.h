// The processor's durable progress for one topic (docs/checkpoint_format.md). Its directory
// holds, per partition, a snapshot (`partition-<N>`) and a lock file (`partition-<N>.lock`),
// and, per processor instance, a commit log (`log-<member>`):
//   - Commit appends one record per partition of a micro-batch to this instance's log and syncs
//     it: one sync per batch whatever the number of partitions. That sync is the commit point.
//     It then rewrites the partitions' snapshots in place without syncing them (a current view
//     for readers and tools; no directory change, so no wait for the file system's journal).
//   - Compact makes the snapshots of everything committed durable and empties the log, so that
//     it never grows beyond about kCompactBytes; it runs when the log is that long, and before
//     partitions are released (rebalance, stop), so that their next owner finds their state in
//     their snapshots.
//   - Acquire takes the partitions' locks and reads their state: the record with the highest seq
//     among the partition's snapshot and every log, including the logs of instances that died.
//     Save writes snapshots durably (first starts, what Acquire found in logs), after which the
//     logs of dead instances can go: Compact removes them (RemoveSupersededLogs).
// One thread at a time (the processor hands it to its batch writer and waits for the writer
// before using it again).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/file_lock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "stream/checkpoint_format.h"

namespace orderflow::stream {

class CheckpointLog {
 public:
  // A log longer than this is compacted after the batch that made it so.
  static constexpr uint64_t kCompactBytes = 1 << 20;

  // `dir`: the topic's checkpoint directory. `holder`: how this process describes itself in the
  // lock files (group, pid, host), for the message another process shows. `compact_bytes`:
  // kCompactBytes but in tests, which reach a compaction in a few commits.
  CheckpointLog(FileSystem& fs, std::string dir, std::string holder,
                uint64_t compact_bytes = kCompactBytes);
  CheckpointLog(const CheckpointLog&) = delete;
  CheckpointLog& operator=(const CheckpointLog&) = delete;

  // Creates the directory (nothing in it yet). IoError when it cannot be created or written.
  Status Open();

  // Takes the locks of `partitions` and reads their committed state, nullopt for a partition
  // that has none (a first start). AlreadyExists naming the holder when another process holds
  // one of the locks (this call then holds none of them); Corruption when a snapshot is damaged
  // and no log speaks of the partition, or a log is damaged before its last line. On the first
  // call, also creates this instance's log. `behind` (when given) receives the partitions whose
  // snapshot is older than their state (found in a log): Save makes them current.
  // `holds` tells whether the lines a log record says its batch appended reached the disk (a
  // record is synced together with them): a newest record whose lines are missing never
  // committed, and the state is the one before it, with a seq above the record's so that it
  // never counts again (listed in `behind`). Without `holds` every record counts.
  using Holds = std::function<Result<bool>(const PartitionCheckpoint&)>;
  Result<std::map<int32_t, std::optional<PartitionCheckpoint>>> Acquire(
      const std::vector<int32_t>& partitions, std::vector<int32_t>* behind = nullptr,
      const Holds& holds = {});
  // Durably writes the snapshots of `checkpoints` (one directory sync for all). REQUIRES: their
  // partitions are acquired.
  Status Save(const std::vector<PartitionCheckpoint>& checkpoints);
  // The commit point of a micro-batch: one record per partition appended to this instance's
  // log, which is then synced (AppendRecords); then the snapshots are rewritten in place without
  // a sync (Refresh). REQUIRES: the partitions are acquired, each checkpoint's seq is one more
  // than its last; Refresh only once the batch's lines are durable too.
  Status Commit(const std::vector<PartitionCheckpoint>& checkpoints);
  Status AppendRecords(const std::vector<PartitionCheckpoint>& checkpoints);
  Status Refresh(const std::vector<PartitionCheckpoint>& checkpoints);
  bool CompactionDue() const { return log_ && log_->size() >= compact_bytes_; }
  // Makes the snapshots of what this instance committed durable and empties its log; then
  // removes the logs of instances that are gone and that the snapshots supersede.
  Status Compact();
  // Compacts, then releases the locks of `partitions` (still released when compaction fails:
  // the log then keeps what the snapshots lack, and the next owner reads it there).
  Status Release(const std::vector<int32_t>& partitions);
  // A clean stop: compacts, removes this instance's log (empty now) and releases every lock.
  Status Close();
  // Releases the locks of `partitions` without compacting (after a failure: nothing more is
  // written; what the snapshots lack stays in the log for the next owner).
  void Drop(const std::vector<int32_t>& partitions);
  // Removes the logs of instances that are gone (their lock is free) once every record in them
  // is superseded by a snapshot (as Save makes them).
  Status RemoveSupersededLogs();

  const std::string& dir() const { return dir_; }

 private:
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  Status CreateLog();

  FileSystem& fs_;
  const std::string dir_;
  const std::string holder_;
  const uint64_t compact_bytes_;
  uint64_t member_ = 0;
  FileLock log_lock_;
  std::unique_ptr<WritableFile> log_;
  std::map<int32_t, FileLock> locks_;
  // The last checkpoint committed per partition since the last compaction.
  std::map<int32_t, PartitionCheckpoint> committed_;
  // The size of each partition's snapshot as last read or written: a new one of that size is
  // rewritten in place.
  std::map<int32_t, size_t> snapshot_size_;
};

}  // namespace orderflow::stream

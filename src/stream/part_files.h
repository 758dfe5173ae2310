// The processor's output files while they are being written (docs/output_format.md): for each
// partition it owns, at most one file in each output directory, under its temporary name
// (data_layout::OpenPartFileName: the partition and the file's first offset) until it is
// published, i.e. renamed to its final name (data_layout::PartFileName: the partition and the
// offset range the file covers). What is appended becomes durable with Sync; what a crash leaves
// beyond the committed length is cut off by Recover. Batches are appended whole, so a file cut at
// a committed length ends at a batch boundary. Append is the one place where a batch's bytes are
// made: an encoder that frames each call's output on its own (a gzip member, a zstd frame) slots
// in there, and a file cut at a committed length stays valid.
// One thread at a time (the batch writer's, or the processor's while the writer is idle).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/task_pool.h"
#include "stream/checkpoint_format.h"

namespace orderflow::stream {

class PartFiles {
 public:
  enum Output { kValid = 0, kInvalid = 1 };

  // `pool` runs the syncs at once when `fs` supports concurrent writes. Both must outlive this.
  PartFiles(FileSystem& fs, TaskPool& pool, std::string valid_dir, std::string invalid_dir);
  PartFiles(const PartFiles&) = delete;
  PartFiles& operator=(const PartFiles&) = delete;

  // The names in both output directories, listed once for the Recover calls of an assignment.
  struct Listing {
    std::set<std::string> names[2];
  };
  Result<Listing> List();

  // Takes over a partition in its committed state: renames the temporaries of a closed file
  // that are still there (cut to their committed lengths), cuts an open file's temporaries to
  // their committed lengths and keeps them open for appending, and removes every other
  // temporary of the partition (what uncommitted batches and earlier versions left). The
  // renames are durable after the next Sync. Corruption when an open file's committed bytes are
  // missing.
  Status Recover(const PartitionCheckpoint& committed, const Listing& listing);

  // Appends a batch's lines of `partition` to its files, opening them first at `first` (the
  // batch's first offset) when none is open. Not durable until Sync.
  Status Append(int32_t partition, int64_t first, std::span<const std::string_view> valid,
                std::string_view invalid);
  // True when files were renamed since the last sync of their directory: those renames must be
  // durable (SyncRenames) before a commit that no longer names the files.
  bool RenamesPending() const { return renamed_[kValid] || renamed_[kInvalid]; }
  // Syncs the directories with renames (or new files) since their last sync, at once.
  Status SyncRenames();
  // Makes everything appended durable, in one round of syncs issued at once: the files appended
  // to, the directories of new files, and `with` (the commit record's append and sync, which a
  // recovery checks against the files: see PartitionCheckpoint::has_batch). Without concurrent
  // writes (the fault-injecting layer) `with` runs first: the order a crash hurts most.
  Status Sync(const std::function<Status()>& with = {});
  // Whether the bytes a commit says it appended are in the partition's file (the temporary, or
  // for a closed file its final name): true when the checkpoint has no batch, false when the
  // file or the bytes are missing or differ. IoError when a file cannot be read.
  Result<bool> Holds(const PartitionCheckpoint& committed);

  struct OpenFile {
    int64_t first = 0;  // the first offset the file covers
    uint64_t bytes[2] = {0, 0};
    uint64_t synced[2] = {0, 0};  // the length at the last Sync
    uint32_t crc[2] = {0, 0};     // CRC-32C of what was appended since
    Clock::time_point opened;
  };
  // The partition's open file; nullptr when it has none.
  const OpenFile* Find(int32_t partition) const;

  // Renames the partition's file in `output` (when it has one) to its final name, covering
  // first..last. The rename is durable after the next Sync. The partition's open file is
  // forgotten once both outputs are published.
  Status Publish(int32_t partition, int64_t last, Output output);
  // Forgets the partition's open file without publishing it (revoked: its next owner recovers
  // it from the checkpoint).
  void Drop(int32_t partition);

 private:
  struct Entry {
    OpenFile info;
    std::unique_ptr<WritableFile> files[2];
    bool published[2] = {false, false};
  };
  std::string TempPath(int32_t partition, int64_t first, Output output) const;

  FileSystem& fs_;
  TaskPool& pool_;
  const std::string dirs_[2];
  std::map<int32_t, Entry> open_;
  std::vector<std::pair<WritableFile*, OpenFile*>> unsynced_;  // appended to since the last Sync
  bool created_[2] = {false, false};  // a file created since the directory's last sync
  bool renamed_[2] = {false, false};  // a file renamed since the directory's last sync
};

}  // namespace orderflow::stream

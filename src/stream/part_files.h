// The processor's output files while they are being written (docs/output_format.md): for each
// partition it owns, at most one set of open files, covering its offsets from the set's first
// one; in each output directory one file, or with --partition-by one per partition folder its
// lines fall in. A file has its temporary name (data_layout::OpenPartFileName: the partition, the
// set's first offset and the compression) until the set is published: each file renamed to its
// final name in its folder (data_layout::PartFileName: the partition and the offset range the set
// covers). What is appended becomes durable with Sync; what a crash leaves beyond the committed
// length is cut off by Recover. Bytes are appended a batch at a time (the lines as they are, or
// one gzip member or zstd frame per batch: common/output_encoder.h), so a file cut at a
// committed length ends at a batch boundary and stays valid.
// One thread at a time (the batch writer's, or the processor's while the writer is idle).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/compression.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/task_pool.h"
#include "stream/checkpoint_format.h"

namespace orderflow::stream {

class PartFiles {
 public:
  using Output = PartitionCheckpoint::Output;
  static constexpr Output kValid = PartitionCheckpoint::kValid;
  static constexpr Output kInvalid = PartitionCheckpoint::kInvalid;

  // `pool` runs the syncs at once when `fs` supports concurrent writes. Both must outlive this.
  // New sets take `compression`.
  PartFiles(FileSystem& fs, TaskPool& pool, std::string valid_dir, std::string invalid_dir,
            Compression compression = Compression::kNone);
  PartFiles(const PartFiles&) = delete;
  PartFiles& operator=(const PartFiles&) = delete;

  // The names in both output directories and their partition folders, listed once for the
  // Recover calls of an assignment: per output, folder ("" for the directory itself) -> names.
  struct Listing {
    std::map<std::string, std::set<std::string>> names[2];
  };
  Result<Listing> List();

  // Takes over a partition in its committed state: renames the files of a closed set that are
  // still temporaries (cut to their committed lengths and synced), cuts an open set's files to
  // their committed lengths (synced) and keeps the set open for appending, and removes every
  // other temporary of the partition (what uncommitted batches and earlier versions left). The
  // renames are durable after the next Sync or SyncRenames. Corruption when an open file's
  // committed bytes are missing.
  Status Recover(const PartitionCheckpoint& committed, const Listing& listing);

  // Appends a batch's bytes for one file of `partition` (whole lines, or one compressed unit) to
  // its file in `output` and `folder` ("" or a partition folder's name), opening the
  // partition's set first at `first` (the batch's first offset) when it has none, and the file
  // (and its folder) when the set has none there. Not durable until Sync.
  Status Append(int32_t partition, int64_t first, Output output, const std::string& folder,
                std::span<const std::string_view> pieces);
  // True when files were renamed since the last sync of their folder: those renames must be
  // durable (SyncRenames) before a commit that no longer names the files.
  bool RenamesPending() const { return !renamed_dirs_.empty(); }
  // Syncs the folders with renames (or new files) since their last sync, at once.
  Status SyncRenames();
  // Makes everything appended durable, in one round of syncs issued at once: the files appended
  // to, the folders of new files, and `with` (the commit record's append and sync, which a
  // recovery checks against the files: PartitionCheckpoint::FileLength::batch_from). Without
  // concurrent writes (the fault-injecting layer) `with` runs first: the order a crash hurts
  // most.
  Status Sync(const std::function<Status()>& with = {});
  // Sync in two steps, so that the next batch can be appended while this one syncs. Seal hands
  // over what a commit point makes durable (the files appended to since the last seal, and the
  // folders of new files and renames) and starts the next batch's bookkeeping at once (what is
  // appended from here on is the next commit record's batch). SyncSealed syncs it, on any
  // thread and `pool`: it touches nothing of this object.
  struct Sealed {
    std::vector<std::unique_ptr<WritableFile>> files;
    std::vector<std::string> dirs;
  };
  Sealed Seal();
  static Status SyncSealed(FileSystem& fs, TaskPool& pool, Sealed& sealed,
                           const std::function<Status()>& with = {});
  // Whether the bytes a commit says it appended are in the partition's files (the temporaries,
  // or for a closed set the final names): true when the checkpoint says nothing was appended,
  // false when a file or the bytes are missing or differ. IoError when a file cannot be read.
  Result<bool> Holds(const PartitionCheckpoint& committed);

  struct FileInfo {
    uint64_t bytes = 0;
    uint64_t synced = 0;  // the length at the last Sync
    uint32_t crc = 0;     // CRC-32C of what was appended since
  };
  // A file of a partition's set, ready for AppendTo. Append in two steps: a batch's files are
  // opened one by one, then written at once, each by one thread.
  struct Appender {
    WritableFile* file = nullptr;
    FileInfo* info = nullptr;
  };
  // What Append opens (the set, the folder, the file), without appending.
  Result<Appender> Open(int32_t partition, int64_t first, Output output, const std::string& folder);
  // Appends to a file Open returned (the bytes and their CRC). `crc`, when given, is the
  // CRC-32C of the pieces' bytes, taken where they were at hand: not computed again.
  static Status AppendTo(const Appender& to, std::span<const std::string_view> pieces,
                         std::optional<uint32_t> crc = {});
  // AppendTo for each of several different files, at once (the pool's threads) when the file
  // system supports concurrent writes.
  struct PendingAppend {
    Appender to;
    std::span<const std::string_view> pieces;
    std::optional<uint32_t> crc = {};  // as for AppendTo
  };
  Status AppendAll(const std::vector<PendingAppend>& appends);
  using FileKey = std::pair<Output, std::string>;  // output, folder
  struct OpenSet {
    int64_t first = 0;  // the first offset the set covers
    Compression compression = Compression::kNone;
    Clock::time_point opened;
    std::map<FileKey, FileInfo> files;
    // The length of its longest file.
    uint64_t Largest() const;
  };
  // The partition's open set; nullptr when it has none.
  const OpenSet* Find(int32_t partition) const;
  // Fills the checkpoint's file fields from the partition's open set: its first offset,
  // compression and files, with what was appended since the last Sync (a commit record's
  // batch). Leaves them as they are when it has none.
  void Describe(int32_t partition, PartitionCheckpoint& checkpoint) const;
  // True when the set was opened with another compression than new sets take, or has files
  // at the top of an output while partitioning or in folders while not (`partitioned`).
  bool Incompatible(int32_t partition, bool partitioned) const;

  // Renames the partition's files in `output` (when it has any) to their final names, covering
  // first..last. The renames are durable after the next Sync or SyncRenames. The partition's
  // set is forgotten once both outputs are published.
  Status Publish(int32_t partition, int64_t last, Output output);
  // Forgets the partition's set without publishing it (revoked: its next owner recovers it from
  // the checkpoint).
  void Drop(int32_t partition);

 private:
  struct Entry {
    OpenSet info;
    std::map<FileKey, std::unique_ptr<WritableFile>> open;  // files appended to since Sync
    bool published[2] = {false, false};
  };
  std::string FolderPath(Output output, const std::string& folder) const;
  std::string TempPath(int32_t partition, const OpenSet& set, const FileKey& key) const;

  FileSystem& fs_;
  TaskPool& pool_;
  const std::string dirs_[2];
  const Compression compression_;
  std::map<int32_t, Entry> sets_;
  std::set<std::string> created_dirs_;  // folders with new files (or new folders) since synced
  std::set<std::string> renamed_dirs_;  // folders with renames since synced
};

}  // namespace orderflow::stream

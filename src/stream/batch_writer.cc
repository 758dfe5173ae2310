#include "stream/batch_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

#include "common/clock.h"
#include "common/data_layout.h"
#include "stream/crash_point.h"

namespace orderflow::stream {

void PartitionBatch::Clear() {
  events = 0;
  event_times_ms.clear();
  valid.clear();
  invalid.clear();
  valid_pieces.clear();
  held.clear();
}

void PartitionBatch::ValidViews(std::vector<std::string_view>& out) const {
  static constexpr std::string_view kNewline = "\n";
  out.clear();
  for (const Piece& p : valid_pieces) {
    if (p.external != nullptr) {
      out.emplace_back(p.external, p.size);
      out.push_back(kNewline);
    } else {
      out.emplace_back(valid.data() + p.offset, p.size);
    }
  }
}

BatchWriter::BatchWriter(FileSystem& fs, CheckpointLog& log, std::string valid_dir,
                         std::string invalid_dir, RollPolicy roll, OutputLayout layout)
    : fs_(fs),
      log_(log),
      roll_(roll),
      layout_(layout),
      valid_dir_(valid_dir),
      invalid_dir_(invalid_dir),
      // A micro-batch syncs one file per partition and output at once: a few threads suffice.
      pool_(fs.SupportsConcurrentWrites() ? 7 : 0),
      files_(fs, pool_, std::move(valid_dir), std::move(invalid_dir), layout.compression),
      thread_([this] { Loop(); }) {}

BatchWriter::~BatchWriter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void BatchWriter::Submit(ClosedBatch batch) {
  // A second batch while one is on its way would replace it unwritten: a bug, never data.
  if (busy_) {
    std::fprintf(stderr, "orderflow: BatchWriter::Submit called while a batch is being written\n");
    std::abort();
  }
  {
    std::lock_guard lock(mutex_);
    todo_.emplace(std::move(batch));
  }
  busy_ = true;
  wake_.notify_all();
}

bool BatchWriter::Finished() {
  std::lock_guard lock(mutex_);
  return done_.has_value();
}

Status BatchWriter::Wait(ClosedBatch& done) {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return done_.has_value(); });
  done = std::move(*done_);
  done_.reset();
  busy_ = false;
  return done_status_;
}

void BatchWriter::Loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || todo_.has_value(); });
    if (!todo_) return;  // stopping with nothing to write
    ClosedBatch batch = std::move(*todo_);
    todo_.reset();
    lock.unlock();
    const auto started = Clock::now();
    Status status = Write(batch);
    batch.durable_at = Clock::now();
    batch.write_seconds = std::chrono::duration<double>(batch.durable_at - started).count();
    batch.durable_at_ms = WallMillis();
    // Give the consumer's fetch buffers back here rather than on the consuming thread.
    for (ClosedPartition& p : batch.partitions) p.content.held.clear();
    lock.lock();
    done_.emplace(std::move(batch));
    done_status_ = std::move(status);
    wake_.notify_all();
  }
}

Status BatchWriter::Recover(const std::vector<PartitionCheckpoint>& committed) {
  if (committed.empty()) return Status::Ok();
  auto listing = files_.List();
  if (!listing.ok()) return listing.status();
  for (const PartitionCheckpoint& c : committed) {
    if (c.has_pending) {
      // An earlier version's unfinished batch, replayed to the same names: what it may have
      // written under another --compression or --partition-by goes first.
      const data_layout::PartFile range{c.partition, c.pending_first, c.pending_last};
      for (const std::string& dir : {valid_dir_, invalid_dir_}) {
        if (Status s = RemovePartFiles(fs_, dir, range, layout_); !s.ok()) return s;
      }
    }
    if (Status s = files_.Recover(c, *listing); !s.ok()) return s;
    committed_[c.partition] = c;
  }
  // A set opened under another --compression or --partition-by is published now, as it is: the
  // next lines go to a set of the new layout.
  std::vector<PartitionCheckpoint> closing;
  for (const PartitionCheckpoint& c : committed) {
    if (!files_.Incompatible(c.partition, layout_.partition_by_purchase_date)) continue;
    spdlog::info(
        "[processor] partition {}: publishing the files opened under another --compression or "
        "--partition-by",
        c.partition);
    PartitionCheckpoint closed = committed_[c.partition];
    ++closed.seq;
    closed.file = PartitionCheckpoint::File::kClosed;
    closed.ClearBatch();
    closing.push_back(closed);
  }
  if (!closing.empty()) {
    if (Status s = log_.Commit(closing); !s.ok()) return s;
    for (const PartitionCheckpoint& c : closing) {
      committed_[c.partition] = c;
      for (PartFiles::Output output : {PartFiles::kValid, PartFiles::kInvalid}) {
        if (Status s = files_.Publish(c.partition, c.next_offset - 1, output); !s.ok()) return s;
      }
    }
  }
  // Renames rolled forward become durable before anything is committed after them.
  return files_.SyncRenames();
}

void BatchWriter::Forget(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) {
    files_.Drop(p);
    committed_.erase(p);
  }
}

const PartitionCheckpoint* BatchWriter::Committed(int32_t partition) const {
  auto it = committed_.find(partition);
  return it == committed_.end() ? nullptr : &it->second;
}

bool BatchWriter::ShouldPublish(const PartFiles::OpenSet& set, Clock::time_point now) const {
  return roll_.interval.count() <= 0 || now - set.opened >= roll_.interval ||
         set.Largest() >= roll_.bytes;
}

bool BatchWriter::RollDue() const {
  const auto now = Clock::now();
  for (const auto& [p, c] : committed_) {
    const PartFiles::OpenSet* set = files_.Find(p);
    if (set != nullptr && ShouldPublish(*set, now)) return true;
  }
  return false;
}

Status BatchWriter::Write(ClosedBatch& batch) {
  // 1. Append each partition's lines to its open set (opened at the batch's first offset when
  // it has none): per output one file, or one per partition folder (--partition-by), each
  // batch's bytes encoded as one unit for --compression (stream/output_files.h). The files are
  // opened one by one, then written at once: in a catch-up the writer is the bottleneck, and
  // the copying and checksumming of a batch's bytes is half its time.
  // Views stay where they are until the appends: a file's pieces may point at them.
  if (valid_views_.size() < batch.partitions.size()) valid_views_.resize(batch.partitions.size());
  std::vector<std::string_view> invalid(batch.partitions.size());
  std::vector<PartFiles::PendingAppend> appends;
  for (size_t i = 0; i < batch.partitions.size(); ++i) {
    const ClosedPartition& p = batch.partitions[i];
    const data_layout::PartFile range{p.partition, p.first, p.last};
    p.content.ValidViews(valid_views_[i]);
    invalid[i] = p.content.invalid;
    const std::span<const std::string_view> lines[2] = {valid_views_[i], {&invalid[i], 1}};
    for (PartFiles::Output output : {PartFiles::kValid, PartFiles::kInvalid}) {
      const size_t slot = 2 * i + output;
      while (encoded_.size() <= slot) encoded_.push_back(std::make_unique<OutputFiles>(layout_));
      OutputFiles& encoded = *encoded_[slot];
      encoded.Clear();
      if (Status s = encoded.Add(range, lines[output]); !s.ok()) return s;
      for (const PendingFile& f : encoded.files()) {
        const std::span<const std::string_view> bytes =
            f.pieces.empty() ? std::span<const std::string_view>(&f.data, 1) : f.pieces;
        uint64_t size = 0;
        for (std::string_view piece : bytes) size += piece.size();
        if (size == 0) continue;  // no file for nothing (as PartFiles::Append)
        auto to = files_.Open(p.partition, p.first, output, f.subdir);
        if (!to.ok()) return to.status();
        appends.push_back({*to, bytes});
      }
    }
  }
  if (Status s = files_.AppendAll(appends); !s.ok()) return s;
  // 2. What this commit says of each partition: its new next offset, its open set's files with
  // their lengths and the bytes this batch appended to them (their CRC), and whether the set is
  // published with it.
  const auto now = Clock::now();
  std::vector<PartitionCheckpoint> commits;
  std::vector<int32_t> published;
  auto next_state = [&](int32_t partition, int64_t next_offset, bool publish) {
    PartitionCheckpoint c = committed_[partition];
    c.partition = partition;
    ++c.seq;
    c.next_offset = next_offset;
    c.has_pending = false;
    c.ClearBatch();
    const PartFiles::OpenSet* set = files_.Find(partition);
    if (set != nullptr) {
      files_.Describe(partition, c);
      publish = publish || ShouldPublish(*set, now);
      c.file = publish ? PartitionCheckpoint::File::kClosed : PartitionCheckpoint::File::kOpen;
      if (publish) published.push_back(partition);
    }
    commits.push_back(c);
  };
  for (const ClosedPartition& p : batch.partitions) {
    next_state(p.partition, p.last + 1, p.publish || batch.publish_all);
  }
  // Sets of partitions without lines in this batch that are due (or all, on a stop).
  for (const auto& [partition, c] : committed_) {
    const PartFiles::OpenSet* set = files_.Find(partition);
    if (set == nullptr) continue;
    const bool in_batch =
        std::any_of(batch.partitions.begin(), batch.partitions.end(),
                    [&](const ClosedPartition& p) { return p.partition == partition; });
    if (!in_batch && (batch.publish_all || ShouldPublish(*set, now))) {
      next_state(partition, c.next_offset, true);
    }
  }
  CrashPoint("after_intent");  // test-only (crash_point.h): no-op unless the env var is set
  // 3. Files renamed since the last batch: their renames durable before a record forgets them.
  if (files_.RenamesPending()) {
    if (Status s = files_.SyncRenames(); !s.ok()) return s;
  }
  // 4. The commit point: the lines, the names of new files and one record per partition, all
  // synced at once (one round of syncs); a recovery checks the newest record against the lines.
  const auto sync_started = Clock::now();
  if (Status s = files_.Sync([&] { return log_.AppendRecords(commits); }); !s.ok()) return s;
  batch.sync_seconds = SecondsSince(sync_started);
  for (PartitionCheckpoint& c : commits) {
    c.ClearBatch();
    committed_[c.partition] = c;
  }
  if (Status s = log_.Refresh(commits); !s.ok()) return s;
  // 5. Published files take their final names (durable with the next Sync; until then a crash
  // leaves them to the recovery, which finds them closed in the checkpoint).
  for (int32_t partition : published) {
    const int64_t last = committed_[partition].next_offset - 1;
    if (Status s = files_.Publish(partition, last, PartFiles::kValid); !s.ok()) return s;
  }
  CrashPoint("mid_publish");
  for (int32_t partition : published) {
    const int64_t last = committed_[partition].next_offset - 1;
    if (Status s = files_.Publish(partition, last, PartFiles::kInvalid); !s.ok()) return s;
  }
  CrashPoint("after_publish");
  batch.published = std::move(published);
  batch.published_at_ms = WallMillis();
  if (batch.publish_all) {
    // Stopping or handing partitions over: the renames durable now, not with a next batch.
    if (Status s = files_.SyncRenames(); !s.ok()) return s;
  }
  if (log_.CompactionDue()) {
    if (Status s = log_.Compact(); !s.ok()) return s;
  }
  CrashPoint("after_commit");
  return Status::Ok();
}

}  // namespace orderflow::stream

#include "stream/batch_writer.h"

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
                         std::string invalid_dir, RollPolicy roll)
    : fs_(fs),
      log_(log),
      roll_(roll),
      // A micro-batch syncs one file per partition and output at once: a few threads suffice.
      pool_(fs.SupportsConcurrentWrites() ? 7 : 0),
      files_(fs, pool_, std::move(valid_dir), std::move(invalid_dir)),
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
    batch.write_seconds = SecondsSince(started);
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
    if (Status s = files_.Recover(c, *listing); !s.ok()) return s;
    committed_[c.partition] = c;
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

bool BatchWriter::ShouldPublish(const PartFiles::OpenFile& file, Clock::time_point now) const {
  return roll_.interval.count() <= 0 || now - file.opened >= roll_.interval ||
         file.bytes[PartFiles::kValid] >= roll_.bytes ||
         file.bytes[PartFiles::kInvalid] >= roll_.bytes;
}

bool BatchWriter::RollDue() const {
  const auto now = Clock::now();
  for (const auto& [p, c] : committed_) {
    const PartFiles::OpenFile* file = files_.Find(p);
    if (file != nullptr && ShouldPublish(*file, now)) return true;
  }
  return false;
}

Status BatchWriter::Write(ClosedBatch& batch) {
  // 1. Append each partition's lines to its open file (opened at the batch's first offset when
  // it has none).
  std::vector<std::string_view> views;
  for (const ClosedPartition& p : batch.partitions) {
    p.content.ValidViews(views);
    if (Status s = files_.Append(p.partition, p.first, views, p.content.invalid); !s.ok()) return s;
  }
  // 2. What this commit says of each partition: its new next offset, its open file's length and
  // the bytes this batch appended to it (their CRC), and whether the file is published with it.
  const auto now = Clock::now();
  std::vector<PartitionCheckpoint> commits;
  std::vector<int32_t> published;
  auto next_state = [&](int32_t partition, int64_t next_offset, bool publish) {
    PartitionCheckpoint c = committed_[partition];
    c.partition = partition;
    const PartFiles::OpenFile* file = files_.Find(partition);
    ++c.seq;
    c.next_offset = next_offset;
    c.has_pending = false;
    c.has_batch = false;
    if (file != nullptr) {
      c.file_first = file->first;
      c.valid_bytes = file->bytes[PartFiles::kValid];
      c.invalid_bytes = file->bytes[PartFiles::kInvalid];
      c.has_batch = file->bytes[PartFiles::kValid] > file->synced[PartFiles::kValid] ||
                    file->bytes[PartFiles::kInvalid] > file->synced[PartFiles::kInvalid];
      c.batch_valid_from = file->synced[PartFiles::kValid];
      c.batch_invalid_from = file->synced[PartFiles::kInvalid];
      c.batch_valid_crc = file->crc[PartFiles::kValid];
      c.batch_invalid_crc = file->crc[PartFiles::kInvalid];
      publish = publish || ShouldPublish(*file, now);
      c.file = publish ? PartitionCheckpoint::File::kClosed : PartitionCheckpoint::File::kOpen;
      if (publish) published.push_back(partition);
    }
    commits.push_back(c);
  };
  for (const ClosedPartition& p : batch.partitions) {
    next_state(p.partition, p.last + 1, p.publish || batch.publish_all);
  }
  // Files of partitions without lines in this batch that are due (or all, on a stop).
  for (const auto& [partition, c] : committed_) {
    const PartFiles::OpenFile* file = files_.Find(partition);
    if (file == nullptr) continue;
    const bool in_batch =
        std::any_of(batch.partitions.begin(), batch.partitions.end(),
                    [&](const ClosedPartition& p) { return p.partition == partition; });
    if (!in_batch && (batch.publish_all || ShouldPublish(*file, now))) {
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
  if (Status s = files_.Sync([&] { return log_.AppendRecords(commits); }); !s.ok()) return s;
  for (PartitionCheckpoint& c : commits) {
    c.has_batch = false;
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

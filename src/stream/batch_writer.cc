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
  valid_crc.reset();
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
      pool_(fs.SupportsConcurrentWrites() ? kPoolThreads : 0),
      sync_pool_(fs.SupportsConcurrentWrites() ? kPoolThreads : 0),
      files_(fs, pool_, std::move(valid_dir), std::move(invalid_dir), layout.compression),
      append_thread_([this] { AppendLoop(); }),
      commit_thread_([this] { CommitLoop(); }) {}

BatchWriter::~BatchWriter() {
  // The appending thread first: what it has goes to the committing thread before that stops.
  {
    std::lock_guard lock(mutex_);
    stop_appending_ = true;
  }
  wake_.notify_all();
  append_thread_.join();
  {
    std::lock_guard lock(mutex_);
    stop_committing_ = true;
  }
  wake_.notify_all();
  commit_thread_.join();
}

bool BatchWriter::Accepting() {
  std::lock_guard lock(mutex_);
  return !todo_ && !appending_;
}

void BatchWriter::WaitAccepting() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return !todo_ && !appending_; });
}

void BatchWriter::Submit(ClosedBatch batch) {
  {
    std::lock_guard lock(mutex_);
    // A second batch while one is being appended would replace it unwritten: a bug, never data.
    if (todo_ || appending_) {
      std::fprintf(stderr,
                   "orderflow: BatchWriter::Submit called while a batch is being written (not "
                   "Accepting)\n");
      std::abort();
    }
    todo_.emplace(std::move(batch));
  }
  ++in_flight_;
  wake_.notify_all();
}

bool BatchWriter::Finished() {
  std::lock_guard lock(mutex_);
  return !done_.empty();
}

Status BatchWriter::Wait(ClosedBatch& done) {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return !done_.empty(); });
  done = std::move(done_.front().first);
  Status status = std::move(done_.front().second);
  done_.pop_front();
  --in_flight_;
  return status;
}

bool BatchWriter::Idle() {
  std::lock_guard lock(mutex_);
  return !todo_ && !appending_ && !grouped_ && !to_commit_ && !committing_;
}

void BatchWriter::AppendLoop() {
  std::unique_lock lock(mutex_);
  const auto commit_free = [&] { return !to_commit_ && !committing_; };
  // Hands what was appended since the last commit to the committing thread (REQUIRES: the lock,
  // commit_free()). The seal is the batches' boundary in the files' bookkeeping.
  const auto hand_over = [&] {
    group_.sealed = files_.Seal();
    to_commit_.emplace(std::move(group_));
    group_ = Group();
    grouped_ = false;
    wake_.notify_all();
  };
  for (;;) {
    wake_.wait(lock, [&] { return stop_appending_ || todo_ || (grouped_ && commit_free()); });
    if (grouped_ && commit_free()) {  // first: the disk waits for nothing else
      hand_over();
      continue;
    }
    if (!todo_) {
      if (!grouped_) return;          // stopping with nothing to write
      wake_.wait(lock, commit_free);  // stopping: what is grouped is committed first
      continue;
    }
    ClosedBatch batch = std::move(*todo_);
    todo_.reset();
    appending_ = true;
    const Status failed = failed_;
    lock.unlock();
    batch.started_at = Clock::now();
    Status status = failed.ok() ? Append(batch, group_) : failed;
    // The consumer's fetch buffers go back once their bytes are in the files (the page cache),
    // not when they are durable: less memory is held while the disk catches up, and the heap
    // reuses it instead of growing (a catch-up's page faults were ~8 % of its CPU). They go back
    // after the batch is grouped and, if the disk is free, handed over: freeing a batch's
    // messages takes milliseconds the commit need not wait for (the last batch's were in the
    // catch-up's tail).
    std::vector<std::vector<kafka::MessagePtr>> appended_messages;
    appended_messages.reserve(batch.partitions.size());
    for (ClosedPartition& p : batch.partitions)
      appended_messages.push_back(std::move(p.content.held));
    lock.lock();
    if (!status.ok()) {
      if (failed_.ok()) failed_ = status;
      group_.status = status;  // nothing of the group is committed
    }
    group_.publish_all = group_.publish_all || batch.publish_all;
    group_.batches.push_back(std::move(batch));
    grouped_ = true;
    // A batch that renames files (or stops) is committed before the next is appended: the
    // renames change the sets the next batch appends to. So is every batch without concurrent
    // writes (the fault-injecting layer): the order of its operations stays one. The committing
    // thread says the writer accepts again when it is done.
    if (!group_.published.empty() || group_.publish_all || !group_.status.ok() ||
        !fs_.SupportsConcurrentWrites()) {
      group_.hold_appending = true;
      wake_.wait(lock, commit_free);
      hand_over();
      lock.unlock();
      appended_messages.clear();
      lock.lock();
      wake_.wait(lock, [&] { return !appending_; });
      continue;
    }
    appending_ = false;
    if (commit_free()) hand_over();
    wake_.notify_all();
    lock.unlock();
    appended_messages.clear();
    lock.lock();
  }
}

void BatchWriter::CommitLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_committing_ || to_commit_.has_value(); });
    if (!to_commit_) return;
    Group group = std::move(*to_commit_);
    to_commit_.reset();
    committing_ = true;
    if (group.status.ok() && !failed_.ok()) group.status = failed_;
    lock.unlock();
    Status status = group.status.ok() ? Commit(group) : group.status;
    const auto durable_at = Clock::now();
    const int64_t durable_at_ms = WallMillis();
    for (ClosedBatch& batch : group.batches) {
      batch.durable_at = durable_at;
      batch.durable_at_ms = durable_at_ms;
      batch.write_seconds = std::chrono::duration<double>(durable_at - batch.started_at).count();
    }
    lock.lock();
    if (!status.ok() && failed_.ok()) failed_ = status;
    for (ClosedBatch& batch : group.batches) done_.emplace_back(std::move(batch), status);
    // Accepting again at the moment the batch is done: a caller that waited for it can submit.
    if (group.hold_appending) appending_ = false;
    committing_ = false;
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

Status BatchWriter::Append(ClosedBatch& batch, Group& group) {
  // 1. Append each partition's lines to its open set (opened at the batch's first offset when
  // it has none): per output one file, or one per partition folder (--partition-by), each
  // batch's bytes encoded as one unit for --compression (stream/output_files.h). The files are
  // opened one by one, then written at once: in a catch-up the copying and checksumming of a
  // batch's bytes is about half of the writer's time.
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
        // Lines written as they are, one file: its bytes are the valid views, in order.
        const bool as_is =
            layout_.compression == Compression::kNone && !layout_.partition_by_purchase_date;
        appends.push_back(
            {*to, bytes,
             output == PartFiles::kValid && as_is ? p.content.valid_crc : std::nullopt});
      }
    }
  }
  if (Status s = files_.AppendAll(appends); !s.ok()) return s;
  // 2. What this commit says of each partition: its new next offset, its open set's files with
  // their lengths and the bytes this batch appended to them (their CRC), and whether the set is
  // published with it.
  const auto now = Clock::now();
  std::vector<PartitionCheckpoint> commits;
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
      if (publish) group.published.emplace_back(partition, next_offset - 1);
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
  // The group's commit records: a partition's newest record describes everything appended to
  // its files since the group's seal (the last commit), whichever batches appended it.
  for (const PartitionCheckpoint& c : commits) {
    auto same =
        std::find_if(group.commits.begin(), group.commits.end(),
                     [&](const PartitionCheckpoint& g) { return g.partition == c.partition; });
    if (same != group.commits.end()) {
      *same = c;
    } else {
      group.commits.push_back(c);
    }
    // The next batch builds on this one (if its commit fails, nothing more is written).
    PartitionCheckpoint& kept = committed_[c.partition];
    kept = c;
    kept.ClearBatch();
  }
  return Status::Ok();
}

Status BatchWriter::Commit(Group& group) {
  ClosedBatch& batch = group.batches.back();  // reports the group's syncs and renames
  // 4. The commit point: the lines, the names of new files and one record per partition, all
  // synced at once (one round of syncs); a recovery checks the newest record against the lines.
  // Without concurrent writes (the fault-injecting layer) the record goes first: the order a
  // crash hurts most.
  const auto sync_started = Clock::now();
  if (Status s = PartFiles::SyncSealed(fs_, sync_pool_, group.sealed,
                                       [&] { return log_.AppendRecords(group.commits); });
      !s.ok()) {
    return s;
  }
  batch.sync_seconds = SecondsSince(sync_started);
  for (PartitionCheckpoint& c : group.commits) c.ClearBatch();
  if (Status s = log_.Refresh(group.commits); !s.ok()) return s;
  // 5. Published files take their final names (durable with the next batch's renames sync;
  // until then a crash leaves them to the recovery, which finds them closed in the checkpoint).
  // The appending thread waits meanwhile: these batches are not overlapped.
  for (const auto& [partition, last] : group.published) {
    if (Status s = files_.Publish(partition, last, PartFiles::kValid); !s.ok()) return s;
  }
  CrashPoint("mid_publish");
  for (const auto& [partition, last] : group.published) {
    if (Status s = files_.Publish(partition, last, PartFiles::kInvalid); !s.ok()) return s;
  }
  CrashPoint("after_publish");
  for (const auto& [partition, last] : group.published) batch.published.push_back(partition);
  batch.published_at_ms = WallMillis();
  if (group.publish_all) {
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

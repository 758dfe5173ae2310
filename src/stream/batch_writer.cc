#include "stream/batch_writer.h"

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

BatchWriter::BatchWriter(FileSystem& fs, CheckpointStore& store, std::string valid_dir,
                         std::string invalid_dir, OutputLayout layout)
    : fs_(fs),
      store_(store),
      valid_dir_(std::move(valid_dir)),
      invalid_dir_(std::move(invalid_dir)),
      valid_files_(layout),
      invalid_files_(layout),
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

Status BatchWriter::Write(ClosedBatch& batch) {
  std::map<int32_t, PartitionCheckpoint> intents, commits;
  valid_files_.Clear();
  invalid_files_.Clear();
  // One list of views per valid file, sized first so the spans handed out stay valid.
  std::vector<std::vector<std::string_view>> valid_views(batch.partitions.size());
  for (size_t i = 0; i < batch.partitions.size(); ++i) {
    const ClosedPartition& p = batch.partitions[i];
    intents[p.partition] = {p.first, true, p.first, p.last};
    commits[p.partition] = {p.last + 1};
    // The files' names (data_layout::PartFileName), folders and encoding: stream/output_files.h.
    const data_layout::PartFile range{p.partition, p.first, p.last};
    if (!p.content.valid_pieces.empty()) {
      p.content.ValidViews(valid_views[i]);
      if (Status s = valid_files_.Add(range, valid_views[i]); !s.ok()) return s;
    }
    if (!p.content.invalid.empty()) {
      const std::string_view invalid = p.content.invalid;
      if (Status s = invalid_files_.Add(range, {&invalid, 1}); !s.ok()) return s;
    }
  }
  const std::vector<PendingFile>& valid_files = valid_files_.files();
  const std::vector<PendingFile>& invalid_files = invalid_files_.files();
  if (Status s = store_.Save(intents); !s.ok()) return s;
  CrashPoint("after_intent");  // test-only (crash_point.h): no-op unless the env var is set
  if (Status s = PublishFiles(fs_, valid_dir_, valid_files); !s.ok()) return s;
  CrashPoint("mid_publish");
  if (Status s = PublishFiles(fs_, invalid_dir_, invalid_files); !s.ok()) return s;
  CrashPoint("after_publish");
  if (Status s = store_.Save(commits); !s.ok()) return s;
  CrashPoint("after_commit");
  return Status::Ok();
}

}  // namespace orderflow::stream

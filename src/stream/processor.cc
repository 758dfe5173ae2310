#include "stream/processor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/crc32c.h"
#include "common/data_layout.h"
#include "common/idle_timer.h"
#include "common/periodic_report.h"
#include "common/stop_flag.h"
#include "event/event_router.h"
#include "kafka/consumer.h"
#include "stream/batch_writer.h"
#include "stream/checkpoint_log.h"
#include "stream/data_dir_owner.h"
#include "stream/processor_metrics.h"
#include "stream/visible_latency.h"

namespace orderflow::stream {
namespace {

// How this process names itself in the partitions' lock files, for another one to show.
std::string HolderDescription(const ProcessorOptions& options) {
  char host[256] = "?";
  (void)::gethostname(host, sizeof(host) - 1);
  host[sizeof(host) - 1] = '\0';
  return fmt::format("process {} on {} (group {}, topic {}, data dir {})", ::getpid(), host,
                     options.group_id, options.topic, options.data_dir);
}

struct PartitionState {
  int64_t next_offset = 0;  // the open batch starts here (durable once the writer is done)
  int64_t batch_last = -1;  // last offset routed into the open batch; -1 when none
  // Replaying an unfinished batch: its range ends here, and its files keep the names of the
  // interrupted attempt. It is committed only when the whole range has been read.
  int64_t replay_last = -1;
  bool replay_complete = false;
  PartitionBatch open;

  bool Closable() const { return replay_last < 0 || replay_complete; }
  int64_t RangeLast() const { return replay_last >= 0 ? replay_last : batch_last; }
};

class Processor final : public kafka::RebalanceListener {
 public:
  explicit Processor(const ProcessorOptions& options, ProcessorSummary& summary)
      : options_(options),
        summary_(summary),
        log_(*options.fs, data_layout::CheckpointDir(options.data_dir, options.topic),
             HolderDescription(options)),
        valid_dir_(data_layout::ValidDir(options.data_dir)),
        invalid_dir_(data_layout::InvalidDir(options.data_dir)),
        idle_(options.until_idle_seconds),
        writer_(*options.fs, log_, valid_dir_, invalid_dir_,
                RollPolicy{options.roll_interval, options.roll_bytes}, options.output) {
    if (options.metrics) metrics_.emplace(*options.metrics);
  }

  Status Run();

  Status OnAssigned(std::vector<kafka::PartitionOffset>& partitions) override;
  void OnRevoked(const std::vector<int32_t>& partitions) override;

 private:
  Status Prepare();
  // Routes message i of `batch`, taking it over when its payload is written as it is.
  Status HandleMessage(kafka::MessageBatch& batch, size_t i);
  Status HandleConsumerError(const kafka::Message& message);
  // Closes the open batch and hands it to the writer once it accepts one (one batch may still be
  // syncing while the next is appended), collecting what it finished. With `wait`, also waits
  // until every batch is durable. With `publish_all`, the batch also publishes every open file
  // (a stop, a rebalance); without events it is still written when files are to be published.
  Status CommitBatch(bool wait, bool publish_all = false);
  // Collects the batches the writer made durable, in order: latency, group offsets. With `all`,
  // waits for every batch on its way; without, takes only those already finished.
  Status CollectWrites(bool all);
  Status FinishWrite() { return CollectWrites(/*all=*/true); }
  // Every assigned partition has been read up to the high watermark of its last fetch.
  bool ReadToTheEnd() const;
  // With --until-idle, while behind: the open batch goes to the writer as soon as it can take
  // one (like Spark's availableNow, which has no interval), so the disk starts on the first lines
  // at once, is never left idle while lines wait, and the last batch is small.
  bool BackToBackDue();
  PartitionBatch TakeSpareBatch();
  void ReportProgress();
  void PublishMetrics();

  const ProcessorOptions& options_;
  ProcessorSummary& summary_;
  CheckpointLog log_;
  std::string valid_dir_, invalid_dir_;
  std::optional<kafka::Consumer> consumer_;
  event::EventRouter router_;
  std::map<int32_t, PartitionState> partitions_;
  // The valid lines' CRC-32C is taken here, with each payload in cache after its validation,
  // when the files hold the lines as they are (PartitionBatch::valid_crc).
  const bool crc_on_the_way_ = options_.output.compression == Compression::kNone &&
                               !options_.output.partition_by_purchase_date;
  uint64_t batch_events_ = 0;    // over all partitions
  Clock::time_point started_{};  // when Run began: throughput_eps counts from here
  Clock::time_point batch_started_{};
  Clock::time_point first_message_{};
  bool seen_message_ = false;
  std::optional<Clock::time_point> assigned_at_;  // the last time partitions were assigned
  // --until-idle: counts from the last assignment, the last message, and the end of the last
  // wait for the writer (a loop blocked on the disk while a backlog waits is not idle).
  IdleTimer idle_;
  Status failure_;              // a failure inside a rebalance callback, reported by Run
  bool writes_allowed_ = true;  // false after a failure: the checkpoint must stay where it is
  std::optional<ProcessorMetrics> metrics_;  // with --metrics-listen
  VisibleLatency visible_;                   // event times of the lines in files not yet published
  BatchWriter writer_;  // last: its thread stops before the state it writes from goes away
  std::vector<PartitionBatch> spare_batches_;  // written batches, cleared, kept for their capacity
  Clock::time_point writer_busy_until_{};      // the last collected batch's durable moment
};

Status Processor::Prepare() {
  // An unwritable output is a configuration problem: say so before touching Kafka.
  for (const std::string& dir : {valid_dir_, invalid_dir_, log_.dir()}) {
    if (Status s = options_.fs->CreateDirs(dir); !s.ok()) {
      return Status::InvalidArgument(
          fmt::format("--data-dir {}: {}", options_.data_dir, s.message()));
    }
  }
  // Only the processors of one group share a data dir: anyone else is refused before joining.
  if (Status s = ClaimDataDir(options_.data_dir, {options_.topic, options_.group_id}); !s.ok()) {
    return s;
  }
  auto consumer = kafka::Consumer::Create(
      options_.kafka, options_.group_id,
      {
          {"enable.auto.commit", "false"},
          {"enable.auto.offset.store", "false"},
          // We always give explicit start offsets; falling off the log is data loss to report.
          {"auto.offset.reset", "error"},
          {"session.timeout.ms", "6000"},
          {"heartbeat.interval.ms", "500"},
          // An idle fetch waits this long for data; keep it well under the trigger so a
          // micro-batch is not late for want of a fetch.
          {"fetch.wait.max.ms",
           std::to_string(std::clamp<int64_t>(options_.trigger.count() / 4, 5, 100))},
      },
      this);
  if (!consumer.ok()) return consumer.status();
  consumer_.emplace(std::move(consumer).value());
  return consumer_->Subscribe(options_.topic);
}

// A checkpoint past the log end is not retention: the topic was deleted and recreated (or the
// embedded broker restarted, which starts empty), so these offsets name other messages.
Status BeyondLogEnd(const std::string& topic, int32_t partition, int64_t checkpoint,
                    int64_t log_end) {
  return Status::DataLoss(fmt::format(
      "partition {} of {}: the checkpoint is at offset {} but the log ends at offset {}: the "
      "topic looks recreated or truncated since this data dir was written (a restarted embedded "
      "broker starts empty too); start over with `orderflow reset` (on Kafka `orderflow reset "
      "--kafka`), or use another --data-dir",
      partition, topic, checkpoint, log_end));
}

// With --until-idle and every partition read to its end: a poll this long that finds nothing
// means the open batch has all there is.
constexpr int kDrainedPollMs = 5;

// With --until-idle, while behind: a batch goes to a writer that is still committing the one
// before once it has this many events (~7 MB here).
constexpr uint64_t kBackToBackMinEvents = 16384;

// How long a partition's offsets are waited for. While a node of a 2-node KRaft cluster is down
// (and until it has restarted, a minute or more on a busy machine) its partitions have no
// leader; a consumer waits that out rather than fail, as long as a producer keeps a message
// (librdkafka's message.timeout.ms, 5 minutes).
constexpr int kWatermarksTimeoutMs = 300000;

Status Processor::OnAssigned(std::vector<kafka::PartitionOffset>& partitions) {
  // The checkpoint log is the writer's while a batch is on its way.
  if (Status s = FinishWrite(); !s.ok()) return s;
  std::vector<int32_t> ids;
  for (const kafka::PartitionOffset& p : partitions) ids.push_back(p.partition);
  std::vector<int32_t> behind;  // whose snapshot lags the commit logs: saved below
  auto committed = log_.Acquire(ids, &behind, [this](const PartitionCheckpoint& c) {
    return writer_.Holds(c);  // a record synced with its lines: did they reach the disk?
  });
  if (committed.status().IsAlreadyExists()) {
    // A live process writes it (this group's member that the group gave up on but that still
    // runs, or a process started by hand): two writers would duplicate or lose what they share.
    return Status::InvalidArgument(fmt::format(
        "--data-dir {}: {}; one partition of a data dir is written by one process at a time: "
        "stop that one, or use another --data-dir",
        options_.data_dir, committed.status().message()));
  }
  if (!committed.ok()) return committed.status();
  // The files first, as committed: closed files renamed, open ones cut to their committed length.
  std::vector<PartitionCheckpoint> recovered;
  for (auto& [partition, checkpoint] : *committed) {
    if (checkpoint) recovered.push_back(*checkpoint);
  }
  if (Status s = writer_.Recover(recovered); !s.ok()) return s;

  std::vector<PartitionCheckpoint> to_save;
  for (kafka::PartitionOffset& p : partitions) {
    auto marks = consumer_->QueryWatermarks(options_.topic, p.partition, kWatermarksTimeoutMs);
    if (!marks.ok()) return marks.status();
    PartitionState state;
    const std::optional<PartitionCheckpoint>& found = (*committed)[p.partition];
    PartitionCheckpoint checkpoint;
    bool save = std::find(behind.begin(), behind.end(), p.partition) != behind.end();
    if (found) {
      // As the writer has it after Recover (which may have published a set of another layout).
      const PartitionCheckpoint* current = writer_.Committed(p.partition);
      checkpoint = current != nullptr ? *current : *found;
      state.next_offset =
          checkpoint.has_pending ? checkpoint.pending_first : checkpoint.next_offset;
      if (checkpoint.has_pending) {
        state.replay_last = checkpoint.pending_last;
        spdlog::info("[processor] partition {}: replaying unfinished batch {}-{}", p.partition,
                     checkpoint.pending_first, checkpoint.pending_last);
      }
    } else {
      // First start: make the starting position durable at once, so a crash before the first
      // batch cannot move it (with "latest", it would skip what arrived meanwhile).
      state.next_offset = options_.start_from_earliest ? marks->low : marks->high;
      checkpoint =
          PartitionCheckpoint{.partition = p.partition, .seq = 1, .next_offset = state.next_offset};
      if (Status s = writer_.Recover({checkpoint}); !s.ok()) return s;  // stray temporaries
      save = true;
    }
    if (state.next_offset > marks->high) {
      // A new leader may briefly report an older end: ask once more before concluding.
      std::this_thread::sleep_for(std::chrono::seconds(1));
      marks = consumer_->QueryWatermarks(options_.topic, p.partition, kWatermarksTimeoutMs);
      if (!marks.ok()) return marks.status();
      if (state.next_offset > marks->high)
        return BeyondLogEnd(options_.topic, p.partition, state.next_offset, marks->high);
    }
    if (marks->low > state.next_offset) {
      const int64_t lost = marks->low - state.next_offset;
      const std::string what = fmt::format(
          "partition {} of {}: {} messages (offsets {}-{}) were removed by retention before they "
          "were processed",
          p.partition, options_.topic, lost, state.next_offset, marks->low - 1);
      if (options_.fail_on_data_loss) {
        return Status::DataLoss(what + "; restart with --fail-on-data-loss=false to skip them");
      }
      spdlog::warn("[processor] {}; skipping them (--fail-on-data-loss=false)", what);
      state.next_offset = marks->low;
      state.replay_last = -1;
      // A closed file's renames are durable (Recover): the new starting point forgets it. An
      // open file goes on, its range spanning the skipped offsets.
      ++checkpoint.seq;
      checkpoint.next_offset = state.next_offset;
      checkpoint.has_pending = false;
      if (checkpoint.file == PartitionCheckpoint::File::kClosed) {
        checkpoint.file = PartitionCheckpoint::File::kNone;
      }
      writer_.SetCommitted(checkpoint);
      save = true;
    }
    p.offset = state.next_offset;
    partitions_[p.partition] = std::move(state);
    // A version 1 checkpoint with an unfinished batch stays as it is until that batch is replayed.
    if (save && !checkpoint.has_pending) to_save.push_back(checkpoint);
  }
  if (Status s = log_.Save(to_save); !s.ok()) return s;
  std::string list;
  for (const auto& p : partitions) list += fmt::format(" {}@{}", p.partition, p.offset);
  spdlog::info("[processor] assigned partitions:{}", list);
  assigned_at_ = Clock::now();
  idle_.Start(*assigned_at_);
  return Status::Ok();
}

void Processor::OnRevoked(const std::vector<int32_t>& partitions) {
  // Finish the open batch and publish the open files while we still own their partitions; the
  // next owner then starts exactly where we stopped, from the snapshots Release makes durable.
  if (Status s = CommitBatch(/*wait=*/true, /*publish_all=*/true); !s.ok() && failure_.ok()) {
    failure_ = s;
  }
  for (int32_t p : partitions) {
    // Whatever is left is an unfinished replay: its checkpoint still says so, and the next
    // owner replays it.
    auto it = partitions_.find(p);
    if (it == partitions_.end()) continue;
    batch_events_ -= it->second.open.events;
    partitions_.erase(it);
  }
  if (writes_allowed_) {
    if (Status s = log_.Release(partitions); !s.ok() && failure_.ok()) failure_ = s;
  } else {
    log_.Drop(partitions);  // after a failure nothing is written: the log keeps what it has
  }
  writer_.Forget(partitions);
  for (int32_t p : partitions) visible_.Forget(p);
  spdlog::info("[processor] revoked {} partitions", partitions.size());
}

Status Processor::HandleConsumerError(const kafka::Message& m) {
  const kafka::ErrorKind kind = kafka::ClassifyError(m.error);
  if (kind == kafka::ErrorKind::kBenign) return Status::Ok();  // end of a partition
  if (kind == kafka::ErrorKind::kOffsetOutOfRange) {
    auto it = partitions_.find(m.partition);
    if (it == partitions_.end()) return Status::Ok();
    auto marks = consumer_->QueryWatermarks(options_.topic, m.partition, kWatermarksTimeoutMs);
    if (!marks.ok()) return marks.status();
    PartitionState& state = it->second;
    const int64_t position = state.batch_last >= 0 ? state.batch_last + 1 : state.next_offset;
    if (position > marks->high)
      return BeyondLogEnd(options_.topic, m.partition, position, marks->high);
    const std::string what = fmt::format(
        "partition {} of {}: {} messages (offsets {}-{}) were removed by retention before they "
        "were processed",
        m.partition, options_.topic, marks->low - position, position, marks->low - 1);
    if (options_.fail_on_data_loss) {
      return Status::DataLoss(what + "; restart with --fail-on-data-loss=false to skip them");
    }
    spdlog::warn("[processor] {}; skipping them (--fail-on-data-loss=false)", what);
    return consumer_->Seek(options_.topic, {{m.partition, marks->low}}, 10000);
  }
  // Transient broker trouble: librdkafka retries; make it visible.
  spdlog::warn("[processor] consumer: {} (partition {})", kafka::ErrorString(m.error), m.partition);
  return Status::Ok();
}

Status Processor::HandleMessage(kafka::MessageBatch& batch, size_t index) {
  const kafka::Message m = batch[index];
  if (m.error != kafka::kNoError) return HandleConsumerError(m);
  auto it = partitions_.find(m.partition);
  if (it == partitions_.end()) return Status::Ok();  // from a partition revoked meanwhile
  PartitionState& state = it->second;
  if (m.offset < state.next_offset || m.offset <= state.batch_last) return Status::Ok();
  if (state.replay_last >= 0 && m.offset > state.replay_last) {
    // The replayed range ended without its last offsets (compacted away): close it first.
    state.replay_complete = true;
    if (Status s = CommitBatch(/*wait=*/false); !s.ok()) return s;
  }
  if (!seen_message_) {
    seen_message_ = true;
    first_message_ = Clock::now();
  }
  if (batch_events_ == 0) batch_started_ = Clock::now();
  const std::string_view payload = m.value;
  PartitionBatch& open = state.open;
  const size_t valid_before = open.valid.size();
  const event::RouteResult routed = router_.Route(payload, m.partition, m.offset, open.valid,
                                                  open.invalid, /*reference_valid=*/true);
  if (routed.referenced) {
    open.valid_pieces.push_back({payload.data(), 0, payload.size()});
    if (crc_on_the_way_) open.valid_crc = Crc32c("\n", Crc32c(payload, open.valid_crc.value_or(0)));
    open.held.emplace_back(batch.Release(index));
  } else if (open.valid.size() > valid_before) {
    open.valid_pieces.push_back({nullptr, valid_before, open.valid.size() - valid_before});
    if (crc_on_the_way_) {
      open.valid_crc =
          Crc32c(std::string_view(open.valid).substr(valid_before), open.valid_crc.value_or(0));
    }
  }
  state.batch_last = m.offset;
  ++open.events;
  ++batch_events_;
  ++summary_.processed;
  if (routed.valid) {
    ++summary_.valid;
    open.event_times_ms.push_back(routed.event_time_ms);
  } else {
    ++summary_.invalid;
    if (metrics_) metrics_->CountInvalid(routed.reason);
  }
  if (state.replay_last >= 0 && m.offset == state.replay_last) {
    state.replay_complete = true;
    return CommitBatch(/*wait=*/false);
  }
  return Status::Ok();
}

Status Processor::CommitBatch(bool wait, bool publish_all) {
  if (!writes_allowed_) return Status::Ok();
  if (Status s = CollectWrites(/*all=*/false); !s.ok()) return s;
  if (!writer_.Accepting()) {
    writer_.WaitAccepting();
    idle_.Touch(Clock::now());  // a loop blocked on the disk while a backlog waits is not idle
    if (Status s = CollectWrites(/*all=*/false); !s.ok()) return s;
  }
  if (batch_events_ > 0 || publish_all || writer_.RollDue()) {
    ClosedBatch batch;
    batch.publish_all = publish_all;
    for (auto& [partition, state] : partitions_) {
      // A partition still replaying stays open: its range must be rewritten whole.
      if (state.open.events == 0 || !state.Closable()) continue;
      ClosedPartition& closed = batch.partitions.emplace_back();
      closed.partition = partition;
      closed.first = state.next_offset;
      closed.last = state.RangeLast();
      // An earlier version's unfinished batch keeps its file names: published with its replay.
      closed.publish = state.replay_last >= 0;
      closed.content = std::exchange(state.open, TakeSpareBatch());
      batch_events_ -= closed.content.events;
      // The next batch starts after this one; the checkpoint says so once the writer is done.
      state.next_offset = closed.last + 1;
      state.batch_last = -1;
      state.replay_last = -1;
      state.replay_complete = false;
    }
    if (batch.partitions.empty() && batch_events_ > 0) {
      batch_started_ = Clock::now();  // only unfinished replays are open: wait for their data
    }
    if (!batch.partitions.empty() || publish_all || writer_.RollDue()) {
      writer_.Submit(std::move(batch));
      if (batch_events_ > 0) batch_started_ = Clock::now();
    }
  }
  return wait ? FinishWrite() : Status::Ok();
}

bool Processor::BackToBackDue() {
  // While the writer commits, batches it can append meanwhile are not made tiny: each costs
  // its appends and bookkeeping, and all of them wait for the same next commit.
  return options_.until_idle_seconds > 0 && batch_events_ > 0 && writer_.Accepting() &&
         (batch_events_ >= kBackToBackMinEvents || writer_.Idle()) && !ReadToTheEnd();
}

bool Processor::ReadToTheEnd() const {
  if (partitions_.empty()) return false;
  for (const auto& [partition, state] : partitions_) {
    const auto marks = consumer_->CachedWatermarks(options_.topic, partition);
    if (!marks) return false;  // not fetched yet: the trigger decides
    const int64_t position = state.batch_last >= 0 ? state.batch_last + 1 : state.next_offset;
    if (position < marks->high) return false;
  }
  return true;
}

Status Processor::CollectWrites(bool all) {
  while (writer_.Busy() && (all || writer_.Finished())) {
    const bool blocks = !writer_.Finished();
    ClosedBatch done;
    if (Status s = writer_.Wait(done); !s.ok()) {
      writes_allowed_ = false;  // the checkpoint must stay where the failure left it
      return s;
    }
    if (blocks) idle_.Touch(Clock::now());
    // The writer's busy time: a batch's own, less what overlapped the batch before it.
    summary_.commit_seconds += std::chrono::duration<double>(
                                   done.durable_at - std::max(done.started_at, writer_busy_until_))
                                   .count();
    writer_busy_until_ = done.durable_at;
    summary_.sync_seconds += done.sync_seconds;
    for (const ClosedPartition& p : done.partitions) {
      for (int64_t t : p.content.event_times_ms) {
        summary_.e2e_ms.Record(static_cast<double>(done.durable_at_ms - t));
      }
      visible_.Add(p.partition, p.content.event_times_ms);
    }
    for (int32_t p : done.published) {
      visible_.Published(p, done.published_at_ms, summary_.visible_ms);
    }
    if (done.partitions.empty()) continue;  // only files published: not a batch
    std::vector<kafka::PartitionOffset> offsets;
    for (ClosedPartition& p : done.partitions) {
      offsets.push_back({p.partition, p.last + 1});
      p.content.Clear();
      spare_batches_.push_back(std::move(p.content));
    }
    // For lag tools only (the checkpoint is the truth): asynchronous, failures are harmless.
    (void)consumer_->Commit(options_.topic, offsets, /*async=*/true);
    ++summary_.batches;
    if (metrics_) metrics_->ObserveBatch(done.write_seconds);
    // To the moment the writer made the batch durable, not to when this thread took it back (up
    // to a 100 ms poll later at the end of a catch-up).
    summary_.active_seconds =
        std::chrono::duration<double>(done.durable_at - first_message_).count();
  }
  return Status::Ok();
}

PartitionBatch Processor::TakeSpareBatch() {
  if (spare_batches_.empty()) return {};
  PartitionBatch spare = std::move(spare_batches_.back());
  spare_batches_.pop_back();
  return spare;
}

void Processor::PublishMetrics() {
  // Lag from the high watermarks the consumer already has from its fetches: no broker round trip.
  std::map<int32_t, int64_t> lag;
  for (const auto& [partition, state] : partitions_) {
    const auto marks = consumer_->CachedWatermarks(options_.topic, partition);
    if (!marks) continue;
    lag[partition] = std::max<int64_t>(marks->high - state.next_offset, 0);
  }
  metrics_->Publish(summary_, lag);
}

void Processor::ReportProgress() {
  summary_.elapsed_seconds = SecondsSince(started_);
  std::fprintf(stdout,
               "[processor] processed=%llu valid=%llu invalid=%llu batches=%llu "
               "throughput_eps=%.1f active_eps=%.1f p50_e2e_ms=%.1f p99_e2e_ms=%.1f "
               "p50_visible_ms=%.1f p99_visible_ms=%.1f\n",
               static_cast<unsigned long long>(summary_.processed),
               static_cast<unsigned long long>(summary_.valid),
               static_cast<unsigned long long>(summary_.invalid),
               static_cast<unsigned long long>(summary_.batches), summary_.throughput_eps(),
               summary_.active_eps(), summary_.e2e_ms.Quantile(0.5), summary_.e2e_ms.Quantile(0.99),
               summary_.visible_ms.Quantile(0.5), summary_.visible_ms.Quantile(0.99));
  std::fflush(stdout);
}

Status Processor::Run() {
  started_ = Clock::now();
  const auto started = started_;
  if (Status s = Prepare(); !s.ok()) return s;
  PeriodicReport progress(options_.report_every_seconds, Clock::now());
  PeriodicReport publish(metrics_ ? 1.0 : 0.0, Clock::now());
  kafka::MessageBatch messages;
  Status status;
  while (!StopRequested()) {
    int timeout_ms = 100;
    if (batch_events_ > 0) {
      const auto due = batch_started_ + options_.trigger;
      timeout_ms = static_cast<int>(std::clamp<int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count(), 0,
          100));
      // With --until-idle, once every partition is read to its end the open batch waits only
      // for a poll that finds nothing more: a short one, not the rest of the trigger (a
      // catch-up's last batch waited ~50 ms for it with the disk idle).
      if (options_.until_idle_seconds > 0 && ReadToTheEnd()) {
        timeout_ms = std::min(timeout_ms, kDrainedPollMs);
      }
    }
    messages.Clear();
    status = consumer_->Consume(timeout_ms, 10000, messages);
    if (status.ok() && !failure_.ok()) status = failure_;
    if (!status.ok()) break;
    for (size_t i = 0; i < messages.size() && status.ok(); ++i) {
      status = HandleMessage(messages, i);
      if (!status.ok()) break;
      // The writer's end is looked for every 1,024 messages, not only once per poll of up to
      // 10,000: in a catch-up the writer waited 10-80 ms for its next batch after most batches.
      if (batch_events_ >= options_.max_events_per_batch ||
          ((i & 1023) == 1023 && BackToBackDue())) {
        status = CommitBatch(false);
      }
    }
    if (!status.ok()) break;
    if (messages.size() > 0) idle_.Touch(Clock::now());
    // With --until-idle the run ends with what is there: once a poll finds nothing more and every
    // partition has been read to its end, the open batch has nothing to wait for.
    const bool drained = options_.until_idle_seconds > 0 && messages.size() == 0 &&
                         batch_events_ > 0 && ReadToTheEnd();
    if (batch_events_ > 0 &&
        (Clock::now() >= batch_started_ + options_.trigger ||
         batch_events_ >= options_.max_events_per_batch || drained || BackToBackDue())) {
      status = CommitBatch(/*wait=*/false);
    } else if (writer_.Finished()) {
      // Offsets to the group and latency as soon as a batch is durable.
      status = CollectWrites(/*all=*/false);
    } else if (!writer_.Busy() && writer_.RollDue()) {
      status = CommitBatch(/*wait=*/false);  // files due by the roll interval, without new lines
    }
    if (!status.ok()) break;
    if (progress.Due(Clock::now())) {
      ReportProgress();
      progress.MarkDone(Clock::now());
    }
    if (publish.Due(Clock::now())) {
      PublishMetrics();
      publish.MarkDone(Clock::now());
    }
    if (options_.until_idle_seconds > 0) {
      // Idle time counts from the first assignment: joining the group is not idleness.
      if (!assigned_at_) {
        if (SecondsSince(started) > options_.assignment_timeout_seconds) {
          status = Status::KafkaError(fmt::format(
              "no partitions of {} assigned within {} s: is Kafka reachable at {} and does the "
              "topic exist?",
              options_.topic, options_.assignment_timeout_seconds,
              options_.kafka.bootstrap_servers));
          break;
        }
      } else if (batch_events_ == 0 && idle_.Expired(Clock::now())) {
        break;
      }
    }
  }
  // Clean stop: the open batch is committed and the open files published before leaving the
  // group, and the log compacted into the snapshots. After a failure nothing more is written;
  // the checkpoint still marks where to resume.
  if (status.ok()) status = CommitBatch(/*wait=*/true, /*publish_all=*/true);
  if (status.ok() && writes_allowed_) status = log_.Close();
  if (!status.ok()) {
    writes_allowed_ = false;
    // A batch already on its way is finished (or fails) before we leave: no write stays half-done
    // behind a clean exit, and its error, if any, is not lost.
    ClosedBatch ignored;
    while (writer_.Busy()) (void)writer_.Wait(ignored);
  }
  (void)consumer_->Close();
  if (status.ok() && !failure_.ok()) status = failure_;
  summary_.elapsed_seconds = SecondsSince(started);
  if (metrics_) metrics_->Publish(summary_, {});
  return status;
}

}  // namespace

Status RunProcessor(const ProcessorOptions& options, ProcessorSummary& summary) {
  Processor processor(options, summary);
  return processor.Run();
}

}  // namespace orderflow::stream

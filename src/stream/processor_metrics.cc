#include "stream/processor_metrics.h"

#include <string>

#include "stream/processor.h"

namespace orderflow::stream {
namespace {

constexpr char kEvents[] = "orderflow_processor_events_total";
constexpr char kEventsHelp[] = "Messages routed by the processor, by outcome (valid or invalid).";
constexpr char kInvalid[] = "orderflow_processor_invalid_events_total";
constexpr char kInvalidHelp[] = "Invalid messages by invalid_reason.";
constexpr char kBatch[] = "orderflow_processor_batch_duration_seconds";
constexpr char kBatchHelp[] =
    "Time to publish one micro-batch: output files written and renamed, checkpoint committed.";
constexpr char kE2e[] = "orderflow_processor_end_to_end_latency_seconds";
constexpr char kE2eHelp[] =
    "From event_time_ms (when the event was produced) to the commit of the batch holding it.";
constexpr char kVisible[] = "orderflow_processor_visible_latency_seconds";
constexpr char kVisibleHelp[] =
    "From event_time_ms to the publication (rename into place) of the file holding the event.";
constexpr char kCommits[] = "orderflow_processor_checkpoint_commits_total";
constexpr char kCommitsHelp[] = "Micro-batches committed to the checkpoint log.";
constexpr char kLag[] = "orderflow_processor_consumer_lag";
constexpr char kLagHelp[] =
    "Messages not yet checkpointed per assigned partition: high watermark - checkpointed offset.";
constexpr char kLastCommit[] = "orderflow_processor_last_commit_timestamp_seconds";
constexpr char kLastCommitHelp[] = "Unix time of the last checkpoint commit (0 before the first).";

}  // namespace

ProcessorMetrics::ProcessorMetrics(metrics::MetricsRegistry& registry) : registry_(registry) {
  // Present from the start, so that rate() and alerts see the series before the first event.
  registry_.GetCounter(kEvents, kEventsHelp, {{"outcome", "valid"}});
  registry_.GetCounter(kEvents, kEventsHelp, {{"outcome", "invalid"}});
  registry_.GetCounter(kCommits, kCommitsHelp);
  registry_.GetGauge(kLastCommit, kLastCommitHelp);
  registry_.GetHistogram(kBatch, kBatchHelp, metrics::LatencySecondsBuckets());
  registry_.GetHistogram(kE2e, kE2eHelp, metrics::LatencySecondsBuckets());
  registry_.GetHistogram(kVisible, kVisibleHelp, metrics::LatencySecondsBuckets());
  invalid_.reserve(64);
}

void ProcessorMetrics::Publish(const ProcessorSummary& summary,
                               const std::map<int32_t, int64_t>& lag) {
  registry_.GetCounter(kEvents, kEventsHelp, {{"outcome", "valid"}}).Set(summary.valid);
  registry_.GetCounter(kEvents, kEventsHelp, {{"outcome", "invalid"}}).Set(summary.invalid);
  for (const auto& [reason, n] : invalid_) {
    registry_.GetCounter(kInvalid, kInvalidHelp, {{"reason", std::string(reason)}}).Set(n);
  }
  metrics::Counter& commits = registry_.GetCounter(kCommits, kCommitsHelp);
  if (summary.batches > commits.value()) {
    registry_.GetGauge(kLastCommit, kLastCommitHelp)
        .Set(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                 .count());
  }
  commits.Set(summary.batches);
  registry_.GetHistogram(kBatch, kBatchHelp, metrics::LatencySecondsBuckets())
      .SetFromMillis(batch_ms_);
  registry_.GetHistogram(kE2e, kE2eHelp, metrics::LatencySecondsBuckets())
      .SetFromMillis(summary.e2e_ms);
  registry_.GetHistogram(kVisible, kVisibleHelp, metrics::LatencySecondsBuckets())
      .SetFromMillis(summary.visible_ms);
  for (const auto& [partition, value] : published_lag_) {
    if (!lag.contains(partition))
      registry_.Remove(kLag, {{"partition", std::to_string(partition)}});
  }
  for (const auto& [partition, value] : lag) {
    registry_.GetGauge(kLag, kLagHelp, {{"partition", std::to_string(partition)}})
        .Set(static_cast<double>(value));
  }
  published_lag_ = lag;
}

}  // namespace orderflow::stream

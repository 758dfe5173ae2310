#include "monitor/tracker.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "common/clock.h"
#include "common/idle_timer.h"
#include "common/periodic_report.h"
#include "common/stop_flag.h"
#include "event/event_validator.h"
#include "kafka/consumer.h"

namespace orderflow::monitor {
namespace {

// Lag of `group` on every partition: high watermark - committed offset (the whole partition
// when the group has committed nothing). Each broker request waits up to `timeout_ms`.
Status MeasureLag(kafka::Consumer& lag_reader, const TrackerOptions& options,
                  TrackerSummary& summary, int timeout_ms = 5000) {
  auto count = lag_reader.PartitionCount(options.topic, timeout_ms);
  if (!count.ok()) return count.status();
  std::vector<int32_t> partitions;
  for (int32_t p = 0; p < *count; ++p) partitions.push_back(p);
  auto committed = lag_reader.Committed(options.topic, partitions, timeout_ms);
  if (!committed.ok()) return committed.status();
  int64_t total = 0;
  for (const kafka::PartitionOffset& c : *committed) {
    auto marks = lag_reader.QueryWatermarks(options.topic, c.partition, timeout_ms);
    if (!marks.ok()) return marks.status();
    const int64_t from = c.offset >= 0 ? c.offset : marks->low;
    const int64_t lag = std::max<int64_t>(marks->high - from, 0);
    summary.lag_by_partition[c.partition] = lag;
    total += lag;
  }
  summary.lag = total;
  return Status::Ok();
}

void PrintLine(std::string_view tag, TrackerSummary& s, const TrackerOptions& options) {
  s.elapsed_seconds = SecondsSince(options.started);
  const std::string line = TrackerLine(tag, s);
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

// A raw JSON token as the original printed the decoded value: strings without their quotes,
// None when absent.
std::string_view Shown(std::string_view raw) {
  if (raw.empty()) return "None";
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    return raw.substr(1, raw.size() - 2);
  }
  return raw;
}

void PublishMetrics(metrics::MetricsRegistry& registry, const TrackerOptions& options,
                    const TrackerSummary& s) {
  registry.GetCounter("orderflow_tracker_events_total", "Messages read by the tracker.")
      .Set(s.processed);
  registry
      .GetCounter("orderflow_tracker_errors_total",
                  "Consumer errors and messages that are not JSON objects.")
      .Set(s.errors);
  registry.GetCounter("orderflow_tracker_commits_total", "Offset commits of the tracker's group.")
      .Set(s.commits);
  registry
      .GetHistogram("orderflow_tracker_end_to_end_latency_seconds",
                    "From event_time_ms to the moment the tracker read the event.",
                    metrics::LatencySecondsBuckets())
      .SetFromMillis(s.e2e_ms);
  for (const auto& [partition, lag] : s.lag_by_partition) {
    registry
        .GetGauge("orderflow_tracker_consumer_lag",
                  "Lag of the --lag-group per partition: high watermark - committed offset.",
                  {{"group", options.lag_group}, {"partition", std::to_string(partition)}})
        .Set(static_cast<double>(lag));
  }
}

Result<kafka::Consumer> CreateTrackerConsumer(const TrackerOptions& options) {
  return kafka::Consumer::Create(
      options.kafka, options.group_id,
      {{"enable.auto.commit", "false"},
       {"auto.offset.reset", options.from_earliest ? "earliest" : "latest"},
       {"session.timeout.ms", "6000"},
       {"heartbeat.interval.ms", "500"},
       // The tracker measures latency: don't add fetch waits.
       {"fetch.wait.max.ms", "10"}},
      nullptr);
}

// One run of the tracker over its two consumers: the read loop and the state it carries from
// one batch to the next (commit count, idleness, the next progress line and metrics publish).
class TrackerLoop {
 public:
  TrackerLoop(const TrackerOptions& options, kafka::Consumer& consumer, kafka::Consumer& lag_reader,
              TrackerSummary& summary)
      : options_(options),
        consumer_(consumer),
        lag_reader_(lag_reader),
        summary_(summary),
        report_(options.report_every_seconds, Clock::now()),
        publish_(options.metrics ? 1.0 : 0.0, Clock::now()),
        idle_(options.until_idle_seconds) {}
  TrackerLoop(const TrackerLoop&) = delete;
  TrackerLoop& operator=(const TrackerLoop&) = delete;

  // Reads until a signal, --until-idle or a consumer failure (returned).
  Status Run() {
    if (options_.metrics) PublishMetrics(*options_.metrics, options_, summary_);
    Status status;
    while (!StopRequested()) {
      batch_.Clear();
      status = consumer_.Consume(100, 10000, batch_);
      if (!status.ok()) break;
      CountBatch();
      PrintProgressIfDue();
      PublishMetricsIfDue();
      if (IdleLongEnough()) break;
    }
    return status;
  }

  // Commits what is left, closes the consumer and takes the final figures into the summary.
  void Finish() {
    if (since_commit_ > 0) Commit();
    (void)consumer_.Close();
    // Stopped by a signal, the last lag figure is worth a short wait, not a long one: if the
    // cluster is gone (stopped before the tracker), the summary keeps the last lag measured.
    UpdateLag(StopRequested() ? 1000 : 5000);
    summary_.elapsed_seconds = SecondsSince(options_.started);
    if (options_.metrics) PublishMetrics(*options_.metrics, options_, summary_);
  }

 private:
  void CountBatch() {
    const int64_t now_ms = WallMillis();
    for (size_t i = 0; i < batch_.size(); ++i) CountMessage(batch_[i], now_ms);
    if (batch_.size() == 0) return;
    if (options_.print_events) std::fflush(stdout);
    last_message_ = Clock::now();
    idle_.Touch(last_message_);
    summary_.active_seconds = std::chrono::duration<double>(last_message_ - first_message_).count();
  }

  void CountMessage(const kafka::Message& m, int64_t now_ms) {
    if (m.error != kafka::kNoError) {
      if (kafka::ClassifyError(m.error) != kafka::ErrorKind::kBenign) {  // not end of partition
        ++summary_.errors;
        spdlog::warn("[tracker] consumer: {}", kafka::ErrorString(m.error));
      }
      return;
    }
    if (summary_.processed == 0) first_message_ = Clock::now();
    ++summary_.processed;
    const event::Validation& v = parser_.Validate(m.value);
    if (!v.parsed_object) ++summary_.errors;
    if (v.event_time_ms > 0) summary_.e2e_ms.Record(static_cast<double>(now_ms - v.event_time_ms));
    if (options_.print_events) {
      const std::string line = EventLine(m.offset, m.partition, v);
      std::fputs(line.c_str(), stdout);
    }
    if (++since_commit_ >= options_.commit_every && options_.commit_every > 0) Commit();
  }

  void Commit() {
    if (Status s = consumer_.CommitConsumed(); !s.ok()) spdlog::warn("[tracker] {}", s.message());
    ++summary_.commits;
    since_commit_ = 0;
  }

  void UpdateLag(int timeout_ms = 5000) {
    if (Status s = MeasureLag(lag_reader_, options_, summary_, timeout_ms); !s.ok())
      spdlog::warn("[tracker] lag: {}", s.message());
  }

  void PrintProgressIfDue() {
    if (!report_.Due(Clock::now())) return;
    UpdateLag();
    PrintLine("", summary_, options_);
    report_.MarkDone(Clock::now());
  }

  void PublishMetricsIfDue() {
    if (!publish_.Due(Clock::now())) return;
    UpdateLag();
    PublishMetrics(*options_.metrics, options_, summary_);
    publish_.MarkDone(Clock::now());
  }

  bool IdleLongEnough() {
    if (!idle_.enabled()) return false;
    // Idle time counts from the first assignment: joining the group is not idleness.
    if (!idle_.started()) {
      if (!consumer_.Assignment().empty()) idle_.Start(Clock::now());
      return false;
    }
    return idle_.Expired(Clock::now());
  }

  const TrackerOptions& options_;
  kafka::Consumer& consumer_;
  kafka::Consumer& lag_reader_;
  TrackerSummary& summary_;
  event::EventValidator parser_;
  kafka::MessageBatch batch_;
  uint64_t since_commit_ = 0;
  Clock::time_point first_message_ = Clock::now();
  Clock::time_point last_message_ = Clock::now();
  PeriodicReport report_;
  PeriodicReport publish_;
  IdleTimer idle_;
};

}  // namespace

std::string TrackerLine(std::string_view tag, const TrackerSummary& s) {
  return fmt::format(
      "[tracker]{} processed={} errors={} throughput_eps={:.1f} active_eps={:.1f} "
      "avg_end_to_end_latency_ms={:.2f} p50_end_to_end_latency_ms={:.2f} "
      "p99_end_to_end_latency_ms={:.2f} commits={} lag={} elapsed_s={:.2f}\n",
      tag, s.processed, s.errors, s.throughput_eps(), s.active_eps(), s.e2e_ms.mean(),
      s.e2e_ms.Quantile(0.5), s.e2e_ms.Quantile(0.99), s.commits, s.lag, s.elapsed_seconds);
}

std::string EventLine(int64_t offset, int32_t partition, const event::Validation& v) {
  auto field = [&](int index) {
    return v.parsed_object ? Shown(v.raw[index]) : std::string_view("None");
  };
  return fmt::format("[consumer][event] offset={} partition={} order_id={} item={} quantity={}\n",
                     offset, partition, field(event::FindField("order_id")),
                     field(event::FindField("item")), field(event::kQuantityField));
}

Status RunTracker(const TrackerOptions& options, TrackerSummary& summary) {
  auto consumer = CreateTrackerConsumer(options);
  if (!consumer.ok()) return consumer.status();
  auto lag_reader = kafka::Consumer::Create(options.kafka, options.lag_group, {}, nullptr);
  if (!lag_reader.ok()) return lag_reader.status();
  if (Status s = consumer->Subscribe(options.topic); !s.ok()) return s;
  summary.started = true;
  TrackerLoop loop(options, *consumer, *lag_reader, summary);
  const Status status = loop.Run();
  loop.Finish();
  return status;
}

}  // namespace orderflow::monitor

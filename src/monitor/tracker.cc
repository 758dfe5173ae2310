#include "monitor/tracker.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "common/clock.h"
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
  auto consumer =
      kafka::Consumer::Create(options.kafka, options.group_id,
                              {{"enable.auto.commit", "false"},
                               {"auto.offset.reset", options.from_earliest ? "earliest" : "latest"},
                               {"session.timeout.ms", "6000"},
                               {"heartbeat.interval.ms", "500"},
                               // The tracker measures latency: don't add fetch waits.
                               {"fetch.wait.max.ms", "10"}},
                              nullptr);
  if (!consumer.ok()) return consumer.status();
  auto lag_reader = kafka::Consumer::Create(options.kafka, options.lag_group, {}, nullptr);
  if (!lag_reader.ok()) return lag_reader.status();
  if (Status s = consumer->Subscribe(options.topic); !s.ok()) return s;

  event::EventValidator parser;
  kafka::MessageBatch batch;
  Status status;
  uint64_t since_commit = 0;
  bool assigned = false;
  auto last_activity = Clock::now();
  auto last_report = Clock::now();
  auto last_publish = Clock::now();
  if (options.metrics) PublishMetrics(*options.metrics, options, summary);
  auto first_message = Clock::now();
  auto last_message = Clock::now();
  while (!StopRequested()) {
    batch.Clear();
    status = consumer->Consume(100, 10000, batch);
    if (!status.ok()) break;
    const int64_t now_ms = WallMillis();
    for (size_t i = 0; i < batch.size(); ++i) {
      const kafka::Message m = batch[i];
      if (m.error != kafka::kNoError) {
        if (kafka::ClassifyError(m.error) != kafka::ErrorKind::kBenign) {  // not end of partition
          ++summary.errors;
          spdlog::warn("[tracker] consumer: {}", kafka::ErrorString(m.error));
        }
        continue;
      }
      if (summary.processed == 0) first_message = Clock::now();
      ++summary.processed;
      const event::Validation& v = parser.Validate(m.value);
      if (!v.parsed_object) ++summary.errors;
      if (v.event_time_ms > 0) summary.e2e_ms.Record(static_cast<double>(now_ms - v.event_time_ms));
      if (options.print_events) {
        const std::string line = EventLine(m.offset, m.partition, v);
        std::fputs(line.c_str(), stdout);
      }
      if (++since_commit >= options.commit_every && options.commit_every > 0) {
        if (Status s = consumer->CommitConsumed(); !s.ok())
          spdlog::warn("[tracker] {}", s.message());
        ++summary.commits;
        since_commit = 0;
      }
    }
    if (batch.size() > 0) {
      if (options.print_events) std::fflush(stdout);
      last_activity = last_message = Clock::now();
      summary.active_seconds = std::chrono::duration<double>(last_message - first_message).count();
    }
    if (options.report_every_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_report).count() >=
            options.report_every_seconds) {
      if (Status s = MeasureLag(*lag_reader, options, summary); !s.ok())
        spdlog::warn("[tracker] lag: {}", s.message());
      PrintLine("", summary, options);
      last_report = Clock::now();
    }
    if (options.metrics && Clock::now() - last_publish >= std::chrono::seconds(1)) {
      if (Status s = MeasureLag(*lag_reader, options, summary); !s.ok())
        spdlog::warn("[tracker] lag: {}", s.message());
      PublishMetrics(*options.metrics, options, summary);
      last_publish = Clock::now();
    }
    if (options.until_idle_seconds > 0) {
      // Idle time counts from the first assignment: joining the group is not idleness.
      if (!assigned) {
        assigned = !consumer->Assignment().empty();
        if (assigned) last_activity = Clock::now();
      } else if (std::chrono::duration<double>(Clock::now() - last_activity).count() >=
                 options.until_idle_seconds) {
        break;
      }
    }
  }
  if (since_commit > 0) {
    if (Status s = consumer->CommitConsumed(); !s.ok()) spdlog::warn("[tracker] {}", s.message());
    ++summary.commits;
  }
  (void)consumer->Close();
  // Stopped by a signal, the last lag figure is worth a short wait, not a long one: if the
  // cluster is gone (stopped before the tracker), the summary keeps the last lag measured.
  if (Status s = MeasureLag(*lag_reader, options, summary, StopRequested() ? 1000 : 5000);
      !s.ok()) {
    spdlog::warn("[tracker] lag: {}", s.message());
  }
  summary.elapsed_seconds = SecondsSince(options.started);
  if (options.metrics) PublishMetrics(*options.metrics, options, summary);
  PrintLine("[summary]", summary, options);
  return status;
}

}  // namespace orderflow::monitor

#include "produce/event_producer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

#include "common/clock.h"
#include "common/stop_flag.h"
#include "kafka/producer.h"

namespace orderflow::produce {
namespace {

using kafka::DeliveryStats;
using kafka::Producer;

// Each acknowledged message's latency, for the lines and the metrics.
class AckLatency final : public kafka::DeliveryListener {
 public:
  void OnAcked(double ack_ms) override { ack_ms_.Record(ack_ms); }
  const metrics::LatencyHistogram& ack_ms() const { return ack_ms_; }

 private:
  metrics::LatencyHistogram ack_ms_;
};

// Every message gets its full delivery timeout (a Kafka node restarting can hold acks for tens
// of seconds); once a stop is requested, 30 s more at most. Flushes in short slices so a stop
// request that arrives meanwhile is seen.
Status FlushPatiently(Producer& producer) {
  using std::chrono::milliseconds;
  constexpr milliseconds kAfterStop{30000};
  bool stopping = StopRequested();
  auto deadline =
      Clock::now() + (stopping ? kAfterStop : milliseconds(producer.DeliveryTimeoutMs() + 5000));
  const auto started = Clock::now();
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (producer.Flush(static_cast<int>(std::clamp<int64_t>(left.count(), 0, 500))).ok())
      return Status::Ok();
    if (Clock::now() >= deadline) {
      return Status::KafkaError(
          fmt::format("flush: {} messages still undelivered after {:.0f} s", producer.InFlight(),
                      std::chrono::duration<double>(Clock::now() - started).count()));
    }
    if (!stopping && StopRequested()) {
      stopping = true;
      deadline = std::min(deadline, Clock::now() + kAfterStop);
    }
  }
}

// One line in the original's style. `interval_eps` < 0 leaves that key out (the summary).
void PrintLine(std::string_view role, const char* tag, uint64_t sent_ok, uint64_t sent_error,
               const metrics::LatencyHistogram& ack_ms, double elapsed, double interval_eps) {
  std::string line =
      fmt::format("[{}]{} sent_ok={} sent_error={} throughput_eps={:.1f}", role, tag, sent_ok,
                  sent_error, elapsed > 0 ? static_cast<double>(sent_ok) / elapsed : 0.0);
  if (interval_eps >= 0) line += fmt::format(" interval_eps={:.1f}", interval_eps);
  line += fmt::format(" avg_ack_ms={:.2f} p99_ack_ms={:.2f} elapsed_s={:.2f}\n", ack_ms.mean(),
                      ack_ms.Quantile(0.99), elapsed);
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

// Copies the delivery totals into the registry, labelled kind="valid" or kind="invalid".
void PublishMetrics(metrics::MetricsRegistry& registry, bool invalid, uint64_t enqueued,
                    const DeliveryStats& stats, const metrics::LatencyHistogram& ack_ms,
                    uint64_t undelivered = 0) {
  const metrics::Labels kind = {{"kind", invalid ? "invalid" : "valid"}};
  registry
      .GetCounter("orderflow_producer_events_sent_total",
                  "Events handed to the Kafka client (enqueued for delivery).", kind)
      .Set(static_cast<double>(enqueued));
  registry
      .GetCounter("orderflow_producer_events_acked_total",
                  "Events acknowledged by the cluster (acks=all).", kind)
      .Set(static_cast<double>(stats.sent_ok));
  registry
      .GetCounter("orderflow_producer_events_failed_total",
                  "Events whose delivery failed after the client's retries.", kind)
      .Set(static_cast<double>(stats.sent_error + undelivered));
  registry
      .GetHistogram("orderflow_producer_ack_latency_seconds",
                    "From enqueue to the delivery report.", metrics::LatencySecondsBuckets(), kind)
      .SetFromMillis(ack_ms);
}

}  // namespace

Status RunEventProducer(const ProducerOptions& options, ProducerSummary& summary) {
  AckLatency acks;  // outlives the producer, whose destructor still serves delivery reports
  auto producer = Producer::Create(options.kafka, options.topic,
                                   {
                                       {"acks", "all"},
                                       {"enable.idempotence", "true"},
                                       {"linger.ms", "5"},
                                       {"batch.num.messages", "10000"},
                                       {"batch.size", "1000000"},
                                       // Compressed batches are smaller on the wire and stay
                                       // longer within the cluster's retention.
                                       {"compression.type", "lz4"},
                                       {"queue.buffering.max.messages", "1000000"},
                                   },
                                   &acks);
  if (!producer.ok()) return producer.status();

  const int64_t start_ms = WallMillis();
  event::EventGenerator generator(options.seed, options.profile, start_ms,
                                  event::LocalUtcOffsetSeconds(start_ms / 1000));
  event::Random mode_rng(options.seed ^ 0x5DEECE66DULL);
  event::OrderEvent order;
  std::string json;
  json.reserve(1024);

  const bool invalid = !options.invalid_modes.empty();
  const std::string_view role = invalid ? "producer_invalid" : "producer";
  // The pacing schedule starts here; the printed rates count from options.started.
  const auto started = Clock::now();
  auto last_report = started;
  auto last_publish = started;
  if (options.metrics) {
    PublishMetrics(*options.metrics, invalid, 0, producer->stats(), acks.ack_ms());
  }
  uint64_t last_report_ok = 0;
  Status status;
  const auto keep_trying = [] { return !StopRequested(); };
  for (;;) {
    if (StopRequested()) break;
    if (options.max_events > 0 && summary.enqueued >= options.max_events) break;
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - started).count();
    if (options.duration_seconds > 0 && elapsed >= options.duration_seconds) break;

    // Pacing: send what the schedule says is due by now, then sleep a little. Bursts are
    // bounded so a slow moment is caught up smoothly, not in one spike.
    uint64_t due = 1024;
    if (options.events_per_second > 0) {
      const auto target = static_cast<uint64_t>(elapsed * options.events_per_second) + 1;
      due = target > summary.enqueued ? std::min<uint64_t>(target - summary.enqueued, 4096) : 0;
    }
    if (options.max_events > 0) due = std::min(due, options.max_events - summary.enqueued);
    int64_t now_ms = 0;
    for (uint64_t i = 0; i < due && status.ok(); ++i) {
      // Reading the clock for every event costs more than building it at full speed; every
      // 32 events keeps event_time_ms within a fraction of a millisecond.
      if ((i & 31) == 0) now_ms = WallMillis();
      generator.Next(now_ms, order);
      event::InvalidMode mode = event::InvalidMode::kNone;
      uint64_t variant = 0;
      if (invalid) {
        const auto& modes = options.invalid_modes;
        mode = modes.size() == 1 ? modes[0] : modes[mode_rng.Below(modes.size())];
        variant = mode_rng.Next();
      }
      event::EncodeEvent(order, json, mode, variant);
      status = producer->Produce(order.OrderId(), json, keep_trying);
      if (status.ok()) ++summary.enqueued;
    }
    if (!status.ok()) break;
    if (due == 0) {
      producer->Poll(0);
      const double wait_s =
          (static_cast<double>(summary.enqueued) / options.events_per_second) - elapsed;
      std::this_thread::sleep_for(std::chrono::duration<double>(std::clamp(wait_s, 0.0001, 0.05)));
    } else {
      producer->Poll(0);
    }
    if (options.report_every_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_report).count() >=
            options.report_every_seconds) {
      const double interval = std::chrono::duration<double>(Clock::now() - last_report).count();
      const auto& stats = producer->stats();
      // throughput_eps: since the command started, as the original; interval_eps: since the
      // previous line.
      PrintLine(role, "", stats.sent_ok, stats.sent_error, acks.ack_ms(),
                SecondsSince(options.started),
                static_cast<double>(stats.sent_ok - last_report_ok) / interval);
      last_report = Clock::now();
      last_report_ok = stats.sent_ok;
    }
    if (options.metrics && Clock::now() - last_publish >= std::chrono::seconds(1)) {
      PublishMetrics(*options.metrics, invalid, summary.enqueued, producer->stats(), acks.ack_ms());
      last_publish = Clock::now();
    }
  }
  if (status.ok() || StopRequested()) {
    if (Status flushed = FlushPatiently(*producer); !flushed.ok() && status.ok()) status = flushed;
  }
  // Whatever is still undelivered now (the flush timed out, or the client failed) is given
  // up: purged, so it is never sent later, and counted as sent_error by its delivery report.
  producer->PurgeUndelivered(5000);
  const auto& stats = producer->stats();
  // Events the client never reported on (if the purge itself failed) are undelivered too.
  const uint64_t reported = stats.sent_ok + stats.sent_error;
  const uint64_t unreported = summary.enqueued > reported ? summary.enqueued - reported : 0;
  if (options.metrics) {
    PublishMetrics(*options.metrics, invalid, summary.enqueued, stats, acks.ack_ms(), unreported);
  }
  summary.sent_ok = stats.sent_ok;
  summary.sent_error = stats.sent_error + unreported;
  summary.ack_ms = acks.ack_ms();
  summary.elapsed_seconds = SecondsSince(options.started);
  summary.throughput_eps = summary.elapsed_seconds > 0
                               ? static_cast<double>(summary.sent_ok) / summary.elapsed_seconds
                               : 0;
  PrintLine(role, "[summary]", summary.sent_ok, summary.sent_error, summary.ack_ms,
            summary.elapsed_seconds, -1);
  if (status.ok() && summary.sent_error > 0) {
    status = Status::KafkaError(fmt::format("{} events failed delivery (last error: {})",
                                            summary.sent_error, stats.last_error));
  }
  if (status.ok()) status = producer->FatalError();
  return status;
}

}  // namespace orderflow::produce

#include "kafka/event_producer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "common/clock.h"
#include "common/stop_flag.h"
#include "kafka/producer.h"

namespace orderflow::kafka {
namespace {


void PrintLine(const char* tag, const DeliveryStats& stats, double elapsed, double eps) {
  std::printf("[producer]%s sent_ok=%llu sent_error=%llu throughput_eps=%.1f avg_ack_ms=%.2f "
              "p99_ack_ms=%.2f elapsed_s=%.2f\n",
              tag, static_cast<unsigned long long>(stats.sent_ok),
              static_cast<unsigned long long>(stats.sent_error), eps, stats.ack_ms.mean(),
              stats.ack_ms.Quantile(0.99), elapsed);
  std::fflush(stdout);
}

// Copies the delivery totals into the registry, labelled kind="valid" or kind="invalid".
void PublishMetrics(monitor::MetricsRegistry& registry, bool invalid, uint64_t enqueued,
                    const DeliveryStats& stats) {
  const monitor::Labels kind = {{"kind", invalid ? "invalid" : "valid"}};
  registry.GetCounter("orderflow_producer_events_sent_total",
                      "Events handed to the Kafka client (enqueued for delivery).", kind)
      .Set(static_cast<double>(enqueued));
  registry.GetCounter("orderflow_producer_events_acked_total",
                      "Events acknowledged by the cluster (acks=all).", kind)
      .Set(static_cast<double>(stats.sent_ok));
  registry.GetCounter("orderflow_producer_events_failed_total",
                      "Events whose delivery failed after the client's retries.", kind)
      .Set(static_cast<double>(stats.sent_error));
  registry.GetHistogram("orderflow_producer_ack_latency_seconds",
                        "From enqueue to the delivery report.", monitor::LatencySecondsBuckets(), kind)
      .SetFromMillis(stats.ack_ms);
}

}  // namespace

Status RunEventProducer(const ProducerOptions& options, ProducerSummary& summary) {
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
                                   });
  if (!producer.ok()) return producer.status();

  const int64_t start_ms = WallMillis();
  event::EventGenerator generator(options.seed, options.profile, start_ms,
                                  event::LocalUtcOffsetSeconds(start_ms / 1000));
  event::Random mode_rng(options.seed ^ 0x5DEECE66DULL);
  event::OrderEvent order;
  std::string json;
  json.reserve(1024);

  const auto started = Clock::now();
  auto last_report = started;
  auto last_publish = started;
  if (options.metrics) PublishMetrics(*options.metrics, options.invalid, 0, producer->stats());
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
      if (options.invalid) {
        const auto modes = event::AllInvalidModes();
        mode = options.invalid_mode ? *options.invalid_mode : modes[mode_rng.Below(modes.size())];
        variant = mode_rng.Next();
      }
      event::EncodeEvent(order, json, mode, variant);
      status = producer->Produce(order.OrderId(), json, keep_trying);
      if (status.ok()) ++summary.enqueued;
    }
    if (!status.ok()) break;
    if (due == 0) {
      producer->Poll(0);
      const double wait_s = (static_cast<double>(summary.enqueued) / options.events_per_second) - elapsed;
      std::this_thread::sleep_for(std::chrono::duration<double>(std::clamp(wait_s, 0.0001, 0.05)));
    } else {
      producer->Poll(0);
    }
    if (options.report_every_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_report).count() >= options.report_every_seconds) {
      const double interval = std::chrono::duration<double>(Clock::now() - last_report).count();
      const auto& stats = producer->stats();
      PrintLine("", stats, std::chrono::duration<double>(Clock::now() - started).count(),
                static_cast<double>(stats.sent_ok - last_report_ok) / interval);
      last_report = Clock::now();
      last_report_ok = stats.sent_ok;
    }
    if (options.metrics && Clock::now() - last_publish >= std::chrono::seconds(1)) {
      PublishMetrics(*options.metrics, options.invalid, summary.enqueued, producer->stats());
      last_publish = Clock::now();
    }
  }
  if (status.ok() || StopRequested()) {
    // Every message gets its full delivery timeout (a Kafka node restarting can hold acks for
    // tens of seconds); after a stop request, 30 s at most.
    const int flush_ms = StopRequested() ? 30000 : producer->DeliveryTimeoutMs() + 5000;
    if (Status flushed = producer->Flush(flush_ms); !flushed.ok() && status.ok()) status = flushed;
  }
  const auto& stats = producer->stats();
  if (options.metrics) PublishMetrics(*options.metrics, options.invalid, summary.enqueued, stats);
  summary.sent_ok = stats.sent_ok;
  summary.sent_error = stats.sent_error;
  summary.ack_ms = stats.ack_ms;
  summary.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  summary.throughput_eps = summary.elapsed_seconds > 0 ? stats.sent_ok / summary.elapsed_seconds : 0;
  PrintLine("[summary]", stats, summary.elapsed_seconds, summary.throughput_eps);
  if (status.ok() && stats.sent_error > 0) {
    status = Status::KafkaError(fmt::format("{} events failed delivery (last error: {})",
                                            stats.sent_error, stats.last_error));
  }
  if (status.ok()) status = producer->FatalError();
  return status;
}

}  // namespace orderflow::kafka

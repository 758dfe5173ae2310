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
#include "common/periodic_report.h"
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

// The periodic line in the original's style, plus interval_eps.
void PrintProgressLine(std::string_view role, const DeliveryStats& stats,
                       const metrics::LatencyHistogram& ack_ms, double elapsed,
                       double interval_eps) {
  const std::string line = fmt::format(
      "[{}] sent_ok={} sent_error={} throughput_eps={:.1f} interval_eps={:.1f} avg_ack_ms={:.2f} "
      "p99_ack_ms={:.2f} elapsed_s={:.2f}\n",
      role, stats.sent_ok, stats.sent_error,
      elapsed > 0 ? static_cast<double>(stats.sent_ok) / elapsed : 0.0, interval_eps, ack_ms.mean(),
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

Result<Producer> CreateProducer(const ProducerOptions& options, AckLatency& acks) {
  return Producer::Create(options.kafka, options.topic,
                          {
                              {"acks", "all"},
                              {"enable.idempotence", "true"},
                              {"linger.ms", "5"},
                              {"batch.num.messages", "10000"},
                              {"batch.size", "1000000"},
                              // Compressed batches are smaller on the wire and stay longer
                              // within the cluster's retention.
                              {"compression.type", "lz4"},
                              {"queue.buffering.max.messages", "1000000"},
                          },
                          &acks);
}

event::EventGenerator MakeGenerator(const ProducerOptions& options) {
  const int64_t start_ms = WallMillis();
  return event::EventGenerator(options.seed, options.profile, start_ms,
                               event::LocalUtcOffsetSeconds(start_ms / 1000));
}

// One run of the producer: the paced send loop, and the state it carries from one round to
// the next (the generator, the next progress line and metrics publish).
class ProducerLoop {
 public:
  ProducerLoop(const ProducerOptions& options, Producer& producer, const AckLatency& acks,
               ProducerSummary& summary)
      : options_(options),
        producer_(producer),
        acks_(acks),
        summary_(summary),
        invalid_(!options.invalid_modes.empty()),
        role_(invalid_ ? "producer_invalid" : "producer"),
        generator_(MakeGenerator(options)),
        mode_rng_(options.seed ^ 0x5DEECE66DULL),
        // The pacing schedule starts here; the printed rates count from options.started.
        started_(Clock::now()),
        report_(options.report_every_seconds, started_),
        publish_(options.metrics ? 1.0 : 0.0, started_) {
    json_.reserve(1024);
  }
  ProducerLoop(const ProducerLoop&) = delete;
  ProducerLoop& operator=(const ProducerLoop&) = delete;

  // Sends until the duration, the event count or a stop signal; a failure to enqueue is
  // returned.
  Status Run() {
    if (options_.metrics)
      PublishMetrics(*options_.metrics, invalid_, 0, producer_.stats(), acks_.ack_ms());
    for (;;) {
      const double elapsed = SecondsSince(started_);
      if (Finished(elapsed)) return Status::Ok();
      const uint64_t due = EventsDue(elapsed);
      if (Status s = SendEvents(due); !s.ok()) return s;
      producer_.Poll(0);
      if (due == 0) WaitForTheSchedule(elapsed);
      PrintProgressIfDue();
      PublishMetricsIfDue();
    }
  }

  // Flushes (unless the client failed), gives up what is still undelivered, fills the summary
  // and returns the run's outcome given Run()'s `status`.
  Status Finish(Status status) {
    if (status.ok() || StopRequested()) {
      if (Status flushed = FlushPatiently(producer_); !flushed.ok() && status.ok())
        status = flushed;
    }
    TakeFinalFigures();
    if (status.ok() && summary_.sent_error > 0) {
      status = Status::KafkaError(fmt::format("{} events failed delivery (last error: {})",
                                              summary_.sent_error, producer_.stats().last_error));
    }
    if (status.ok()) status = producer_.FatalError();
    return status;
  }

 private:
  bool Finished(double elapsed) const {
    if (StopRequested()) return true;
    if (options_.max_events > 0 && summary_.enqueued >= options_.max_events) return true;
    return options_.duration_seconds > 0 && elapsed >= options_.duration_seconds;
  }

  // Pacing: what the schedule says is due by now. Bursts are bounded so a slow moment is
  // caught up smoothly, not in one spike.
  uint64_t EventsDue(double elapsed) const {
    uint64_t due = 1024;
    if (options_.events_per_second > 0) {
      const auto target = static_cast<uint64_t>(elapsed * options_.events_per_second) + 1;
      due = target > summary_.enqueued ? std::min<uint64_t>(target - summary_.enqueued, 4096) : 0;
    }
    if (options_.max_events > 0) due = std::min(due, options_.max_events - summary_.enqueued);
    return due;
  }

  Status SendEvents(uint64_t count) {
    const auto keep_trying = [] { return !StopRequested(); };
    int64_t now_ms = 0;
    for (uint64_t i = 0; i < count; ++i) {
      // Reading the clock for every event costs more than building it at full speed; every
      // 32 events keeps event_time_ms within a fraction of a millisecond.
      if ((i & 31) == 0) now_ms = WallMillis();
      EncodeNextEvent(now_ms);
      if (Status s = producer_.Produce(order_.OrderId(), json_, keep_trying); !s.ok()) return s;
      ++summary_.enqueued;
    }
    return Status::Ok();
  }

  void EncodeNextEvent(int64_t now_ms) {
    generator_.Next(now_ms, order_);
    event::InvalidMode mode = event::InvalidMode::kNone;
    uint64_t variant = 0;
    if (invalid_) {
      const auto& modes = options_.invalid_modes;
      mode = modes.size() == 1 ? modes[0] : modes[mode_rng_.Below(modes.size())];
      variant = mode_rng_.Next();
    }
    event::EncodeEvent(order_, json_, mode, variant);
  }

  // Nothing was due: waits until about the next event, a little at a time. Whole milliseconds
  // are waited in the client's poll, which serves each delivery report as it arrives (a sleep
  // would leave it waiting, and the ack latency would count our sleep: 50 ms at 1 event/s).
  void WaitForTheSchedule(double elapsed) {
    const double wait_s =
        std::clamp((static_cast<double>(summary_.enqueued) / options_.events_per_second) - elapsed,
                   0.0001, 0.05);
    if (wait_s >= 0.001) {
      producer_.Poll(static_cast<int>(wait_s * 1000));
    } else {
      std::this_thread::sleep_for(std::chrono::duration<double>(wait_s));
    }
  }

  void PrintProgressIfDue() {
    if (!report_.Due(Clock::now())) return;
    const double interval = report_.SecondsSinceLast(Clock::now());
    const DeliveryStats& stats = producer_.stats();
    // throughput_eps: since the command started, as the original; interval_eps: since the
    // previous line.
    PrintProgressLine(role_, stats, acks_.ack_ms(), SecondsSince(options_.started),
                      static_cast<double>(stats.sent_ok - last_report_ok_) / interval);
    report_.MarkDone(Clock::now());
    last_report_ok_ = stats.sent_ok;
  }

  void PublishMetricsIfDue() {
    if (!publish_.Due(Clock::now())) return;
    PublishMetrics(*options_.metrics, invalid_, summary_.enqueued, producer_.stats(),
                   acks_.ack_ms());
    publish_.MarkDone(Clock::now());
  }

  // Whatever is still undelivered now (the flush timed out, or the client failed) is given
  // up: purged, so it is never sent later, and counted as sent_error by its delivery report.
  void TakeFinalFigures() {
    producer_.PurgeUndelivered(5000);
    const DeliveryStats& stats = producer_.stats();
    // Events the client never reported on (if the purge itself failed) are undelivered too.
    const uint64_t reported = stats.sent_ok + stats.sent_error;
    const uint64_t unreported = summary_.enqueued > reported ? summary_.enqueued - reported : 0;
    if (options_.metrics) {
      PublishMetrics(*options_.metrics, invalid_, summary_.enqueued, stats, acks_.ack_ms(),
                     unreported);
    }
    summary_.sent_ok = stats.sent_ok;
    summary_.sent_error = stats.sent_error + unreported;
    summary_.ack_ms = acks_.ack_ms();
    summary_.elapsed_seconds = SecondsSince(options_.started);
    summary_.active_seconds = SecondsSince(started_);
    summary_.throughput_eps = summary_.elapsed_seconds > 0
                                  ? static_cast<double>(summary_.sent_ok) / summary_.elapsed_seconds
                                  : 0;
  }

  const ProducerOptions& options_;
  Producer& producer_;
  const AckLatency& acks_;
  ProducerSummary& summary_;
  const bool invalid_;
  const std::string_view role_;
  event::EventGenerator generator_;
  event::Random mode_rng_;
  event::OrderEvent order_;
  std::string json_;
  const Clock::time_point started_;
  PeriodicReport report_;
  PeriodicReport publish_;
  uint64_t last_report_ok_ = 0;
};

}  // namespace

Status RunEventProducer(const ProducerOptions& options, ProducerSummary& summary) {
  AckLatency acks;  // outlives the producer, whose destructor still serves delivery reports
  auto producer = CreateProducer(options, acks);
  if (!producer.ok()) return producer.status();
  summary.started = true;
  ProducerLoop loop(options, *producer, acks, summary);
  return loop.Finish(loop.Run());
}

}  // namespace orderflow::produce

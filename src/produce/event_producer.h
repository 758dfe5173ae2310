// The synthetic order producer (`orderflow produce`): generates contract events (or invalid
// ones) at a controlled rate and sends them keyed by order_id with an idempotent producer,
// printing the original tool's progress line every --report-every-seconds:
//   [producer] sent_ok=N sent_error=N throughput_eps=F interval_eps=F avg_ack_ms=F p99_ack_ms=F
//   elapsed_s=F
// ([producer_invalid] for the invalid-event producer). throughput_eps = sent_ok / seconds since
// the command started (the original's cumulative average); interval_eps = acknowledged events
// per second since the previous line. The summary line is the command's to print, from
// ProducerSummary. One thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "event/event_encoder.h"
#include "event/generator.h"
#include "kafka/kafka_settings.h"
#include "metrics/latency_histogram.h"
#include "metrics/metrics_registry.h"

namespace orderflow::produce {

struct ProducerOptions {
  kafka::KafkaSettings kafka;
  std::string topic = "orders";
  double events_per_second = 10;  // 0 = as fast as possible ("max")
  double duration_seconds = 0;    // 0 = no limit
  uint64_t max_events = 0;        // 0 = no limit
  double report_every_seconds = 5;
  // Empty: valid events. Otherwise the invalid-event producer: each event is broken by a mode
  // drawn uniformly from these (event::ParseInvalidModeChoice), and the lines are tagged
  // [producer_invalid] as the original producer_invalid.py tagged them.
  std::span<const event::InvalidMode> invalid_modes;
  uint64_t seed = 0;
  event::Profile profile = event::Profile::kUniform;
  // When the command started: throughput_eps counts from here (the original's figure).
  Clock::time_point started = Clock::now();
  // When set, metrics are published here about once a second (docs/metrics.md).
  metrics::MetricsRegistry* metrics = nullptr;
};

struct ProducerSummary {
  // False when RunEventProducer failed before sending (the client could not be created): no
  // figures, and the command prints no summary line.
  bool started = false;
  // sent_error includes the events still undelivered when the producer gave up (flush timed
  // out, or a fatal error): they are purged, never sent later.
  uint64_t sent_ok = 0, sent_error = 0, enqueued = 0;
  double elapsed_seconds = 0;  // since options.started
  double throughput_eps = 0;   // sent_ok / elapsed_seconds
  // From the client's creation to the last delivery report (the flush): the send phase alone,
  // as a plain librdkafka program times it (bench/librdkafka_producer_ceiling).
  double active_seconds = 0;
  double active_eps() const {
    return active_seconds > 0 ? static_cast<double>(sent_ok) / active_seconds : 0;
  }
  metrics::LatencyHistogram ack_ms;
};

// Runs until the duration, the event count or a stop signal, then flushes (up to 30 s).
// Fills `summary` whenever the client started (summary.started). KafkaError when deliveries
// failed or the client failed.
Status RunEventProducer(const ProducerOptions& options, ProducerSummary& summary);

}  // namespace orderflow::produce

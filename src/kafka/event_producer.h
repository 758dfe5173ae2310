// The synthetic order producer (`orderflow produce`): generates contract events (or invalid
// ones) at a controlled rate and sends them keyed by order_id with an idempotent producer,
// printing the original tool's progress and summary figures. One thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "event/event_encoder.h"
#include "event/generator.h"
#include "kafka/kafka_settings.h"
#include "monitor/latency_histogram.h"
#include "monitor/metrics_registry.h"

namespace orderflow::kafka {

struct ProducerOptions {
  KafkaSettings kafka;
  std::string topic = "orders";
  double events_per_second = 10;  // 0 = as fast as possible ("max")
  double duration_seconds = 0;    // 0 = no limit
  uint64_t max_events = 0;        // 0 = no limit
  double report_every_seconds = 5;
  bool invalid = false;                 // the invalid-event producer
  std::optional<event::InvalidMode> invalid_mode;  // nullopt with invalid = "random"
  uint64_t seed = 0;
  event::Profile profile = event::Profile::kUniform;
  // When set, metrics are published here about once a second (docs/metrics.md).
  monitor::MetricsRegistry* metrics = nullptr;
};

struct ProducerSummary {
  uint64_t sent_ok = 0, sent_error = 0, enqueued = 0;
  double elapsed_seconds = 0;
  double throughput_eps = 0;  // acknowledged events per second
  monitor::LatencyHistogram ack_ms;
};

// Runs until the duration, the event count or a stop signal, then flushes (up to 30 s).
// Fills `summary` in every case. KafkaError when deliveries failed or the client failed.
Status RunEventProducer(const ProducerOptions& options, ProducerSummary& summary);

}  // namespace orderflow::kafka

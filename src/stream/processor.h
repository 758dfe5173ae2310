// The stream processor (`orderflow process`): consumes a topic in a consumer group in
// micro-batches, validates and routes every message, and writes exactly-once JSON Lines files
// with Spark-style checkpoints (docs/checkpoint_format.md):
//   1. append each partition's lines to its open part file (one per output, hidden name),
//   2. sync them together with one commit record per partition in this processor's commit log
//      (the commit point: one round of syncs whatever the number of partitions),
//   3. publish the files whose roll is due (rename to names derived from partition, first and
//      last offset), then commit the offsets to the Kafka group (for lag tools).
// On restart or when a partition moves to another instance, its open file is cut back to its
// last commit and renames a commit promised are finished, so each message lands in exactly one
// output once. Called from one thread; steps 1-3 of a batch run on a writer thread
// (stream/batch_writer.h) while the next batch is consumed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/data_layout.h"
#include "common/file_system.h"
#include "common/status.h"
#include "kafka/kafka_settings.h"
#include "metrics/latency_histogram.h"
#include "metrics/metrics_registry.h"
#include "stream/output_files.h"

namespace orderflow::stream {

struct ProcessorOptions {
  kafka::KafkaSettings kafka;
  std::string topic = "orders";
  std::string group_id = "orderflow-processor";
  std::string data_dir = data_layout::kDefaultDataDir;  // its folders: common/data_layout.h
  OutputLayout output;  // --compression, --partition-by (stream/output_files.h)
  std::chrono::milliseconds trigger{1000};
  bool start_from_earliest = false;  // --starting-offsets, used only without a checkpoint
  bool fail_on_data_loss = true;
  // Stop after this long without a new message (0: run until a signal). Waiting for the writer
  // to finish a batch is not idleness: on a slow disk the backlog still waits in Kafka.
  double until_idle_seconds = 0;
  // With until_idle_seconds: fail (KafkaError) when no partition is assigned this soon.
  double assignment_timeout_seconds = 60;
  double report_every_seconds = 5;
  uint64_t max_events_per_batch = 200000;
  // When a partition's open output file is published (docs/output_format.md): after this long
  // (0: with the batch that wrote it, a file per batch), or once either of its files holds
  // roll_bytes; always on a clean stop and when the partition is revoked.
  std::chrono::milliseconds roll_interval{0};
  uint64_t roll_bytes = uint64_t{128} << 20;
  FileSystem* fs = &FileSystem::Default();
  // When set, metrics are published here about once a second (docs/metrics.md).
  metrics::MetricsRegistry* metrics = nullptr;
};

struct ProcessorSummary {
  uint64_t processed = 0, valid = 0, invalid = 0, batches = 0;
  double active_seconds = 0;  // first message to the last batch's durable commit
  // Time the writer had a batch (appending it or committing it; batches that overlap count once).
  double commit_seconds = 0;
  double sync_seconds = 0;  // of commit_seconds, waiting for the commit points' syncs
  double elapsed_seconds = 0;
  // event_time_ms -> the batch holding the event is durable (its commit): p50/p99_e2e_ms.
  metrics::LatencyHistogram e2e_ms;
  // event_time_ms -> the file holding the event is published (renamed into place, visible to
  // readers): p50/p99_visible_ms. With roll_interval 0 about e2e_ms; with rolled files up to the
  // roll interval more.
  metrics::LatencyHistogram visible_ms;
  // The original's figure: messages over the seconds since the command started.
  double throughput_eps() const { return elapsed_seconds > 0 ? processed / elapsed_seconds : 0; }
  // The steady rate: messages from the first message to the last batch commit.
  double active_eps() const { return active_seconds > 0 ? processed / active_seconds : 0; }
};

// Runs until a stop signal, --until-idle, or a failure. Prints periodic progress lines to
// stdout; fills `summary` in every case. InvalidArgument for bad configuration (exit 2),
// DataLoss when retention removed unprocessed messages, IoError when output cannot be written,
// KafkaError for fatal client errors (exit 1). No checkpoint advances past unwritten output.
Status RunProcessor(const ProcessorOptions& options, ProcessorSummary& summary);

}  // namespace orderflow::stream

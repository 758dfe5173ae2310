// The one place where librdkafka's error codes are sorted into what the caller does next (like
// redpanda's Kafka client errors.h, and kcat's rules: queue full -> poll and retry; retriable ->
// log and carry on; fatal -> stop cleanly and exit non-zero). Code outside src/kafka sees an
// error only as an opaque ErrorCode and acts on its ErrorKind; librdkafka's names stay in here.
// Stateless: safe for concurrent use.
#pragma once

#include <string>

#include "common/status.h"

namespace orderflow::kafka {

// A librdkafka error code (rd_kafka_resp_err_t), kept opaque: kNoError, the client's own codes
// (end of partition, transport, queue full, ...) and the Kafka protocol's.
enum class ErrorCode : int {};
inline constexpr ErrorCode kNoError{};

enum class ErrorKind {
  kNone,              // kNoError
  kBenign,            // nothing is wrong (end of a partition, no offsets to commit): carry on
  kRetriable,         // a leader moved, a broker or coordinator is away, a request timed out:
                      // the same call shortly after is expected to work; librdkafka retries
                      // its own requests, so a consumer or producer just logs and carries on
  kRebalance,         // the group is rebalancing or this member's generation is gone: a commit
                      // is lost, and the next one after the re-join carries the same positions
  kOffsetOutOfRange,  // the fetch position is not in the log (retention removed it, or the
                      // topic was recreated): data loss, for the caller to report or skip
  kQueueFull,         // the producer's local queue is full: serve delivery reports, then retry
  kFatal,             // the client cannot go on (e.g. idempotence violated): stop cleanly and
                      // exit non-zero; the client's fatal-error text says why
  kOther,             // anything else: the call that got it failed
};

// What `code` means for the caller. Every code has exactly one kind.
ErrorKind ClassifyError(ErrorCode code);

// librdkafka's one-line description ("Broker: Not leader for partition"), for logs and Status
// messages. Never null; unknown codes get a generic text.
const char* ErrorString(ErrorCode code);
// librdkafka's symbolic name without its prefix ("NOT_LEADER_FOR_PARTITION", "_TRANSPORT").
const char* ErrorName(ErrorCode code);

// An admin request's per-topic or per-group result as a Status: OK for kNoError, AlreadyExists
// for a topic that exists, NotFound for a missing topic or group, InvalidArgument when the
// cluster rejects the partitions, the replication factor or a setting, KafkaError otherwise.
// `message` is the whole text of the Status.
Status AdminResultStatus(ErrorCode code, std::string message);

}  // namespace orderflow::kafka

#include "kafka/kafka_errors.h"

#include <librdkafka/rdkafka.h>

#include <utility>

namespace orderflow::kafka {
namespace {

rd_kafka_resp_err_t Raw(ErrorCode code) { return static_cast<rd_kafka_resp_err_t>(code); }

}  // namespace

ErrorKind ClassifyError(ErrorCode code) {
  switch (Raw(code)) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return ErrorKind::kNone;
    case RD_KAFKA_RESP_ERR__PARTITION_EOF:
    case RD_KAFKA_RESP_ERR__NO_OFFSET:
      return ErrorKind::kBenign;
    // Asking again shortly is expected to work: a leader moved, a broker is back, metadata was
    // stale. UNKNOWN_TOPIC_OR_PART is here because a client's metadata can lag a new topic or a
    // moved partition (an admin call that asks for a topic by name reads it as NotFound).
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      return ErrorKind::kRetriable;
    case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
    case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
      return ErrorKind::kRebalance;
    // With auto.offset.reset=error the consumer reports a position off the log as
    // _AUTO_OFFSET_RESET; a broker may also answer OFFSET_OUT_OF_RANGE directly.
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
      return ErrorKind::kOffsetOutOfRange;
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
      return ErrorKind::kQueueFull;
    case RD_KAFKA_RESP_ERR__FATAL:
      return ErrorKind::kFatal;
    default:
      return ErrorKind::kOther;
  }
}

const char* ErrorString(ErrorCode code) { return rd_kafka_err2str(Raw(code)); }

const char* ErrorName(ErrorCode code) { return rd_kafka_err2name(Raw(code)); }

Status AdminResultStatus(ErrorCode code, std::string message) {
  switch (Raw(code)) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return Status::Ok();
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return Status::AlreadyExists(std::move(message));
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND:
      return Status::NotFound(std::move(message));
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::KafkaError(std::move(message));
  }
}

}  // namespace orderflow::kafka

#include "kafka/kafka_errors.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <initializer_list>
#include <string>

namespace orderflow::kafka {
namespace {

ErrorCode Code(rd_kafka_resp_err_t err) { return static_cast<ErrorCode>(err); }

void ExpectKind(ErrorKind kind, std::initializer_list<rd_kafka_resp_err_t> errs) {
  for (rd_kafka_resp_err_t err : errs) {
    EXPECT_EQ(ClassifyError(Code(err)), kind) << rd_kafka_err2name(err);
  }
}

TEST(KafkaErrorsTest, NoErrorIsNone) {
  EXPECT_EQ(Code(RD_KAFKA_RESP_ERR_NO_ERROR), kNoError);
  EXPECT_EQ(ClassifyError(kNoError), ErrorKind::kNone);
}

TEST(KafkaErrorsTest, EndOfPartitionAndNothingToCommitAreBenign) {
  ExpectKind(ErrorKind::kBenign, {RD_KAFKA_RESP_ERR__PARTITION_EOF, RD_KAFKA_RESP_ERR__NO_OFFSET});
}

TEST(KafkaErrorsTest, LeaderMovesAndBrokerOutagesAreRetriable) {
  ExpectKind(ErrorKind::kRetriable,
             {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
              RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
              RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
              RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR__TRANSPORT,
              RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN});
}

TEST(KafkaErrorsTest, StaleGroupMembershipIsRebalance) {
  ExpectKind(ErrorKind::kRebalance,
             {RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
              RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID});
}

TEST(KafkaErrorsTest, PositionOffTheLogIsOffsetOutOfRange) {
  ExpectKind(ErrorKind::kOffsetOutOfRange,
             {RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE});
}

TEST(KafkaErrorsTest, FullQueueAndFatalErrorsHaveKindsOfTheirOwn) {
  ExpectKind(ErrorKind::kQueueFull, {RD_KAFKA_RESP_ERR__QUEUE_FULL});
  ExpectKind(ErrorKind::kFatal, {RD_KAFKA_RESP_ERR__FATAL});
}

TEST(KafkaErrorsTest, EverythingElseIsOther) {
  ExpectKind(ErrorKind::kOther,
             {RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
              RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__PURGE_QUEUE,
              RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS, RD_KAFKA_RESP_ERR_INVALID_CONFIG});
  EXPECT_EQ(ClassifyError(static_cast<ErrorCode>(123456)), ErrorKind::kOther);
}

TEST(KafkaErrorsTest, DescribesEveryCodeIncludingUnknownOnes) {
  EXPECT_STREQ(ErrorName(Code(RD_KAFKA_RESP_ERR__PARTITION_EOF)), "_PARTITION_EOF");
  EXPECT_STREQ(ErrorString(Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)),
               rd_kafka_err2str(RD_KAFKA_RESP_ERR__QUEUE_FULL));
  ASSERT_NE(ErrorString(static_cast<ErrorCode>(123456)), nullptr);
  EXPECT_NE(std::string(ErrorString(static_cast<ErrorCode>(123456))), "");
}

TEST(KafkaErrorsTest, AdminResultsBecomeTheStatusTheCommandsExpect) {
  EXPECT_TRUE(AdminResultStatus(kNoError, "unused").ok());
  const Status exists =
      AdminResultStatus(Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS), "t: exists");
  EXPECT_TRUE(exists.IsAlreadyExists());
  EXPECT_EQ(exists.message(), "t: exists");
  EXPECT_TRUE(AdminResultStatus(Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART), "m").IsNotFound());
  EXPECT_TRUE(AdminResultStatus(Code(RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND), "m").IsNotFound());
  for (rd_kafka_resp_err_t err :
       {RD_KAFKA_RESP_ERR_INVALID_PARTITIONS, RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR,
        RD_KAFKA_RESP_ERR_INVALID_CONFIG, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION,
        RD_KAFKA_RESP_ERR_POLICY_VIOLATION}) {
    EXPECT_EQ(AdminResultStatus(Code(err), "m").ExitCode(), 2) << rd_kafka_err2name(err);
  }
  const Status other = AdminResultStatus(Code(RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP), "g: busy");
  EXPECT_EQ(other.code(), Status::Code::kKafkaError);
  EXPECT_EQ(other.ExitCode(), 1);
}

}  // namespace
}  // namespace orderflow::kafka

#include "cli/failure.h"

#include <gtest/gtest.h>

namespace orderflow::cli {
namespace {

TEST(ReportFailureTest, PrintsOneLineAndReturnsTheContractsExitCode) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(ReportFailure("process", Status::InvalidArgument("--trigger x: bad")), 2);
  EXPECT_EQ(ReportFailure("report", Status::NotFound("no input: data/orders_json")), 1);
  EXPECT_EQ(ReportFailure("demo", Status::Aborted("tracker exited with 1")), 1);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "orderflow process: --trigger x: bad\n"
            "orderflow report: no input: data/orders_json\n"
            "orderflow demo: tracker exited with 1\n");
}

TEST(FailureTallyTest, KeepsTheHighestExitCodeAndReportsEach) {
  FailureTally tally("demo");
  EXPECT_FALSE(tally.failed());
  EXPECT_EQ(tally.exit_code(), 0);
  testing::internal::CaptureStderr();
  tally.Report(Status::Aborted("producer exited with 1"));
  tally.Report(Status::InvalidArgument("bad flag"));
  tally.Report(Status::KafkaError("broker gone"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "orderflow demo: producer exited with 1\norderflow demo: bad flag\n"
            "orderflow demo: broker gone\n");
  EXPECT_TRUE(tally.failed());
  EXPECT_EQ(tally.exit_code(), 2);
}

}  // namespace
}  // namespace orderflow::cli

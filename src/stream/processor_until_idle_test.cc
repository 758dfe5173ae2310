// --until-idle on the real processor against an in-process cluster: a run that ends with what
// is there closes its last batch once every partition is read to its end, without waiting for
// the rest of its trigger, and still writes every message exactly once.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "kafka/embedded_cluster.h"
#include "stream/processor.h"
#include "stream/processor_test_orders.h"

namespace orderflow::stream {
namespace {

TEST(ProcessorUntilIdleTest, TheLastBatchClosesOnceEveryPartitionIsReadToItsEnd) {
  constexpr int kMessages = 500;
  auto cluster = kafka::EmbeddedCluster::Start(1);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  ASSERT_TRUE(cluster->CreateTopic("orders", 3, 1).ok());
  const kafka::KafkaSettings settings{cluster->bootstrap_servers(), {}};
  const TestOrders orders = ProduceTestOrders(settings, "orders", 13, kMessages);
  ASSERT_FALSE(::testing::Test::HasFailure());

  const std::string data_dir = NewTempDir("untilidle");
  ASSERT_FALSE(data_dir.empty());
  ProcessorOptions options = TestProcessorOptions(settings, data_dir);
  // A trigger far longer than the run takes (a group join and the idle second): before, the last
  // batch waited for it, and --until-idle counts only once no batch is open (~64 s).
  options.trigger = std::chrono::seconds(60);

  ProcessorSummary summary;
  const Status status = RunProcessor(options, summary);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(summary.processed, static_cast<uint64_t>(kMessages));
  EXPECT_LT(summary.elapsed_seconds, 45) << "the last batch waited for its trigger";

  ExpectEveryOrderOnce(data_dir, orders);
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(data_dir);
}

}  // namespace
}  // namespace orderflow::stream

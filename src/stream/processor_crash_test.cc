// Crash recovery of the real processor, with a file layer that dies after N operations and
// then loses every rename and file creation whose directory was not fsynced (leveldb's
// fault_injection_test). Each run consumes from an in-process embedded cluster, crashes at a
// different operation (an append to a part file, a commit record, a rename that publishes a
// file, the directory sync after it), and the next run recovers. At the end every message must
// be in exactly one output exactly once.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "common/fault_injection_file_system.h"
#include "kafka/embedded_cluster.h"
#include "stream/processor.h"
#include "stream/processor_test_orders.h"

namespace orderflow::stream {
namespace {

using Op = FaultInjectionFileSystem::Op;

constexpr int kMessages = 900;

const char* OpName(Op op) {
  switch (op) {
    case Op::kWrite:
      return "write";
    case Op::kRename:
      return "rename";
    case Op::kSyncDir:
      return "directory sync";
    case Op::kRemove:
      return "remove";
    case Op::kCreateDirs:
      return "mkdir";
    case Op::kNone:
      break;
  }
  return "nothing";
}

TEST(ProcessorCrashTest, RecoversExactlyOnceFromCrashesThatLoseUnsyncedRenames) {
  auto cluster = kafka::EmbeddedCluster::Start(1);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  ASSERT_TRUE(cluster->CreateTopic("orders", 2, 1).ok());
  const kafka::KafkaSettings settings{cluster->bootstrap_servers(), {}};

  // Every tenth message is invalid (with an order_id, so both outputs can be checked by id).
  const TestOrders orders = ProduceTestOrders(settings, "orders", 5, kMessages);
  ASSERT_FALSE(::testing::Test::HasFailure());

  const std::string data_dir = NewTempDir("crash");
  ASSERT_FALSE(data_dir.empty());
  FaultInjectionFileSystem fs(FileSystem::Default());
  ProcessorOptions options = TestProcessorOptions(settings, data_dir);
  options.trigger = std::chrono::milliseconds(5);
  options.max_events_per_batch = 40;  // many small batches: many crash windows
  options.fs = &fs;

  // A batch (a file per batch here: ProcessorOptions' roll_interval is 0) costs a few operations:
  // appends to its part files and their syncs, the commit record, the renames that publish the
  // files and the directory syncs that make them durable. These points land in each kind.
  std::set<Op> crashed_in;
  size_t runs_that_lost_renames = 0;
  // Which operation the Nth is depends on how the messages fall into batches, which depends on
  // timing (a sanitizer build is slower): go further while a kind has not been hit.
  auto covered = [&] {
    return crashed_in.count(Op::kWrite) && crashed_in.count(Op::kRename) &&
           crashed_in.count(Op::kSyncDir) && runs_that_lost_renames > 0;
  };
  std::vector<uint64_t> points = {3, 6, 9, 13, 17, 22};
  for (size_t i = 0; i < points.size(); ++i) {
    const uint64_t crash_after = points[i];
    fs.CrashAfter(crash_after);
    ProcessorSummary summary;
    const Status status = RunProcessor(options, summary);
    if (fs.crashed()) {
      EXPECT_FALSE(status.ok()) << "a dead file system must stop the processor";
      crashed_in.insert(fs.crashed_at());
      std::printf("crash after %llu operations, in a %s, %zu unsynced renames lost\n",
                  static_cast<unsigned long long>(crash_after), OpName(fs.crashed_at()),
                  fs.unsynced_renames());
    }
    if (fs.unsynced_renames() > 0) ++runs_that_lost_renames;
    ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
    if (i + 1 == points.size() && points.size() < 16 && !covered()) {
      points.push_back(crash_after + 4);
    }
  }
  EXPECT_TRUE(crashed_in.count(Op::kWrite) && crashed_in.count(Op::kRename) &&
              crashed_in.count(Op::kSyncDir))
      << "the crash points no longer cover writes, renames and directory syncs";
  EXPECT_GT(runs_that_lost_renames, 0u) << "no crash lost an unsynced rename";

  ProcessorSummary summary;
  const Status status = RunProcessor(options, summary);
  ASSERT_TRUE(status.ok()) << status.message();

  ExpectEveryOrderOnce(data_dir, orders);
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(data_dir);
}

}  // namespace
}  // namespace orderflow::stream

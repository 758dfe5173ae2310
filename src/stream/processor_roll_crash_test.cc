// Crash recovery of the real processor with rolled output files (--roll-interval, --roll-size):
// the same fault-injecting file layer as processor_crash_test.cc, but a crash at many operations
// of a run, in turn, each followed by a power loss (everything not synced is lost: appends,
// renames, new files). Files stay open across batches and roll by size, so crashes land in
// appends to open files, in the commit record synced together with the lines (the layer runs
// the record first: a crash then leaves a record whose lines are gone), in renames of rolled
// files and in the recovery of a previous crash. At the end every message must be in exactly one
// output exactly once.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/data_layout.h"
#include "common/fault_injection_file_system.h"
#include "kafka/embedded_cluster.h"
#include "stream/processor.h"
#include "stream/processor_test_orders.h"

namespace orderflow::stream {
namespace {

using Op = FaultInjectionFileSystem::Op;

// Produces 1,200 messages (every tenth invalid) to a 2-partition topic, crashes the processor at
// each of `points` operations in turn, each crash followed by a power loss, then runs it to the
// end and checks that every message is in exactly one output exactly once.
void CrashAtEveryPoint(const OutputLayout& layout, const std::vector<uint64_t>& points) {
  constexpr int kMessages = 1200;
  auto cluster = kafka::EmbeddedCluster::Start(1);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  ASSERT_TRUE(cluster->CreateTopic("orders", 2, 1).ok());
  const kafka::KafkaSettings settings{cluster->bootstrap_servers(), {}};
  const TestOrders orders = ProduceTestOrders(settings, "orders", 9, kMessages);
  ASSERT_FALSE(::testing::Test::HasFailure());

  const std::string data_dir = NewTempDir("rollcrash");
  ASSERT_FALSE(data_dir.empty());
  FaultInjectionFileSystem fs(FileSystem::Default());
  ProcessorOptions options = TestProcessorOptions(settings, data_dir);
  options.trigger = std::chrono::milliseconds(5);
  options.max_events_per_batch = 30;
  options.roll_interval = std::chrono::minutes(10);
  options.roll_bytes = 16 * 1024;  // about 40 valid lines: files roll every few batches
  options.output = layout;
  options.fs = &fs;

  // Every operation of the first ones (setup, first batches, the recovery of the last crash),
  // then spread further into runs that have more to recover and more files to roll.
  std::map<Op, int> crashed_in;
  int lost_renames = 0;
  for (uint64_t crash_after : points) {
    fs.CrashAfter(crash_after);
    ProcessorSummary summary;
    const Status status = RunProcessor(options, summary);
    std::printf("crash_after %llu: %s, %llu processed\n",
                static_cast<unsigned long long>(crash_after),
                fs.crashed() ? "crashed" : "ran to the end",
                static_cast<unsigned long long>(summary.processed));
    if (fs.crashed()) {
      EXPECT_FALSE(status.ok()) << "a dead file system must stop the processor";
      ++crashed_in[fs.crashed_at()];
      lost_renames += fs.unsynced_renames() > 0;
    } else {
      EXPECT_TRUE(status.ok()) << status.message();
    }
    ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
  }
  std::printf(
      "[%s%s] crashes: %d in writes (data, appends, syncs), %d in renames, %d in directory "
      "syncs, %d in removals, %d in mkdirs; %d lost unsynced renames\n",
      CompressionName(layout.compression).data(),
      layout.partition_by_purchase_date ? ", by purchase_date" : "", crashed_in[Op::kWrite],
      crashed_in[Op::kRename], crashed_in[Op::kSyncDir], crashed_in[Op::kRemove],
      crashed_in[Op::kCreateDirs], lost_renames);
  EXPECT_GT(crashed_in[Op::kWrite], 0);
  EXPECT_GT(crashed_in[Op::kRename], 0);
  EXPECT_GT(crashed_in[Op::kSyncDir], 0);

  ProcessorSummary summary;
  const Status status = RunProcessor(options, summary);
  ASSERT_TRUE(status.ok()) << status.message();
  ExpectEveryOrderOnce(data_dir, orders);
  // Everything published on the clean stop: no open file left, and every file of the layout.
  for (const std::string& dir :
       {data_layout::ValidDir(data_dir), data_layout::InvalidDir(data_dir)}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory()) {
        EXPECT_TRUE(layout.partition_by_purchase_date &&
                    data_layout::ParsePartitionDirName(name).has_value())
            << entry.path();
        continue;
      }
      EXPECT_TRUE(data_layout::IsOutputFileName(name)) << entry.path();
      EXPECT_EQ(data_layout::CompressionOfFileName(name), layout.compression) << entry.path();
    }
  }
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(data_dir);
}

TEST(ProcessorCrashTest, RolledFilesLoseAndDuplicateNothingWhateverOperationACrashHits) {
  // Every operation of the first ones (setup, first batches, the recovery of the last crash),
  // then spread further into runs that have more to recover and more files to roll.
  std::vector<uint64_t> points;
  for (uint64_t n = 1; n <= 24; ++n) points.push_back(n);
  for (uint64_t n = 30; n <= 120; n += 15) points.push_back(n);
  CrashAtEveryPoint({}, points);
}

// The same with gzip members appended to files in date folders: a partition's set has a file per
// folder, each cut back to its own committed length after a crash, each member whole.
TEST(ProcessorCrashTest, RolledGzipFilesInDateFoldersLoseAndDuplicateNothingAfterCrashes) {
  std::vector<uint64_t> points;
  for (uint64_t n = 2; n <= 44; n += 3) points.push_back(n);
  for (uint64_t n : {60, 90, 120, 150, 180, 250, 400, 600, 900}) points.push_back(n);
  CrashAtEveryPoint({Compression::kGzip, /*partition_by_purchase_date=*/true}, points);
}

}  // namespace
}  // namespace orderflow::stream

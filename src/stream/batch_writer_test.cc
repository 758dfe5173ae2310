#include "stream/batch_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/fault_injection_file_system.h"

namespace orderflow::stream {
namespace {

class BatchWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-writer-XXXXXX";
    root_ = mkdtemp(tmpl);
    for (const char* dir : {"/valid", "/invalid", "/ckpt"})
      std::filesystem::create_directories(root_ + dir);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // A batch for partition 3, offsets 10-12: one line the router built, one written from an
  // external buffer (as from a held Kafka message), one invalid line.
  ClosedBatch SampleBatch() {
    ClosedBatch batch;
    ClosedPartition& p = batch.partitions.emplace_back();
    p.partition = 3;
    p.first = 10;
    p.last = 12;
    p.content.events = 3;
    p.content.valid = "{\"built\":1}\n";
    p.content.valid_pieces.push_back({nullptr, 0, p.content.valid.size()});
    p.content.valid_pieces.push_back({external_.data(), 0, external_.size()});
    p.content.invalid = "{\"json_str\":\"x\"}\n";
    return batch;
  }
  std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string root_;
  std::string external_ = "{\"held\":2}";
};

TEST_F(BatchWriterTest, WritesBothFilesThenCommitsTheCheckpoint) {
  CheckpointStore store(FileSystem::Default(), root_ + "/ckpt");
  BatchWriter writer(FileSystem::Default(), store, root_ + "/valid", root_ + "/invalid");
  EXPECT_FALSE(writer.Busy());
  writer.Submit(SampleBatch());
  EXPECT_TRUE(writer.Busy());
  ClosedBatch done;
  ASSERT_TRUE(writer.Wait(done).ok());
  EXPECT_FALSE(writer.Busy());
  const std::string name = "/part-00003-0000000000000000010-0000000000000000012.json";
  EXPECT_EQ(Read(root_ + "/valid" + name), "{\"built\":1}\n{\"held\":2}\n");
  EXPECT_EQ(Read(root_ + "/invalid" + name), "{\"json_str\":\"x\"}\n");
  EXPECT_EQ(store.Load(3).value(), PartitionCheckpoint{13});
  ASSERT_EQ(done.partitions.size(), 1u);
  EXPECT_EQ(done.partitions[0].content.events, 3u);  // handed back for the caller's bookkeeping
  EXPECT_GT(done.durable_at_ms, 0);
}

TEST_F(BatchWriterTest, BatchesAreWrittenInOrderOneAtATime) {
  CheckpointStore store(FileSystem::Default(), root_ + "/ckpt");
  BatchWriter writer(FileSystem::Default(), store, root_ + "/valid", root_ + "/invalid");
  for (int64_t first = 0; first < 50; first += 5) {
    ClosedBatch batch = SampleBatch();
    batch.partitions[0].first = first;
    batch.partitions[0].last = first + 4;
    writer.Submit(std::move(batch));
    ClosedBatch done;
    ASSERT_TRUE(writer.Wait(done).ok());
    EXPECT_EQ(store.Load(3).value(), PartitionCheckpoint{first + 5});
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_ + "/valid"), {}), 10);
}

TEST_F(BatchWriterTest, AFailedWriteLeavesTheIntentAndReportsTheError) {
  FaultInjectionFileSystem fs(FileSystem::Default());
  CheckpointStore store(fs, root_ + "/ckpt");
  BatchWriter writer(fs, store, root_ + "/valid", root_ + "/invalid");
  // The intent (write + rename + directory sync) succeeds, then the valid file's write fails.
  fs.CrashAfter(3);
  writer.Submit(SampleBatch());
  ClosedBatch done;
  const Status status = writer.Wait(done);
  EXPECT_FALSE(status.ok());
  ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
  // The checkpoint still names the unfinished range, so a restart replays it.
  EXPECT_EQ(store.Load(3).value(), (PartitionCheckpoint{10, true, 10, 12}));
}

TEST_F(BatchWriterTest, StoppingWithABatchSubmittedFinishesItFirst) {
  CheckpointStore store(FileSystem::Default(), root_ + "/ckpt");
  {
    BatchWriter writer(FileSystem::Default(), store, root_ + "/valid", root_ + "/invalid");
    writer.Submit(SampleBatch());
  }
  EXPECT_EQ(store.Load(3).value(), PartitionCheckpoint{13});
}

TEST_F(BatchWriterTest, SubmittingWhileABatchIsOnItsWayAbortsInsteadOfSkippingIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  CheckpointStore store(FileSystem::Default(), root_ + "/ckpt");
  EXPECT_DEATH(
      {
        BatchWriter writer(FileSystem::Default(), store, root_ + "/valid", root_ + "/invalid");
        writer.Submit(SampleBatch());
        writer.Submit(SampleBatch());
      },
      "Submit called while a batch is being written");
}

}  // namespace
}  // namespace orderflow::stream

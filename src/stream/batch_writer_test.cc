#include "stream/batch_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/fault_injection_file_system.h"
#include "stream/checkpoint_format.h"
#include "stream/checkpoint_log.h"

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

// The committed state another processor (or a restart) would find for `partition`.
PartitionCheckpoint CommittedState(const std::string& dir, int32_t partition) {
  CheckpointLog other(FileSystem::Default(), dir, "reader");
  auto state = other.Acquire({partition});
  EXPECT_TRUE(state.ok()) << state.status().message();
  if (!state.ok() || !(*state)[partition]) return {};
  return *(*state)[partition];
}

TEST_F(BatchWriterTest, WritesBothFilesThenCommitsTheCheckpoint) {
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid");
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 10}}).ok());
  EXPECT_FALSE(writer.Busy());
  writer.Submit(SampleBatch());
  EXPECT_TRUE(writer.Busy());
  ClosedBatch done;
  ASSERT_TRUE(writer.Wait(done).ok());
  EXPECT_FALSE(writer.Busy());
  const std::string name = "/part-00003-0000000000000000010-0000000000000000012.json";
  EXPECT_EQ(Read(root_ + "/valid" + name), "{\"built\":1}\n{\"held\":2}\n");
  EXPECT_EQ(Read(root_ + "/invalid" + name), "{\"json_str\":\"x\"}\n");
  ASSERT_EQ(done.partitions.size(), 1u);
  EXPECT_EQ(done.partitions[0].content.events, 3u);  // handed back for the caller's bookkeeping
  EXPECT_GT(done.durable_at_ms, 0);
  ASSERT_TRUE(log.Release({3}).ok());
  const PartitionCheckpoint committed = CommittedState(root_ + "/ckpt", 3);
  EXPECT_EQ(committed.next_offset, 13);
  EXPECT_EQ(committed.seq, 2u);
  EXPECT_EQ(committed.file, PartitionCheckpoint::File::kClosed);
}

TEST_F(BatchWriterTest, BatchesAreWrittenInOrderOneAtATime) {
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid");
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
  for (int64_t first = 0; first < 50; first += 5) {
    ClosedBatch batch = SampleBatch();
    batch.partitions[0].first = first;
    batch.partitions[0].last = first + 4;
    writer.Submit(std::move(batch));
    ClosedBatch done;
    ASSERT_TRUE(writer.Wait(done).ok());
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_ + "/valid"), {}), 10);
  ASSERT_TRUE(log.Release({3}).ok());
  EXPECT_EQ(CommittedState(root_ + "/ckpt", 3).next_offset, 50);
}

TEST_F(BatchWriterTest, ABatchCostsOneLogRecordPerPartitionWhateverItsSize) {
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({0, 1, 2, 3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid");
  std::vector<PartitionCheckpoint> start;
  for (int32_t p = 0; p < 4; ++p) start.push_back({.partition = p, .seq = 1, .next_offset = 0});
  ASSERT_TRUE(writer.Recover(start).ok());
  ClosedBatch batch;
  for (int32_t p = 0; p < 4; ++p) {
    ClosedBatch one = SampleBatch();
    one.partitions[0].partition = p;
    batch.partitions.push_back(std::move(one.partitions[0]));
  }
  writer.Submit(std::move(batch));
  ClosedBatch done;
  ASSERT_TRUE(writer.Wait(done).ok());
  std::vector<std::string> logs;
  for (const auto& e : std::filesystem::directory_iterator(root_ + "/ckpt")) {
    if (e.path().filename().string().starts_with("log-")) logs.push_back(e.path().string());
  }
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(DecodeLog(Read(logs[0])).value().size(), 4u);
}

TEST_F(BatchWriterTest, AFailedWriteCommitsNothingAndReportsTheError) {
  FaultInjectionFileSystem fs(FileSystem::Default());
  CheckpointLog log(fs, root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  {
    BatchWriter writer(fs, log, root_ + "/valid", root_ + "/invalid");
    ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 10}}).ok());
    // The valid file is created and written, then its sync fails.
    fs.CrashAfter(2);
    writer.Submit(SampleBatch());
    ClosedBatch done;
    const Status status = writer.Wait(done);
    EXPECT_FALSE(status.ok());
  }
  ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
  log.Drop({3});
  // Nothing was committed: a restart starts the batch again at 10.
  EXPECT_EQ(CommittedState(root_ + "/ckpt", 3).next_offset, 0) << "no commit, no snapshot";
}

TEST_F(BatchWriterTest, StoppingWithABatchSubmittedFinishesItFirst) {
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  {
    BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid");
    ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 10}}).ok());
    writer.Submit(SampleBatch());
  }
  log.Drop({3});
  EXPECT_EQ(CommittedState(root_ + "/ckpt", 3).next_offset, 13);
}

TEST_F(BatchWriterTest, SubmittingWhileABatchIsOnItsWayAbortsInsteadOfSkippingIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  EXPECT_DEATH(
      {
        BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid");
        writer.Submit(SampleBatch());
        writer.Submit(SampleBatch());
      },
      "Submit called while a batch is being written");
}

}  // namespace
}  // namespace orderflow::stream

#include "stream/checkpoint_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "common/data_layout.h"
#include "common/fault_injection_file_system.h"

namespace orderflow::stream {
namespace {

using File = PartitionCheckpoint::File;

PartitionCheckpoint At(int32_t partition, uint64_t seq, int64_t next) {
  return {.partition = partition, .seq = seq, .next_offset = next};
}

class CheckpointLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-ckpt-XXXXXX";
    root_ = mkdtemp(tmpl);
    dir_ = root_ + "/ckpt/orders";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::unique_ptr<CheckpointLog> NewLog(FileSystem& fs = FileSystem::Default(),
                                        const std::string& holder = "test") {
    auto log = std::make_unique<CheckpointLog>(fs, dir_, holder);
    EXPECT_TRUE(log->Open().ok());
    return log;
  }
  std::vector<std::string> Logs() {
    std::vector<std::string> logs;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (data_layout::ParseCheckpointLogFileName(e.path().filename().string())) {
        logs.push_back(e.path().string());
      }
    }
    return logs;
  }
  void WriteFile(const std::string& name, const std::string& content) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << content;
  }
  std::string ReadFile(const std::string& path) {
    return FileSystem::Default().ReadFile(path).value();
  }

  std::string root_, dir_;
};

TEST_F(CheckpointLogTest, AcquireFindsNothingOnAFirstStartAndCreatesNoFileBeforeIt) {
  auto log = NewLog();
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
  auto state = log->Acquire({0, 1});
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ(state->size(), 2u);
  EXPECT_FALSE((*state)[0].has_value());
  EXPECT_FALSE((*state)[1].has_value());
  EXPECT_EQ(Logs().size(), 1u);  // this instance's log, empty
}

TEST_F(CheckpointLogTest, ACommitIsOneLogRecordPerPartitionAndRefreshesTheSnapshots) {
  auto log = NewLog();
  ASSERT_TRUE(log->Acquire({0, 3}).ok());
  ASSERT_TRUE(log->Commit({At(0, 2, 10), At(3, 2, 5)}).ok());
  ASSERT_EQ(Logs().size(), 1u);
  auto records = DecodeLog(ReadFile(Logs()[0]));
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(*records, (std::vector<PartitionCheckpoint>{At(0, 2, 10), At(3, 2, 5)}));
  EXPECT_EQ(DecodeCheckpoint(ReadFile(dir_ + "/partition-3")).value().next_offset, 5);
}

TEST_F(CheckpointLogTest, TheNextOwnerFindsTheHighestSeqAmongSnapshotsAndLogs) {
  auto a = NewLog();
  ASSERT_TRUE(a->Acquire({0, 1}).ok());
  ASSERT_TRUE(a->Save({At(0, 1, 0), At(1, 1, 0)}).ok());
  ASSERT_TRUE(a->Commit({At(0, 2, 10), At(1, 2, 20)}).ok());
  ASSERT_TRUE(a->Commit({At(0, 3, 30)}).ok());
  // Snapshot 0 lags (as a power loss may leave it): the log still says seq 3.
  WriteFile("partition-0", EncodeCheckpoint(At(0, 2, 10)));
  a->Drop({0, 1});  // as a dead instance leaves them (its log kept)
  auto b = NewLog();
  std::vector<int32_t> behind;
  auto state = b->Acquire({0, 1}, &behind);
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ((*state)[0]->next_offset, 30);
  EXPECT_EQ((*state)[0]->seq, 3u);
  EXPECT_EQ((*state)[1]->next_offset, 20);
  EXPECT_EQ(behind, std::vector<int32_t>{0});
}

TEST_F(CheckpointLogTest, CompactionMakesTheSnapshotsTheTruthAndEmptiesTheLog) {
  // A 4 KiB log instead of 1 MiB: a few dozen synced commits instead of ~10,000.
  auto log = std::make_unique<CheckpointLog>(FileSystem::Default(), dir_, "test", 4096);
  ASSERT_TRUE(log->Open().ok());
  ASSERT_TRUE(log->Acquire({0}).ok());
  for (uint64_t seq = 2; !log->CompactionDue(); ++seq) {
    ASSERT_TRUE(log->Commit({At(0, seq, static_cast<int64_t>(seq) * 100)}).ok());
  }
  const auto before = DecodeCheckpoint(ReadFile(dir_ + "/partition-0")).value();
  ASSERT_TRUE(log->Compact().ok());
  EXPECT_FALSE(log->CompactionDue());
  EXPECT_EQ(std::filesystem::file_size(Logs()[0]), 0u);
  EXPECT_EQ(DecodeCheckpoint(ReadFile(dir_ + "/partition-0")).value(), before);
  log.reset();
  auto next = NewLog();
  EXPECT_EQ(next->Acquire({0}).value()[0]->seq, before.seq);
}

TEST_F(CheckpointLogTest, ACleanCloseLeavesSnapshotsAndNoLog) {
  auto log = NewLog();
  ASSERT_TRUE(log->Acquire({0}).ok());
  ASSERT_TRUE(log->Commit({At(0, 2, 10)}).ok());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_TRUE(Logs().empty());
  auto next = NewLog();
  EXPECT_EQ(next->Acquire({0}).value()[0]->next_offset, 10);
}

TEST_F(CheckpointLogTest, APartitionHeldByAnotherProcessIsRefusedNamingTheHolder) {
  auto a = NewLog(FileSystem::Default(), "process 123 on host-a (group g)");
  ASSERT_TRUE(a->Acquire({0, 1}).ok());
  auto b = NewLog(FileSystem::Default(), "process 456 on host-b (group g)");
  auto refused = b->Acquire({2, 1});
  EXPECT_TRUE(refused.status().IsAlreadyExists());
  EXPECT_NE(
      refused.status().message().find("partition 1 is being written by process 123 on host-a"),
      std::string::npos)
      << refused.status().message();
  // Nothing half taken: partition 2 is free for a.
  EXPECT_TRUE(a->Acquire({2}).ok());
  ASSERT_TRUE(a->Release({0, 1, 2}).ok());
  EXPECT_TRUE(b->Acquire({0, 1, 2}).ok());
}

TEST_F(CheckpointLogTest, LogsOfGoneInstancesAreRemovedOnceTheSnapshotsSupersedeThem) {
  auto dead = NewLog();
  ASSERT_TRUE(dead->Acquire({0}).ok());
  ASSERT_TRUE(dead->Commit({At(0, 2, 10)}).ok());
  dead->Drop({0});
  auto live = NewLog();
  ASSERT_TRUE(live->Acquire({1}).ok());
  ASSERT_TRUE(live->Commit({At(1, 2, 10)}).ok());
  auto next = NewLog();
  // `dead` still holds its log's lock: it is alive, so its log stays.
  ASSERT_TRUE(next->Acquire({0}).ok());
  ASSERT_TRUE(next->RemoveSupersededLogs().ok());
  EXPECT_EQ(Logs().size(), 3u);
  dead.reset();                                             // gone: its lock is free
  WriteFile("partition-0", EncodeCheckpoint(At(0, 1, 0)));  // behind the dead log's record
  ASSERT_TRUE(next->RemoveSupersededLogs().ok());
  EXPECT_EQ(Logs().size(), 3u) << "the dead log holds the only copy of partition 0's commit";
  ASSERT_TRUE(next->Save({At(0, 2, 10)}).ok());
  ASSERT_TRUE(next->RemoveSupersededLogs().ok());
  EXPECT_EQ(Logs().size(), 2u);  // live's and next's
}

TEST_F(CheckpointLogTest, ADamagedSnapshotIsReadFromTheLogsOrReportedWhenNoLogHasIt) {
  auto log = NewLog();
  ASSERT_TRUE(log->Acquire({0, 1}).ok());
  ASSERT_TRUE(log->Commit({At(0, 2, 10)}).ok());
  log->Drop({0, 1});
  WriteFile("partition-0", "");  // a rewrite cut by a power loss
  WriteFile("partition-1", "orderflow-checkpoint v2 next=5 seq=1 crc=00000000\n");
  auto other = NewLog();
  EXPECT_EQ(other->Acquire({0}).value()[0]->next_offset, 10);
  auto damaged = other->Acquire({1});
  EXPECT_EQ(damaged.status().code(), Status::Code::kCorruption);
  EXPECT_NE(damaged.status().message().find("partition-1"), std::string::npos);
}

TEST_F(CheckpointLogTest, ReadsThePreviousVersionsFiles) {
  std::filesystem::create_directories(dir_);
  WriteFile("partition-0", "orderflow-checkpoint v1 next=13 crc=2a18e1c8\n");
  WriteFile("partition-1", "orderflow-checkpoint v1 next=10 pending=10-12 crc=a093700e\n");
  WriteFile(".partition-1.tmp", "half");
  auto log = NewLog();
  auto state = log->Acquire({0, 1});
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ(*(*state)[0], (PartitionCheckpoint{.partition = 0, .seq = 0, .next_offset = 13}));
  EXPECT_TRUE((*state)[1]->has_pending);
  EXPECT_EQ((*state)[1]->pending_last, 12);
}

TEST_F(CheckpointLogTest, APowerLossAfterTheCommitKeepsItAndBeforeItKeepsNothing) {
  FaultInjectionFileSystem fs(FileSystem::Default());
  {
    auto log = NewLog(fs);
    ASSERT_TRUE(log->Acquire({0}).ok());
    ASSERT_TRUE(log->Save({At(0, 1, 0)}).ok());
    ASSERT_TRUE(log->Commit({At(0, 2, 10)}).ok());
    // The next commit dies before its log sync: append done, sync not.
    fs.CrashAfter(1);
    EXPECT_FALSE(log->Commit({At(0, 3, 20)}).ok());
    ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
  }
  auto log = NewLog(fs);
  auto state = log->Acquire({0});
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ((*state)[0]->next_offset, 10);
}

}  // namespace
}  // namespace orderflow::stream

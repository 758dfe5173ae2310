#include "common/fault_injection_file_system.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace orderflow {
namespace {

class FaultInjectionFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-faultfs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Read(const std::string& name) {
    auto content = FileSystem::Default().ReadFile(Path(name));
    return content.ok() ? *content : "<absent>";
  }

  std::string dir_;
  FaultInjectionFileSystem fs_{FileSystem::Default()};
};

TEST_F(FaultInjectionFileSystemTest, PowerLossRevertsRenamesAndCreationsNotFollowedByDirSync) {
  ASSERT_TRUE(fs_.WriteAndSync(Path("current"), "v1").ok());
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"current", "v2"}, {"other", "x"}}).ok());
  ASSERT_TRUE(fs_.WriteAndSync(Path(".next.tmp"), "v3").ok());
  ASSERT_TRUE(fs_.Rename(Path(".next.tmp"), Path("current")).ok());
  ASSERT_TRUE(fs_.Remove(Path("other")).ok());
  EXPECT_EQ(fs_.unsynced_renames(), 1u);
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("current"), "v2");          // the published version: its directory was synced
  EXPECT_EQ(Read("other"), "x");             // the removal was never made durable
  EXPECT_EQ(Read(".next.tmp"), "<absent>");  // its creation was never made durable either
}

TEST_F(FaultInjectionFileSystemTest, CrashFailsEveryLaterOperationAndPublishLeavesTheOldVersion) {
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"checkpoint", "old"}}).ok());
  fs_.CrashAfter(2);  // the temp write and the rename succeed, the directory sync dies
  EXPECT_FALSE(PublishFiles(fs_, dir_, {{"checkpoint", "new"}}).ok());
  EXPECT_TRUE(fs_.crashed());
  EXPECT_EQ(fs_.crashed_at(), FaultInjectionFileSystem::Op::kSyncDir);
  EXPECT_FALSE(fs_.ReadFile(Path("checkpoint")).ok());
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_FALSE(fs_.crashed());
  EXPECT_EQ(Read("checkpoint"), "old");
  EXPECT_EQ(Read(".checkpoint.tmp"), "<absent>");
  EXPECT_TRUE(PublishFiles(fs_, dir_, {{"checkpoint", "new"}}).ok());
  EXPECT_EQ(Read("checkpoint"), "new");
}

TEST_F(FaultInjectionFileSystemTest, PowerLossCutsAppendsBackToTheLastSync) {
  auto file = fs_.NewWritableFile(Path("log"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("one\n").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  ASSERT_TRUE((*file)->Append("two\n").ok());
  EXPECT_EQ((*file)->size(), 8u);
  ASSERT_TRUE((*file)->Close().ok());
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("log"), "one\n");
  // Opened again for appending: what follows the synced part is lost again without a sync.
  auto again = fs_.NewAppendableFile(Path("log"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 4u);
  ASSERT_TRUE((*again)->Append("three\n").ok());
  ASSERT_TRUE((*again)->Sync().ok());
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("log"), "one\nthree\n");
}

TEST_F(FaultInjectionFileSystemTest, PowerLossRemovesANewFileWhoseDirectoryWasNotSynced) {
  auto file = fs_.NewWritableFile(Path("new"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("data").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("new"), "<absent>");
}

TEST_F(FaultInjectionFileSystemTest, AnUnsyncedRewriteRenamedIntoPlaceComesBackEmptyOrOld) {
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"snapshot", "v1"}}).ok());
  ASSERT_TRUE(fs_.WriteWithoutSync(Path(".snapshot.tmp"), "v2").ok());
  ASSERT_TRUE(fs_.Rename(Path(".snapshot.tmp"), Path("snapshot")).ok());
  EXPECT_EQ(Read("snapshot"), "v2");
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("snapshot"), "v1");  // the rename was not durable
  ASSERT_TRUE(fs_.WriteWithoutSync(Path(".snapshot.tmp"), "v3").ok());
  ASSERT_TRUE(fs_.Rename(Path(".snapshot.tmp"), Path("snapshot")).ok());
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());  // the name is durable, the data is not
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("snapshot"), "");
  ASSERT_TRUE(fs_.WriteWithoutSync(Path("snapshot"), "v4").ok());
  ASSERT_TRUE(fs_.SyncFile(Path("snapshot")).ok());
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("snapshot"), "v4");
  // Rewritten in place: the old bytes until a sync.
  ASSERT_TRUE(fs_.OverwriteWithoutSync(Path("snapshot"), "v5").ok());
  EXPECT_EQ(Read("snapshot"), "v5");
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("snapshot"), "v4");
}

TEST_F(FaultInjectionFileSystemTest, PowerLossUndoesAnUnsyncedTruncation) {
  ASSERT_TRUE(fs_.WriteAndSync(Path("part"), "committed+garbage").ok());
  ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  ASSERT_TRUE(fs_.Truncate(Path("part"), 9).ok());
  EXPECT_EQ(Read("part"), "committed");
  EXPECT_EQ(fs_.FileSize(Path("part")).value(), 9u);
  ASSERT_TRUE(fs_.DropUnsyncedChanges().ok());
  EXPECT_EQ(Read("part"), "committed+garbage");
  EXPECT_TRUE(fs_.Truncate(Path("nope"), 0).IsNotFound());
}

TEST_F(FaultInjectionFileSystemTest, EveryWriteAppendAndSyncCountsTowardsTheCrash) {
  auto file = fs_.NewWritableFile(Path("f"));  // 1
  ASSERT_TRUE(file.ok());
  fs_.CrashAfter(1);
  ASSERT_TRUE((*file)->Append("x").ok());  // 1
  EXPECT_FALSE((*file)->Sync().ok());      // 2: dies
  EXPECT_EQ(fs_.crashed_at(), FaultInjectionFileSystem::Op::kWrite);
  EXPECT_FALSE((*file)->Append("y").ok());
}

}  // namespace
}  // namespace orderflow

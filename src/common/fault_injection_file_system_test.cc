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

}  // namespace
}  // namespace orderflow

#include "common/file_system.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace orderflow {
namespace {

class FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-fs-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
  FileSystem& fs_ = FileSystem::Default();
};

TEST_F(FileSystemTest, PublishFilesMakesEveryFileVisibleWhole) {
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"a.json", "one\n"}, {"b.json", "two\n"}}).ok());
  EXPECT_EQ(fs_.ReadFile(dir_ + "/a.json").value(), "one\n");
  EXPECT_EQ(fs_.ReadFile(dir_ + "/b.json").value(), "two\n");
  auto names = fs_.List(dir_).value();
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.json", "b.json"}));  // no temporaries left
}

TEST_F(FileSystemTest, PublishWritesPiecesInOrderBeyondOneWritevCall) {
  std::vector<std::string> lines;
  std::vector<std::string_view> pieces;
  std::string expected;
  for (int i = 0; i < 5000; ++i) lines.push_back("line " + std::to_string(i));
  for (const std::string& line : lines) {
    pieces.push_back(line);
    pieces.push_back("\n");
    expected += line + "\n";
  }
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"p.json", {}, pieces}, {"d.json", "x\n"}}).ok());
  EXPECT_EQ(fs_.ReadFile(dir_ + "/p.json").value(), expected);
  EXPECT_EQ(fs_.ReadFile(dir_ + "/d.json").value(), "x\n");
}

TEST_F(FileSystemTest, PublishCreatesFoldersAndPutsEachFileInItsOwn) {
  std::vector<PendingFile> files;
  for (int i = 0; i < 40; ++i) {  // more files than writer threads
    files.push_back({"f" + std::to_string(i) + ".json",
                     "line\n",
                     {},
                     i % 3 == 0 ? "" : "day=" + std::to_string(i % 3)});
  }
  ASSERT_TRUE(PublishFiles(fs_, dir_, files).ok());
  EXPECT_EQ(fs_.ReadFile(dir_ + "/f0.json").value(), "line\n");
  EXPECT_EQ(fs_.ReadFile(dir_ + "/day=1/f1.json").value(), "line\n");
  EXPECT_EQ(fs_.ReadFile(dir_ + "/day=2/f2.json").value(), "line\n");
  EXPECT_EQ(fs_.List(dir_ + "/day=1").value().size(), 13u);  // no temporaries left
  EXPECT_EQ(fs_.List(dir_).value().size(), 14u + 2u);
}

TEST_F(FileSystemTest, PublishReplacesAnExistingFileAtomically) {
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"a.json", "old\n"}}).ok());
  ASSERT_TRUE(PublishFiles(fs_, dir_, {{"a.json", "new\n"}}).ok());
  EXPECT_EQ(fs_.ReadFile(dir_ + "/a.json").value(), "new\n");
}

TEST_F(FileSystemTest, PublishIntoAMissingDirectoryFailsAndLeavesNothing) {
  const Status s = PublishFiles(fs_, dir_ + "/missing", {{"a.json", "x"}});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing"), std::string::npos);
}

TEST_F(FileSystemTest, AppendedFilesGrowAndReadRangeReadsPartOfThem) {
  auto file = fs_.NewWritableFile(dir_ + "/log");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("hello ").ok());
  const std::string_view pieces[] = {"wor", "", "ld"};
  ASSERT_TRUE((*file)->Append(pieces).ok());
  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_EQ((*file)->size(), 11u);
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(fs_.ReadRange(dir_ + "/log", 6, 5).value(), "world");
  EXPECT_EQ(fs_.ReadRange(dir_ + "/log", 9, 100).value(), "ld");
  EXPECT_TRUE(fs_.ReadRange(dir_ + "/nope", 0, 1).status().IsNotFound());
  auto again = fs_.NewAppendableFile(dir_ + "/log");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 11u);
  ASSERT_TRUE(fs_.Truncate(dir_ + "/log", 5).ok());
  EXPECT_EQ(fs_.FileSize(dir_ + "/log").value(), 5u);
  ASSERT_TRUE(fs_.OverwriteWithoutSync(dir_ + "/log", "HE").ok());
  EXPECT_EQ(fs_.ReadFile(dir_ + "/log").value(), "HEllo");
  ASSERT_TRUE(fs_.SyncFile(dir_ + "/log").ok());
  EXPECT_TRUE(fs_.SyncFile(dir_ + "/nope").IsNotFound());
}

TEST_F(FileSystemTest, ReadFileOfAMissingFileIsNotFound) {
  EXPECT_TRUE(fs_.ReadFile(dir_ + "/nope").status().IsNotFound());
  EXPECT_TRUE(fs_.List(dir_ + "/nope").status().IsNotFound());
}

TEST_F(FileSystemTest, CreateDirsMakesNestedDirectoriesAndIsIdempotent) {
  ASSERT_TRUE(fs_.CreateDirs(dir_ + "/x/y/z").ok());
  ASSERT_TRUE(fs_.CreateDirs(dir_ + "/x/y/z").ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir_ + "/x/y/z"));
}

TEST_F(FileSystemTest, CreateDirsReportsAnUnwritableDirectory) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  ASSERT_TRUE(fs_.CreateDirs(dir_ + "/ro").ok());
  std::filesystem::permissions(
      dir_ + "/ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  EXPECT_FALSE(fs_.CreateDirs(dir_ + "/ro/sub").ok());
}

}  // namespace
}  // namespace orderflow

#include "stream/part_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/data_layout.h"

namespace orderflow::stream {
namespace {

using File = PartitionCheckpoint::File;

class PartFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-parts-XXXXXX";
    root_ = mkdtemp(tmpl);
    for (const char* dir : {"/valid", "/invalid"}) std::filesystem::create_directories(root_ + dir);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string Read(const std::string& relative) {
    std::ifstream in(root_ + "/" + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& relative, const std::string& content) {
    std::ofstream(root_ + "/" + relative) << content;
  }
  std::set<std::string> Names(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(root_ + "/" + dir)) {
      names.insert(e.path().filename().string());
    }
    return names;
  }
  Status Append(PartFiles& files, int32_t partition, int64_t first, std::string_view valid,
                std::string_view invalid = {}) {
    std::vector<std::string_view> pieces;
    if (!valid.empty()) pieces.push_back(valid);
    return files.Append(partition, first, pieces, invalid);
  }

  std::string root_;
  TaskPool pool_{2};
};

TEST_F(PartFilesTest, AFileGrowsUnderItsTemporaryNameAndIsPublishedUnderItsRange) {
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  ASSERT_TRUE(Append(files, 3, 10, "{\"a\":1}\n", "{\"bad\":1}\n").ok());
  ASSERT_TRUE(Append(files, 3, 12, "{\"a\":2}\n").ok());
  ASSERT_TRUE(files.Sync().ok());
  const std::string temp = data_layout::OpenPartFileName(3, 10);
  EXPECT_EQ(temp, ".part-00003-0000000000000000010.json.tmp");
  EXPECT_EQ(Read("valid/" + temp), "{\"a\":1}\n{\"a\":2}\n");
  ASSERT_NE(files.Find(3), nullptr);
  EXPECT_EQ(files.Find(3)->first, 10);
  EXPECT_EQ(files.Find(3)->bytes[PartFiles::kValid], 16u);
  EXPECT_EQ(files.Find(3)->bytes[PartFiles::kInvalid], 10u);
  ASSERT_TRUE(files.Publish(3, 14, PartFiles::kValid).ok());
  ASSERT_TRUE(files.Publish(3, 14, PartFiles::kInvalid).ok());
  EXPECT_EQ(files.Find(3), nullptr);
  const std::string name = "part-00003-0000000000000000010-0000000000000000014.json";
  EXPECT_EQ(Names("valid"), std::set<std::string>{name});
  EXPECT_EQ(Read("invalid/" + name), "{\"bad\":1}\n");
  // The next file starts where the next batch does.
  ASSERT_TRUE(Append(files, 3, 15, "{\"a\":3}\n").ok());
  EXPECT_EQ(files.Find(3)->first, 15);
}

TEST_F(PartFilesTest, RecoverRollsAClosedFileForwardCutToItsCommittedLength) {
  const std::string temp = data_layout::OpenPartFileName(1, 100);
  Write("valid/" + temp, "line1\nline2\nuncommitted\n");
  Write("invalid/" + temp, "bad1\n");
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  const PartitionCheckpoint closed{.partition = 1,
                                   .seq = 4,
                                   .next_offset = 120,
                                   .file = File::kClosed,
                                   .file_first = 100,
                                   .valid_bytes = 12,
                                   .invalid_bytes = 5};
  ASSERT_TRUE(files.Recover(closed, files.List().value()).ok());
  const std::string name = data_layout::PartFileName(1, 100, 119);
  EXPECT_EQ(Names("valid"), std::set<std::string>{name});
  EXPECT_EQ(Read("valid/" + name), "line1\nline2\n");
  EXPECT_EQ(Read("invalid/" + name), "bad1\n");
  EXPECT_EQ(files.Find(1), nullptr);
  // Again (a second crash before anything else): nothing left to do.
  ASSERT_TRUE(files.Recover(closed, files.List().value()).ok());
  EXPECT_EQ(Read("valid/" + name), "line1\nline2\n");
}

TEST_F(PartFilesTest, RecoverCutsAnOpenFileAndAppendsAfterItsCommittedLength) {
  const std::string temp = data_layout::OpenPartFileName(2, 0);
  Write("valid/" + temp, "a\nb\nhalf-writ");
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  const PartitionCheckpoint open{.partition = 2,
                                 .seq = 2,
                                 .next_offset = 2,
                                 .file = File::kOpen,
                                 .file_first = 0,
                                 .valid_bytes = 4};
  ASSERT_TRUE(files.Recover(open, files.List().value()).ok());
  ASSERT_NE(files.Find(2), nullptr);
  EXPECT_EQ(files.Find(2)->bytes[PartFiles::kValid], 4u);
  ASSERT_TRUE(Append(files, 2, 2, "c\n").ok());
  ASSERT_TRUE(files.Sync().ok());
  EXPECT_EQ(Read("valid/" + temp), "a\nb\nc\n");
}

TEST_F(PartFilesTest, RecoverRefusesAnOpenFileShorterThanCommitted) {
  Write("valid/" + data_layout::OpenPartFileName(2, 0), "a\n");
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  const PartitionCheckpoint open{
      .partition = 2, .seq = 2, .next_offset = 5, .file = File::kOpen, .valid_bytes = 10};
  EXPECT_EQ(files.Recover(open, files.List().value()).code(), Status::Code::kCorruption);
}

TEST_F(PartFilesTest, RecoverRemovesTheTemporariesOfUncommittedBatchesAndOfEarlierVersions) {
  Write("valid/" + data_layout::OpenPartFileName(4, 50), "uncommitted\n");
  Write("valid/" + data_layout::TempFileName(data_layout::PartFileName(4, 40, 49)), "v1 temp\n");
  Write("valid/" + data_layout::OpenPartFileName(5, 50), "another partition's\n");
  Write("valid/" + data_layout::PartFileName(4, 0, 39), "published\n");
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  ASSERT_TRUE(
      files.Recover({.partition = 4, .seq = 3, .next_offset = 40}, files.List().value()).ok());
  EXPECT_EQ(Names("valid"), (std::set<std::string>{data_layout::OpenPartFileName(5, 50),
                                                   data_layout::PartFileName(4, 0, 39)}));
}

TEST_F(PartFilesTest, HoldsTellsWhetherABatchsLinesReachedTheFile) {
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  ASSERT_TRUE(Append(files, 6, 0, "first\n").ok());
  ASSERT_TRUE(files.Sync().ok());
  ASSERT_TRUE(Append(files, 6, 1, "second\n").ok());
  const PartFiles::OpenFile batch = *files.Find(6);
  ASSERT_TRUE(files.Sync().ok());
  PartitionCheckpoint c{.partition = 6,
                        .seq = 3,
                        .next_offset = 2,
                        .file = File::kOpen,
                        .file_first = 0,
                        .valid_bytes = batch.bytes[PartFiles::kValid],
                        .has_batch = true,
                        .batch_valid_from = batch.synced[PartFiles::kValid],
                        .batch_valid_crc = batch.crc[PartFiles::kValid]};
  EXPECT_EQ(c.batch_valid_from, 6u);
  EXPECT_TRUE(files.Holds(c).value());
  // A power loss took the second batch's lines: the record's bytes are missing.
  std::filesystem::resize_file(root_ + "/valid/" + data_layout::OpenPartFileName(6, 0), 6);
  EXPECT_FALSE(files.Holds(c).value());
  // Other bytes than the record's (garbage where the lines were).
  Write("valid/" + data_layout::OpenPartFileName(6, 0), "first\nsecoNd\n");
  EXPECT_FALSE(files.Holds(c).value());
  // Published meanwhile: found under the final name.
  Write("valid/" + data_layout::OpenPartFileName(6, 0), "first\nsecond\n");
  files.Drop(6);
  std::filesystem::rename(root_ + "/valid/" + data_layout::OpenPartFileName(6, 0),
                          root_ + "/valid/" + data_layout::PartFileName(6, 0, 1));
  c.file = File::kClosed;
  EXPECT_TRUE(files.Holds(c).value());
  c.has_batch = false;  // nothing to check
  std::filesystem::remove(root_ + "/valid/" + data_layout::PartFileName(6, 0, 1));
  EXPECT_TRUE(files.Holds(c).value());
}

}  // namespace
}  // namespace orderflow::stream

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
    if (Status s = files.Append(partition, first, PartFiles::kValid, "", {&valid, 1}); !s.ok()) {
      return s;
    }
    return files.Append(partition, first, PartFiles::kInvalid, "", {&invalid, 1});
  }
  // A file of a set at the top of an output directory, committed at `bytes`.
  static PartitionCheckpoint::FileLength At(PartitionCheckpoint::Output output, uint64_t bytes) {
    return {output, "", bytes, bytes, 0};
  }
  static uint64_t Bytes(const PartFiles::OpenSet* set, PartitionCheckpoint::Output output) {
    auto it = set->files.find({output, ""});
    return it == set->files.end() ? 0 : it->second.bytes;
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
  EXPECT_EQ(Bytes(files.Find(3), PartFiles::kValid), 16u);
  EXPECT_EQ(Bytes(files.Find(3), PartFiles::kInvalid), 10u);
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

TEST_F(PartFilesTest, AppendAllWritesOpenedFilesAtOnceWithTheirChecksums) {
  // Eight partitions, both outputs, written at once by the pool; then the same bytes with
  // Append one by one: the files and what a commit would record of them are the same.
  PartFiles at_once(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  std::vector<std::string> lines;
  for (int p = 0; p < 8; ++p) lines.push_back(std::string(1000 + p, 'a' + p) + "\n");
  std::vector<std::string_view> views(lines.begin(), lines.end());
  std::vector<PartFiles::PendingAppend> appends;
  for (int p = 0; p < 8; ++p) {
    for (PartFiles::Output output : {PartFiles::kValid, PartFiles::kInvalid}) {
      auto to = at_once.Open(p, 100, output, "");
      ASSERT_TRUE(to.ok());
      appends.push_back({*to, {&views[p], 1}});
    }
  }
  // Two appends to one file keep their order.
  auto again = at_once.Open(0, 100, PartFiles::kValid, "");
  ASSERT_TRUE(again.ok());
  appends.push_back({*again, {&views[1], 1}});
  ASSERT_TRUE(at_once.AppendAll(appends).ok());
  std::vector<PartitionCheckpoint> described(8);
  for (int p = 0; p < 8; ++p) at_once.Describe(p, described[p]);
  ASSERT_TRUE(at_once.Sync().ok());
  EXPECT_EQ(Read("valid/" + data_layout::OpenPartFileName(0, 100)), lines[0] + lines[1]);

  std::filesystem::remove_all(root_ + "/valid");
  std::filesystem::remove_all(root_ + "/invalid");
  for (const char* dir : {"/valid", "/invalid"}) std::filesystem::create_directories(root_ + dir);
  PartFiles one_by_one(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  for (int p = 0; p < 8; ++p) {
    ASSERT_TRUE(Append(one_by_one, p, 100, views[p], views[p]).ok());
  }
  ASSERT_TRUE(one_by_one.Append(0, 100, PartFiles::kValid, "", {&views[1], 1}).ok());
  for (int p = 0; p < 8; ++p) {
    PartitionCheckpoint expected;
    one_by_one.Describe(p, expected);
    ASSERT_EQ(expected.files.size(), described[p].files.size());
    for (size_t f = 0; f < expected.files.size(); ++f) {
      EXPECT_EQ(described[p].files[f].bytes, expected.files[f].bytes) << p;
      EXPECT_EQ(described[p].files[f].batch_crc, expected.files[f].batch_crc) << p;
    }
  }
}

TEST_F(PartFilesTest, RecoverRollsAClosedFileForwardCutToItsCommittedLength) {
  const std::string temp = data_layout::OpenPartFileName(1, 100);
  Write("valid/" + temp, "line1\nline2\nuncommitted\n");
  Write("invalid/" + temp, "bad1\n");
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  const PartitionCheckpoint closed{
      .partition = 1,
      .seq = 4,
      .next_offset = 120,
      .file = File::kClosed,
      .file_first = 100,
      .files = {At(PartFiles::kValid, 12), At(PartFiles::kInvalid, 5)}};
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
                                 .files = {At(PartFiles::kValid, 4)}};
  ASSERT_TRUE(files.Recover(open, files.List().value()).ok());
  ASSERT_NE(files.Find(2), nullptr);
  EXPECT_EQ(Bytes(files.Find(2), PartFiles::kValid), 4u);
  ASSERT_TRUE(Append(files, 2, 2, "c\n").ok());
  ASSERT_TRUE(files.Sync().ok());
  EXPECT_EQ(Read("valid/" + temp), "a\nb\nc\n");
}

TEST_F(PartFilesTest, RecoverRefusesAnOpenFileShorterThanCommitted) {
  Write("valid/" + data_layout::OpenPartFileName(2, 0), "a\n");
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid");
  const PartitionCheckpoint open{.partition = 2,
                                 .seq = 2,
                                 .next_offset = 5,
                                 .file = File::kOpen,
                                 .files = {At(PartFiles::kValid, 10)}};
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
  PartitionCheckpoint c{.partition = 6, .seq = 3, .next_offset = 2};
  files.Describe(6, c);  // what a commit record says, before the sync
  c.file = File::kOpen;
  ASSERT_TRUE(files.Sync().ok());
  ASSERT_EQ(c.files.size(), 1u);
  EXPECT_EQ(c.files[0].batch_from, 6u);
  EXPECT_EQ(c.files[0].bytes, 13u);
  EXPECT_TRUE(c.HasBatch());
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
  c.ClearBatch();  // nothing to check
  std::filesystem::remove(root_ + "/valid/" + data_layout::PartFileName(6, 0, 1));
  EXPECT_TRUE(files.Holds(c).value());
}

TEST_F(PartFilesTest, ASetHasAFilePerPartitionFolderAndTheCompressionInItsNames) {
  PartFiles files(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid",
                  Compression::kGzip);
  const std::string_view a = "unit-a", b = "unit-b";
  ASSERT_TRUE(files.Append(7, 20, PartFiles::kValid, "purchase_date=2026-11-29", {&a, 1}).ok());
  ASSERT_TRUE(files.Append(7, 20, PartFiles::kValid, "purchase_date=2026-11-30", {&b, 1}).ok());
  ASSERT_TRUE(files.Sync().ok());
  const std::string temp = data_layout::OpenPartFileName(7, 20, Compression::kGzip);
  EXPECT_EQ(Read("valid/purchase_date=2026-11-29/" + temp), "unit-a");
  EXPECT_FALSE(files.Incompatible(7, /*partitioned=*/true));
  EXPECT_TRUE(files.Incompatible(7, /*partitioned=*/false));
  PartitionCheckpoint c{.partition = 7, .seq = 2, .next_offset = 25};
  files.Describe(7, c);
  EXPECT_EQ(c.compression, Compression::kGzip);
  ASSERT_EQ(c.files.size(), 2u);
  EXPECT_EQ(c.files[1].folder, "purchase_date=2026-11-30");
  // A restart that finds the set open: each file cut to its length, in its folder.
  c.file = File::kOpen;
  Write("valid/purchase_date=2026-11-30/" + temp, "unit-b+uncommitted");
  PartFiles again(FileSystem::Default(), pool_, root_ + "/valid", root_ + "/invalid",
                  Compression::kZstd);
  ASSERT_TRUE(again.Recover(c, again.List().value()).ok());
  EXPECT_EQ(Read("valid/purchase_date=2026-11-30/" + temp), "unit-b");
  EXPECT_TRUE(again.Incompatible(7, true)) << "opened with gzip, the restart writes zstd";
  ASSERT_TRUE(again.Publish(7, 24, PartFiles::kValid).ok());
  ASSERT_TRUE(again.Publish(7, 24, PartFiles::kInvalid).ok());
  const std::string name = data_layout::PartFileName(7, 20, 24, Compression::kGzip);
  EXPECT_EQ(Read("valid/purchase_date=2026-11-29/" + name), "unit-a");
  EXPECT_EQ(Read("valid/purchase_date=2026-11-30/" + name), "unit-b");
}

}  // namespace
}  // namespace orderflow::stream

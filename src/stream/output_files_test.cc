#include "stream/output_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "common/data_layout.h"
#include "common/output_file_reader.h"
#include "stream/batch_writer.h"
#include "stream/checkpoint_log.h"

namespace orderflow::stream {
namespace {

std::string Event(const std::string& id, const std::string& date) {
  return "{\"order_id\":\"" + id + "\",\"user\":\"Ann\",\"purchase_date\":\"" + date +
         "\",\"purchase_time\":\"10:00:00\"}";
}

// The whole content of a PendingFile as it would be written (before encoding).
std::string Content(const PendingFile& file) {
  if (file.pieces.empty()) return std::string(file.data);
  std::string out;
  for (std::string_view p : file.pieces) out.append(p);
  return out;
}

TEST(FindPurchaseDateTest, FindsTheKeysStringValue) {
  EXPECT_EQ(FindPurchaseDate(Event("a", "2026-11-30")), "2026-11-30");
  EXPECT_EQ(FindPurchaseDate(R"({"purchase_date" :  "2026-01-02","x":1})"), "2026-01-02");
  EXPECT_EQ(FindPurchaseDate(R"({"purchase_date":"not a date"})"), "not a date");
  EXPECT_EQ(FindPurchaseDate(R"({"purchase_date":""})"), "");
}

TEST(FindPurchaseDateTest, IgnoresLookalikesInsideStrings) {
  // The key's text as a value, and escaped inside json_str (the invalid output's raw message).
  EXPECT_EQ(FindPurchaseDate(R"({"user":"purchase_date","purchase_date":"2026-11-29"})"),
            "2026-11-29");
  EXPECT_EQ(FindPurchaseDate(R"({"json_str":"{\"purchase_date\":\"2020-01-01\"}"})"), std::nullopt);
  EXPECT_EQ(
      FindPurchaseDate(
          R"({"json_str":"{\"purchase_date\":\"2020-01-01\"}","purchase_date":"2026-11-28"})"),
      "2026-11-28");
  EXPECT_EQ(FindPurchaseDate(R"({"user":"a\\","purchase_date":"2026-11-27"})"), "2026-11-27");
}

TEST(FindPurchaseDateTest, NoStringValueIsNoDate) {
  EXPECT_EQ(FindPurchaseDate(R"({"order_id":"x"})"), std::nullopt);
  EXPECT_EQ(FindPurchaseDate(R"({"purchase_date":20261130})"), std::nullopt);
  EXPECT_EQ(FindPurchaseDate(R"({"purchase_date":null})"), std::nullopt);
  EXPECT_EQ(FindPurchaseDate(R"({"purchase_date":"2026-11)"), std::nullopt);  // cut
  EXPECT_EQ(FindPurchaseDate(""), std::nullopt);
}

TEST(OutputFilesTest, WithoutPartitionsARangeIsOneFileAtTheTop) {
  OutputFiles files({Compression::kNone, false});
  const std::string a = Event("a", "2026-11-30"), block = Event("b", "2026-11-29") + "\n";
  const std::vector<std::string_view> pieces = {a, "\n", block};
  ASSERT_TRUE(files.Add({2, 5, 6}, pieces).ok());
  ASSERT_EQ(files.files().size(), 1u);
  EXPECT_EQ(files.files()[0].name, "part-00002-0000000000000000005-0000000000000000006.json");
  EXPECT_EQ(files.files()[0].subdir, "");
  EXPECT_EQ(Content(files.files()[0]), a + "\n" + block);
  ASSERT_TRUE(files.Add({3, 0, 0}, {}).ok());  // nothing: no file
  EXPECT_EQ(files.files().size(), 1u);
  files.Clear();
  EXPECT_TRUE(files.files().empty());
}

TEST(OutputFilesTest, PartitionedRangesSplitByDateKeepingOffsetOrder) {
  OutputFiles files({Compression::kNone, true});
  // As the batch writer passes them: held payloads followed by "\n", and built lines.
  const std::string e1 = Event("1", "2026-11-30"), e2 = Event("2", "2026-11-29");
  const std::string built = Event("3", "2026-11-30") + "\n" + Event("4", "2026-02-30") + "\n" +
                            Event("5", "2026-11-30") + "\n" + "{\"order_id\":\"6\"}\n";
  const std::vector<std::string_view> pieces = {e1, "\n", e2, "\n", built};
  ASSERT_TRUE(files.Add({1, 100, 105}, pieces).ok());
  std::map<std::string, std::string> by_folder;
  for (const PendingFile& f : files.files()) {
    EXPECT_EQ(f.name, "part-00001-0000000000000000100-0000000000000000105.json");
    by_folder[f.subdir] = Content(f);
  }
  ASSERT_EQ(by_folder.size(), 3u);
  EXPECT_EQ(by_folder["purchase_date=2026-11-30"],
            e1 + "\n" + Event("3", "2026-11-30") + "\n" + Event("5", "2026-11-30") + "\n");
  EXPECT_EQ(by_folder["purchase_date=2026-11-29"], e2 + "\n");
  // 2026-02-30 is no date, and line 6 has none.
  EXPECT_EQ(by_folder["purchase_date=__HIVE_DEFAULT_PARTITION__"],
            Event("4", "2026-02-30") + "\n{\"order_id\":\"6\"}\n");
}

TEST(OutputFilesTest, CompressedFilesDecodeToTheirLines) {
  const std::string dir = testing::TempDir() + "output_files_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  for (Compression compression : {Compression::kGzip, Compression::kZstd}) {
    OutputFiles files({compression, true});
    std::string lines;
    for (int i = 0; i < 500; ++i)
      lines += Event(std::to_string(i), i % 2 ? "2026-11-01" : "x") + "\n";
    const std::vector<std::string_view> pieces = {lines};
    ASSERT_TRUE(files.Add({0, 0, 499}, pieces).ok());
    ASSERT_EQ(files.files().size(), 2u);
    ASSERT_TRUE(PublishFiles(FileSystem::Default(), dir, files.files()).ok());
    std::string decoded;
    for (const PendingFile& f : files.files()) {
      EXPECT_EQ(data_layout::CompressionOfFileName(f.name), compression);
      auto content = ReadOutputFile(dir + "/" + f.subdir + "/" + f.name);
      ASSERT_TRUE(content.ok()) << content.status().message();
      EXPECT_EQ(std::count(content->begin(), content->end(), '\n'), 250);
      decoded += *content;
    }
    EXPECT_EQ(decoded.size(), lines.size());
  }
  std::filesystem::remove_all(dir);
}

TEST(OutputFilesTest, RemovePartFilesTakesWhatTheReplayWouldNotReplace) {
  const std::string dir = testing::TempDir() + "remove_parts_" + std::to_string(::getpid());
  const std::string day = dir + "/" + data_layout::PurchaseDateDirName("2026-11-30");
  FileSystem& fs = FileSystem::Default();
  const data_layout::PartFile range{4, 10, 20};
  const Compression kAll[] = {Compression::kNone, Compression::kGzip, Compression::kZstd};
  for (const OutputLayout layout :
       {OutputLayout{Compression::kZstd, true}, OutputLayout{Compression::kNone, false},
        OutputLayout{Compression::kGzip, false}}) {
    std::filesystem::create_directories(day);
    std::vector<std::string> doomed, kept;
    for (Compression c : kAll) {
      const std::string name = data_layout::PartFileName(4, 10, 20, c);
      // The replay rewrites its own layout's names: those stay for it to replace.
      const bool top_kept = !layout.partition_by_purchase_date && c == layout.compression;
      const bool day_kept = layout.partition_by_purchase_date && c == layout.compression;
      (top_kept ? kept : doomed).push_back(dir + "/" + name);
      (day_kept ? kept : doomed).push_back(day + "/" + name);
      kept.push_back(day + "/" + data_layout::PartFileName(4, 21, 30, c));  // other ranges
      kept.push_back(dir + "/" + data_layout::PartFileName(5, 10, 20, c));
    }
    kept.push_back(dir + "/notes.txt");
    for (const std::string& path : doomed) ASSERT_TRUE(fs.WriteAndSync(path, "x\n").ok());
    for (const std::string& path : kept) ASSERT_TRUE(fs.WriteAndSync(path, "x\n").ok());
    ASSERT_TRUE(RemovePartFiles(fs, dir, range, layout).ok());
    for (const std::string& path : doomed) EXPECT_FALSE(std::filesystem::exists(path)) << path;
    for (const std::string& path : kept) EXPECT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_TRUE(RemovePartFiles(fs, dir + "/missing", range, layout).ok());
    std::filesystem::remove_all(dir);
  }
}

// A temporary root with the writer's folders (valid/, invalid/, ckpt/), removed at the end.
struct WriterDirs {
  WriterDirs() {
    char tmpl[] = "/tmp/orderflow-output-files-XXXXXX";
    root = mkdtemp(tmpl);
    for (const char* d : {"/valid", "/invalid", "/ckpt"})
      std::filesystem::create_directories(root + d);
  }
  ~WriterDirs() { std::filesystem::remove_all(root); }
  std::string root;
};

TEST(OutputFilesTest, TheBatchWriterPublishesIntoDateFolders) {
  WriterDirs dirs;
  const std::string& root = dirs.root;
  CheckpointLog log(FileSystem::Default(), root + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root + "/valid", root + "/invalid", RollPolicy{},
                     {Compression::kZstd, true});
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 10}}).ok());
  const std::string held = Event("held", "2026-11-30");
  ClosedBatch batch;
  ClosedPartition& p = batch.partitions.emplace_back();
  p.partition = 3;
  p.first = 10;
  p.last = 12;
  p.content.events = 3;
  p.content.valid = Event("built", "2026-11-29") + "\n";
  p.content.valid_pieces.push_back({nullptr, 0, p.content.valid.size()});
  p.content.valid_pieces.push_back({held.data(), 0, held.size()});
  p.content.invalid = "{\"json_str\":\"x\",\"invalid_reason\":\"malformed_json\"}\n";
  writer.Submit(std::move(batch));
  ClosedBatch done;
  ASSERT_TRUE(writer.Wait(done).ok());
  const std::string name = "part-00003-0000000000000000010-0000000000000000012.json.zst";
  EXPECT_EQ(ReadOutputFile(root + "/valid/purchase_date=2026-11-30/" + name).value(), held + "\n");
  EXPECT_EQ(ReadOutputFile(root + "/valid/purchase_date=2026-11-29/" + name).value(),
            Event("built", "2026-11-29") + "\n");
  EXPECT_EQ(
      ReadOutputFile(root + "/invalid/purchase_date=__HIVE_DEFAULT_PARTITION__/" + name).value(),
      "{\"json_str\":\"x\",\"invalid_reason\":\"malformed_json\"}\n");
}

// Rolled files with compression and date folders: each batch appends one zstd frame to the file
// of each folder it has lines for; the published file holds them all, in order.
TEST(OutputFilesTest, RolledFilesGetOneFramePerBatchInEachDateFolder) {
  WriterDirs dirs;
  const std::string& root = dirs.root;
  CheckpointLog log(FileSystem::Default(), root + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root + "/valid", root + "/invalid",
                     RollPolicy{std::chrono::minutes(10), uint64_t{1} << 30},
                     {Compression::kZstd, true});
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
  std::string expected_29, expected_30;
  for (int64_t first = 0; first < 6; first += 2) {
    ClosedBatch batch;
    ClosedPartition& p = batch.partitions.emplace_back();
    p.partition = 3;
    p.first = first;
    p.last = first + 1;
    p.content.events = 2;
    const std::string a = Event("a" + std::to_string(first), "2026-11-29") + "\n";
    const std::string b = Event("b" + std::to_string(first), "2026-11-30") + "\n";
    p.content.valid = a + b;
    p.content.valid_pieces.push_back({nullptr, 0, p.content.valid.size()});
    expected_29 += a;
    expected_30 += b;
    writer.Submit(std::move(batch));
    ClosedBatch done;
    ASSERT_TRUE(writer.Wait(done).ok());
  }
  EXPECT_TRUE(std::filesystem::exists(root + "/valid/purchase_date=2026-11-29/" +
                                      data_layout::OpenPartFileName(3, 0, Compression::kZstd)));
  ClosedBatch stop;
  stop.publish_all = true;
  writer.Submit(std::move(stop));
  ClosedBatch done;
  ASSERT_TRUE(writer.Wait(done).ok());
  const std::string name = "part-00003-0000000000000000000-0000000000000000005.json.zst";
  EXPECT_EQ(ReadOutputFile(root + "/valid/purchase_date=2026-11-29/" + name).value(), expected_29);
  EXPECT_EQ(ReadOutputFile(root + "/valid/purchase_date=2026-11-30/" + name).value(), expected_30);
}

}  // namespace
}  // namespace orderflow::stream

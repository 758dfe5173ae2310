#include "stream/batch_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "common/crc32c.h"
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

TEST_F(BatchWriterTest, ARecordWhoseLinesNeverReachedTheDiskDoesNotCount) {
  FaultInjectionFileSystem fs(FileSystem::Default());
  {
    CheckpointLog log(fs, root_ + "/ckpt", "test");
    ASSERT_TRUE(log.Acquire({3}).ok());
    ASSERT_TRUE(log.Save({{.partition = 3, .seq = 1, .next_offset = 10}}).ok());
    BatchWriter writer(fs, log, root_ + "/valid", root_ + "/invalid");
    ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 10}}).ok());
    // Both files opened and written (4), then, in the one round of syncs, the record appended
    // and synced (2) before the lines' syncs, which die: the worst order for a crash.
    fs.CrashAfter(6);
    writer.Submit(SampleBatch());
    ClosedBatch done;
    EXPECT_FALSE(writer.Wait(done).ok());
    EXPECT_EQ(fs.crashed_at(), FaultInjectionFileSystem::Op::kWrite);
    ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
    log.Drop({3});
  }
  // The record survived, its lines did not.
  CheckpointLog log(fs, root_ + "/ckpt", "next");
  BatchWriter writer(fs, log, root_ + "/valid", root_ + "/invalid");
  std::vector<int32_t> behind;
  auto state =
      log.Acquire({3}, &behind, [&](const PartitionCheckpoint& c) { return writer.Holds(c); });
  ASSERT_TRUE(state.ok()) << state.status().message();
  ASSERT_TRUE((*state)[3].has_value());
  EXPECT_EQ((*state)[3]->next_offset, 10);  // the batch goes again
  EXPECT_EQ((*state)[3]->seq, 3u);          // above the record that never committed
  EXPECT_EQ(behind, std::vector<int32_t>{3});
  // Without the check the record would count: what a record alone is not enough for.
  log.Drop({3});
  CheckpointLog unchecked(fs, root_ + "/ckpt", "unchecked");
  EXPECT_EQ(unchecked.Acquire({3}).value()[3]->next_offset, 13);
}

// Rolled files: one open file per partition and output across batches, published by age, by
// size, or when told (a stop, a rebalance); each batch still commits its lines.
class RollingWriterTest : public BatchWriterTest {
 protected:
  ClosedBatch Batch(int64_t first, int64_t last) {
    ClosedBatch batch = SampleBatch();
    batch.partitions[0].first = first;
    batch.partitions[0].last = last;
    return batch;
  }
  Status Write(BatchWriter& writer, ClosedBatch batch) {
    writer.Submit(std::move(batch));
    ClosedBatch done;
    return writer.Wait(done);
  }
  std::vector<std::string> Names(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(root_ + dir)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

TEST_F(RollingWriterTest, AFileStaysOpenAcrossBatchesUntilItsIntervalThenItsRangeNamesIt) {
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid",
                     RollPolicy{std::chrono::milliseconds(300), uint64_t{1} << 30});
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
  for (int64_t first = 0; first < 15; first += 3) {
    ASSERT_TRUE(Write(writer, Batch(first, first + 2)).ok());
  }
  EXPECT_EQ(Names("/valid"), std::vector<std::string>{".part-00003-0000000000000000000.json.tmp"});
  EXPECT_FALSE(writer.RollDue());
  // Committed all along: the snapshot says 15, and the open file's length.
  const PartitionCheckpoint open = DecodeCheckpoint(Read(root_ + "/ckpt/partition-3")).value();
  EXPECT_EQ(open.next_offset, 15);
  EXPECT_EQ(open.file, PartitionCheckpoint::File::kOpen);
  EXPECT_EQ(open.Bytes(PartitionCheckpoint::kValid), 5 * (external_.size() + 13));
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  EXPECT_TRUE(writer.RollDue());
  ClosedBatch tick;  // what the processor submits when a file is due and no lines wait
  ASSERT_TRUE(Write(writer, std::move(tick)).ok());
  EXPECT_EQ(Names("/valid"),
            std::vector<std::string>{"part-00003-0000000000000000000-0000000000000000014.json"});
  EXPECT_EQ(Read(root_ + "/valid/part-00003-0000000000000000000-0000000000000000014.json").size(),
            open.Bytes(PartitionCheckpoint::kValid));
  // The next batch starts the next file.
  ASSERT_TRUE(Write(writer, Batch(15, 17)).ok());
  EXPECT_EQ(Names("/valid").size(), 2u);
  EXPECT_EQ(Names("/valid")[0], ".part-00003-0000000000000000015.json.tmp");
}

TEST_F(RollingWriterTest, AFileIsPublishedWhenItReachesTheRollSizeOrWhenToldTo) {
  CheckpointLog log(FileSystem::Default(), root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(FileSystem::Default(), log, root_ + "/valid", root_ + "/invalid",
                     RollPolicy{std::chrono::minutes(60), 50});
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
  ASSERT_TRUE(Write(writer, Batch(0, 2)).ok());  // 23 bytes of valid lines
  ASSERT_TRUE(Write(writer, Batch(3, 5)).ok());  // 46
  EXPECT_EQ(Names("/valid").size(), 1u);
  EXPECT_TRUE(Names("/valid")[0].starts_with("."));
  ASSERT_TRUE(Write(writer, Batch(6, 8)).ok());  // 69 >= 50: published with this batch
  EXPECT_EQ(Names("/valid"),
            std::vector<std::string>{"part-00003-0000000000000000000-0000000000000000008.json"});
  ASSERT_TRUE(Write(writer, Batch(9, 11)).ok());
  ClosedBatch stop;
  stop.publish_all = true;
  ASSERT_TRUE(Write(writer, std::move(stop)).ok());
  EXPECT_EQ(Names("/valid"),
            (std::vector<std::string>{"part-00003-0000000000000000000-0000000000000000008.json",
                                      "part-00003-0000000000000000009-0000000000000000011.json"}));
  EXPECT_EQ(Names("/invalid").size(), 2u);
}

TEST_F(RollingWriterTest, ACrashCutsTheOpenFileBackToItsLastCommit) {
  FaultInjectionFileSystem fs(FileSystem::Default());
  const RollPolicy roll{std::chrono::minutes(60), uint64_t{1} << 30};
  {
    CheckpointLog log(fs, root_ + "/ckpt", "test");
    ASSERT_TRUE(log.Acquire({3}).ok());
    ASSERT_TRUE(log.Save({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
    BatchWriter writer(fs, log, root_ + "/valid", root_ + "/invalid", roll);
    ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
    ASSERT_TRUE(Write(writer, Batch(0, 2)).ok());
    ASSERT_TRUE(Write(writer, Batch(3, 5)).ok());
    fs.CrashAfter(2);  // the third batch's lines appended, then dead before anything is synced
    EXPECT_FALSE(Write(writer, Batch(6, 8)).ok());
    ASSERT_TRUE(fs.DropUnsyncedChanges().ok());
    log.Drop({3});
  }
  CheckpointLog log(fs, root_ + "/ckpt", "next");
  BatchWriter writer(fs, log, root_ + "/valid", root_ + "/invalid", roll);
  auto state =
      log.Acquire({3}, nullptr, [&](const PartitionCheckpoint& c) { return writer.Holds(c); });
  ASSERT_TRUE(state.ok()) << state.status().message();
  const PartitionCheckpoint committed = *(*state)[3];
  EXPECT_EQ(committed.next_offset, 6);
  EXPECT_EQ(committed.file, PartitionCheckpoint::File::kOpen);
  ASSERT_TRUE(writer.Recover({committed}).ok());
  ASSERT_TRUE(Write(writer, Batch(6, 8)).ok());
  ClosedBatch stop;
  stop.publish_all = true;
  ASSERT_TRUE(Write(writer, std::move(stop)).ok());
  const std::string lines = "{\"built\":1}\n{\"held\":2}\n";
  EXPECT_EQ(Read(root_ + "/valid/part-00003-0000000000000000000-0000000000000000008.json"),
            lines + lines + lines);
}

// The real file system, with the files' syncs held at a gate: a commit point that waits for
// the disk as long as a test likes.
class GatedFileSystem final : public FileSystem {
 public:
  void Close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  int file_syncs() {
    std::lock_guard lock(mutex_);
    return file_syncs_;
  }

  bool SupportsConcurrentWrites() const override { return true; }
  Status WriteAndSync(const std::string& path, std::string_view data) override {
    return base_.WriteAndSync(path, data);
  }
  Status WriteAndSyncPieces(const std::string& path,
                            std::span<const std::string_view> pieces) override {
    return base_.WriteAndSyncPieces(path, pieces);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    return base_.Rename(from, to);
  }
  Status SyncDir(const std::string& dir) override { return base_.SyncDir(dir); }
  Result<std::string> ReadFile(const std::string& path) override { return base_.ReadFile(path); }
  Result<std::string> ReadRange(const std::string& path, uint64_t offset, uint64_t size) override {
    return base_.ReadRange(path, offset, size);
  }
  Status Remove(const std::string& path) override { return base_.Remove(path); }
  Status CreateDirs(const std::string& dir) override { return base_.CreateDirs(dir); }
  Result<std::vector<std::string>> List(const std::string& dir) override { return base_.List(dir); }
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    return Gate(base_.NewWritableFile(path));
  }
  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    return Gate(base_.NewAppendableFile(path));
  }
  Status WriteWithoutSync(const std::string& path, std::string_view data) override {
    return base_.WriteWithoutSync(path, data);
  }
  Status OverwriteWithoutSync(const std::string& path, std::string_view data) override {
    return base_.OverwriteWithoutSync(path, data);
  }
  Status SyncFile(const std::string& path) override { return base_.SyncFile(path); }
  Status Truncate(const std::string& path, uint64_t size) override {
    return base_.Truncate(path, size);
  }
  Result<uint64_t> FileSize(const std::string& path) override { return base_.FileSize(path); }

 private:
  class GatedFile final : public WritableFile {
   public:
    GatedFile(GatedFileSystem& fs, std::unique_ptr<WritableFile> file)
        : fs_(fs), file_(std::move(file)) {}
    Status Append(std::span<const std::string_view> pieces) override {
      return file_->Append(pieces);
    }
    Status Sync() override {
      {
        std::unique_lock lock(fs_.mutex_);
        fs_.changed_.wait(lock, [&] { return fs_.open_; });
        ++fs_.file_syncs_;
      }
      return file_->Sync();
    }
    uint64_t size() const override { return file_->size(); }
    Status Close() override { return file_->Close(); }

   private:
    GatedFileSystem& fs_;
    std::unique_ptr<WritableFile> file_;
  };
  Result<std::unique_ptr<WritableFile>> Gate(Result<std::unique_ptr<WritableFile>> file) {
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new GatedFile(*this, std::move(file).value()));
  }

  FileSystem& base_ = FileSystem::Default();
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  int file_syncs_ = 0;
};

TEST_F(RollingWriterTest, BatchesAppendedWhileACommitWaitsForTheDiskAreCommittedTogether) {
  GatedFileSystem fs;
  CheckpointLog log(fs, root_ + "/ckpt", "test");
  ASSERT_TRUE(log.Acquire({3}).ok());
  BatchWriter writer(fs, log, root_ + "/valid", root_ + "/invalid",
                     RollPolicy{std::chrono::minutes(60), uint64_t{1} << 30});
  ASSERT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
  fs.Close();
  writer.Submit(Batch(0, 2));
  // Appended and at its commit point, held there: the writer takes the next batches meanwhile.
  for (int64_t first = 3; first < 9; first += 3) {
    writer.WaitAccepting();
    writer.Submit(Batch(first, first + 2));
  }
  writer.WaitAccepting();
  EXPECT_FALSE(writer.Finished());
  EXPECT_EQ(fs.file_syncs(), 0);
  fs.Open();
  ClosedBatch done[3];
  for (ClosedBatch& d : done) ASSERT_TRUE(writer.Wait(d).ok());
  EXPECT_EQ(done[0].partitions[0].first, 0);
  EXPECT_EQ(done[1].partitions[0].first, 3);
  EXPECT_EQ(done[2].partitions[0].first, 6);
  // The second and third batch: one commit point. Two in all, each syncing the valid file, the
  // invalid file and the commit log (three commits would have synced nine).
  EXPECT_EQ(done[1].durable_at, done[2].durable_at);
  EXPECT_EQ(fs.file_syncs(), 6);
  EXPECT_FALSE(writer.Busy());
  ASSERT_TRUE(log.Release({3}).ok());
  const PartitionCheckpoint committed = CommittedState(root_ + "/ckpt", 3);
  EXPECT_EQ(committed.next_offset, 9);
  const std::string lines = "{\"built\":1}\n{\"held\":2}\n";
  EXPECT_EQ(committed.Bytes(PartitionCheckpoint::kValid), 3 * lines.size());
  EXPECT_EQ(Read(root_ + "/valid/.part-00003-0000000000000000000.json.tmp"), lines + lines + lines);
}

TEST_F(RollingWriterTest, TheValidLinesChecksumTakenOnTheWayIsTheOneTheCommitRecordCarries) {
  const std::string lines = "{\"built\":1}\n{\"held\":2}\n";  // SampleBatch's valid file
  const RollPolicy roll{std::chrono::minutes(60), uint64_t{1} << 30};
  // Two batches, the second with `crc` as its valid_crc, then a crash (the log left as it is):
  // the offset a recovery resumes from.
  auto resumed_at = [&](const std::string& dir, std::optional<uint32_t> crc) -> int64_t {
    for (const char* d : {"/valid", "/invalid", "/ckpt"}) {
      std::filesystem::create_directories(dir + d);
    }
    {
      CheckpointLog log(FileSystem::Default(), dir + "/ckpt", "test");
      EXPECT_TRUE(log.Acquire({3}).ok());
      BatchWriter writer(FileSystem::Default(), log, dir + "/valid", dir + "/invalid", roll);
      EXPECT_TRUE(writer.Recover({{.partition = 3, .seq = 1, .next_offset = 0}}).ok());
      EXPECT_TRUE(Write(writer, Batch(0, 2)).ok());
      ClosedBatch batch = Batch(3, 5);
      batch.partitions[0].content.valid_crc = crc;
      EXPECT_TRUE(Write(writer, std::move(batch)).ok());
      log.Drop({3});
    }
    CheckpointLog log(FileSystem::Default(), dir + "/ckpt", "next");
    BatchWriter writer(FileSystem::Default(), log, dir + "/valid", dir + "/invalid", roll);
    auto state =
        log.Acquire({3}, nullptr, [&](const PartitionCheckpoint& c) { return writer.Holds(c); });
    EXPECT_TRUE(state.ok()) << state.status().message();
    return state.ok() && (*state)[3] ? (*state)[3]->next_offset : -1;
  };
  EXPECT_EQ(resumed_at(root_ + "/computed", std::nullopt), 6);
  EXPECT_EQ(resumed_at(root_ + "/given", Crc32c(lines)), 6);
  // A wrong one is what the record carries: the recovery finds the lines do not match it.
  EXPECT_EQ(resumed_at(root_ + "/wrong", Crc32c(lines) ^ 1), 3);
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

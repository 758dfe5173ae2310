#include "stream/checkpoint_format.h"

#include <gtest/gtest.h>

#include <limits>

namespace orderflow::stream {
namespace {

using File = PartitionCheckpoint::File;
using FileLength = PartitionCheckpoint::FileLength;
constexpr auto kValid = PartitionCheckpoint::kValid;
constexpr auto kInvalid = PartitionCheckpoint::kInvalid;

PartitionCheckpoint Open(int32_t partition, uint64_t seq, int64_t next, int64_t first,
                         uint64_t valid, uint64_t invalid) {
  PartitionCheckpoint c{.partition = partition,
                        .seq = seq,
                        .next_offset = next,
                        .file = File::kOpen,
                        .file_first = first};
  if (valid > 0) c.files.push_back({kValid, "", valid, valid, 0});
  if (invalid > 0) c.files.push_back({kInvalid, "", invalid, invalid, 0});
  return c;
}

TEST(CheckpointFormatTest, SnapshotsRoundTripEveryFileState) {
  PartitionCheckpoint closed = Open(0, 7, 250, 100, 4096, 17);
  closed.file = File::kClosed;
  PartitionCheckpoint folders = Open(0, 8, 300, 250, 0, 0);
  folders.compression = Compression::kGzip;
  folders.files = {{kValid, "purchase_date=2026-11-29", 10, 10, 0},
                   {kValid, "purchase_date=2026-11-30", 20, 20, 0},
                   {kInvalid, "purchase_date=__HIVE_DEFAULT_PARTITION__", 30, 30, 0}};
  for (const PartitionCheckpoint& c : {PartitionCheckpoint{.seq = 1, .next_offset = 0},
                                       PartitionCheckpoint{.seq = 99, .next_offset = 123456789012},
                                       Open(0, 3, 20, 10, 0, 5), closed, folders}) {
    const std::string text = EncodeCheckpoint(c);
    EXPECT_TRUE(text.size() == 174 || (text.size() - 14) % 128 == 0) << text;
    auto decoded = DecodeCheckpoint(text);
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, c);
  }
  PartitionCheckpoint widest = closed;
  widest.seq = std::numeric_limits<uint64_t>::max();
  widest.next_offset = widest.file_first = std::numeric_limits<int64_t>::max();
  for (FileLength& f : widest.files) f.bytes = f.batch_from = std::numeric_limits<uint64_t>::max();
  widest.compression = Compression::kZstd;
  EXPECT_EQ(EncodeCheckpoint(widest).size(), EncodeCheckpoint(closed).size())
      << "one size, from the first commit to the largest numbers, for a set at the top";
  EXPECT_EQ(DecodeCheckpoint(EncodeCheckpoint(widest)).value(), widest);
}

TEST(CheckpointFormatTest, SnapshotTextKeepsNextFirstAsVersionOneDid) {
  EXPECT_EQ(EncodeCheckpoint({.seq = 4, .next_offset = 42}).substr(0, 39),
            "orderflow-checkpoint v2 next=42 seq=4  ");
  const std::string open = EncodeCheckpoint(Open(0, 5, 50, 40, 300, 0));
  EXPECT_EQ(open.find(" file=open:40 v:300 "), 37u) << open;
  EXPECT_EQ(open.substr(open.size() - 14, 5), " crc=");
}

TEST(CheckpointFormatTest, ReadsVersionOneFilesWithAndWithoutAPendingBatch) {
  // Written by the previous version (its EncodeCheckpoint), byte for byte.
  auto committed = DecodeCheckpoint("orderflow-checkpoint v1 next=13 crc=2a18e1c8\n");
  ASSERT_TRUE(committed.ok()) << committed.status().message();
  EXPECT_EQ(*committed, (PartitionCheckpoint{.seq = 0, .next_offset = 13}));
  auto pending = DecodeCheckpoint("orderflow-checkpoint v1 next=10 pending=10-12 crc=a093700e\n");
  ASSERT_TRUE(pending.ok()) << pending.status().message();
  EXPECT_EQ(*pending, (PartitionCheckpoint{.seq = 0,
                                           .next_offset = 10,
                                           .has_pending = true,
                                           .pending_first = 10,
                                           .pending_last = 12}));
}

TEST(CheckpointFormatTest, DetectsTornAndDamagedSnapshots) {
  const std::string good = EncodeCheckpoint(Open(0, 9, 99, 42, 1000, 10));
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(DecodeCheckpoint(good.substr(0, cut)).ok()) << "cut at " << cut;
  }
  std::string flipped = good;
  flipped[good.find("99")] = '5';
  EXPECT_EQ(DecodeCheckpoint(flipped).status().code(), Status::Code::kCorruption);
  EXPECT_FALSE(DecodeCheckpoint("garbage\n").ok());
  EXPECT_FALSE(DecodeCheckpoint("orderflow-checkpoint v3 next=1 crc=00000000\n").ok());
}

TEST(CheckpointFormatTest, LogRecordsRoundTripWithWhatTheirBatchAppended) {
  PartitionCheckpoint with_batch = Open(4, 9, 900, 600, 0, 300);
  with_batch.compression = Compression::kZstd;
  with_batch.files.insert(with_batch.files.begin(),
                          {kValid, "purchase_date=2026-11-30", 5000, 4000, 0xdeadbeef});
  const std::vector<PartitionCheckpoint> records = {{.partition = 3, .seq = 1, .next_offset = 0},
                                                    Open(5, 2, 700, 600, 12345, 0),
                                                    Open(3, 2, 10, 0, 1, 2),
                                                    with_batch};
  EXPECT_TRUE(with_batch.HasBatch());
  EXPECT_FALSE(records[1].HasBatch());
  std::string log;
  for (const PartitionCheckpoint& r : records) log += EncodeLogRecord(r);
  // Tools that read a snapshot's " next=" must not mistake a log for one.
  EXPECT_EQ(log.find(" next="), std::string::npos) << log;
  EXPECT_NE(
      log.find(" file=open:600:zstd v@purchase_date=2026-11-30:5000/4000/deadbeef i:300 crc="),
      std::string::npos)
      << log;
  size_t good = 0;
  auto decoded = DecodeLog(log, &good);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, records);
  EXPECT_EQ(good, log.size());
  // A snapshot never says what a commit appended.
  EXPECT_EQ(DecodeCheckpoint(EncodeCheckpoint(with_batch)).value().HasBatch(), false);
}

TEST(CheckpointFormatTest, ALogsUnfinishedLastRecordIsLeftOutAnEarlierDamagedOneIsCorruption) {
  const std::string first = EncodeLogRecord(Open(1, 5, 50, 40, 10, 0));
  const std::string second = EncodeLogRecord(Open(2, 6, 60, 40, 20, 0));
  for (size_t cut = 0; cut < second.size(); ++cut) {
    size_t good = 0;
    auto decoded = DecodeLog(first + second.substr(0, cut), &good);
    ASSERT_TRUE(decoded.ok()) << "cut at " << cut;
    EXPECT_EQ(decoded->size(), 1u) << "cut at " << cut;
    EXPECT_EQ(good, first.size());
  }
  std::string damaged = first + second;
  damaged[first.find("seq=5") + 4] = '7';
  EXPECT_EQ(DecodeLog(damaged).status().code(), Status::Code::kCorruption);
  EXPECT_TRUE(DecodeLog("").ok());
}

}  // namespace
}  // namespace orderflow::stream

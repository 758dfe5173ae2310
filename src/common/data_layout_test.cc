// The names are spelled out literally here on purpose: they are the on-disk format, and a change
// to any of them must fail a test (existing data directories depend on every byte).
#include "common/data_layout.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace orderflow::data_layout {
namespace {

TEST(DataLayoutTest, FoldersAreTheContractsNames) {
  EXPECT_STREQ(kDefaultDataDir, "data");
  EXPECT_EQ(ValidDir("data"), "data/orders_json");
  EXPECT_EQ(InvalidDir("/srv/of"), "/srv/of/invalid_events");
  EXPECT_EQ(CheckpointRootDir("d"), "d/_checkpoints");
  EXPECT_EQ(CheckpointDir("d", "orders"), "d/_checkpoints/orders");
}

TEST(DataLayoutTest, CheckpointFileNameIsUnpadded) {
  EXPECT_EQ(CheckpointFileName(0), "partition-0");
  EXPECT_EQ(CheckpointFileName(5), "partition-5");
  EXPECT_EQ(CheckpointFileName(123456), "partition-123456");
}

TEST(DataLayoutTest, CheckpointFileNameRoundTrips) {
  for (int32_t p : {0, 1, 9, 10, 99999, 100000, std::numeric_limits<int32_t>::max()}) {
    EXPECT_EQ(ParseCheckpointFileName(CheckpointFileName(p)), p) << p;
  }
}

TEST(DataLayoutTest, ParseCheckpointFileNameRejectsForeignNames) {
  for (const char* name :
       {"", "partition-", "partition", "partition-x", "partition--1", "partition-+1",
        "partition-05", "partition-5 ", " partition-5", "partition-5.tmp", ".partition-5.tmp",
        "Partition-5", "partition-2147483648", "partition-99999999999999999999", "part-5",
        "partition-5\n"}) {
    EXPECT_EQ(ParseCheckpointFileName(name), std::nullopt) << "'" << name << "'";
  }
}

TEST(DataLayoutTest, PartFileNameIsPadded) {
  EXPECT_EQ(PartFileName(3, 10, 12), "part-00003-0000000000000000010-0000000000000000012.json");
  EXPECT_EQ(PartFileName(0, 0, 0), "part-00000-0000000000000000000-0000000000000000000.json");
  EXPECT_EQ(PartFileName(123456, 0, std::numeric_limits<int64_t>::max()),
            "part-123456-0000000000000000000-9223372036854775807.json");
  EXPECT_EQ(PartFileName(PartFile{7, 1, 2}), PartFileName(7, 1, 2));
}

TEST(DataLayoutTest, PartFileNameRoundTrips) {
  for (const PartFile& part :
       {PartFile{0, 0, 0}, PartFile{5, 41, 1999}, PartFile{99999, 7, 7}, PartFile{100000, 0, 1},
        PartFile{std::numeric_limits<int32_t>::max(), std::numeric_limits<int64_t>::max(),
                 std::numeric_limits<int64_t>::max()}}) {
    const std::string name = PartFileName(part);
    EXPECT_EQ(ParsePartFileName(name), part) << name;
  }
}

TEST(DataLayoutTest, ParsePartFileNameRejectsForeignNames) {
  for (const char* name : {
           "",
           "part-00000.json",  // what analytics/order_files.cc wrote before
           "part-0-0-0.json",  // unpadded
           "part-00003-0000000000000000012-0000000000000000010.json",  // first > last
           "part-00003-0000000000000000010-0000000000000000012.json.tmp",
           ".part-00003-0000000000000000010-0000000000000000012.json.tmp",
           "part-00003-0000000000000000010-0000000000000000012.json.gz.tmp",
           "part-00003-0000000000000000010-0000000000000000012.json.bz2",
           "part-00003-0000000000000000010-0000000000000000012.json.zstd",
           "part-00003-0000000000000000010-0000000000000000012.gz",
           "part-00003-0000000000000000010-0000000000000000012",
           "part-00003-0000000000000000010-0000000000000000012.JSON",
           "part-00003-000000000000000010-0000000000000000012.json",    // 18 digits
           "part-00003-00000000000000000010-0000000000000000012.json",  // 20 digits
           "part-012345-0000000000000000010-0000000000000000012.json",  // 6 digits, padded
           "part--0003-0000000000000000010-0000000000000000012.json",   // sign
           "part-00003_0000000000000000010_0000000000000000012.json",   // separators
           "part-00003-9999999999999999999-9999999999999999999.json",   // beyond int64
           "Part-00003-0000000000000000010-0000000000000000012.json",
           "partition-3",
           "report.json",
       }) {
    EXPECT_EQ(ParsePartFileName(name), std::nullopt) << "'" << name << "'";
  }
}

TEST(DataLayoutTest, CompressedPartFilesAddTheToolsSuffix) {
  EXPECT_EQ(PartFileName(3, 10, 12, Compression::kGzip),
            "part-00003-0000000000000000010-0000000000000000012.json.gz");
  EXPECT_EQ(PartFileName(3, 10, 12, Compression::kZstd),
            "part-00003-0000000000000000010-0000000000000000012.json.zst");
  EXPECT_EQ(PartFileName(3, 10, 12, Compression::kNone), PartFileName(3, 10, 12));
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    const PartFile part{4, 100, 250, c};
    const std::string name = PartFileName(part);
    EXPECT_EQ(ParsePartFileName(name), part) << name;
    EXPECT_EQ(CompressionOfFileName(name), c) << name;
    EXPECT_EQ(CompressionOfFileName("data/orders_json/purchase_date=2026-11-30/" + name), c);
    EXPECT_TRUE(ParsePartFileName(name)->SameRange(PartFile{4, 100, 250}));
  }
  EXPECT_EQ(CompressionOfFileName("notes.gz"), Compression::kNone);  // not an output file
  EXPECT_EQ(ParseCompression("zstd"), Compression::kZstd);
  EXPECT_EQ(ParseCompression("gzip"), Compression::kGzip);
  EXPECT_EQ(ParseCompression("none"), Compression::kNone);
  EXPECT_EQ(ParseCompression("gz"), std::nullopt);
  EXPECT_EQ(ParseCompression(""), std::nullopt);
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
}

TEST(DataLayoutTest, PurchaseDateFoldersAreHiveStyle) {
  EXPECT_STREQ(kDefaultPartitionValue, "__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(PurchaseDateDirName("2026-11-30"), "purchase_date=2026-11-30");
  EXPECT_EQ(PurchaseDateDirName("2024-02-29"), "purchase_date=2024-02-29");  // leap day
  const std::string kDefault = "purchase_date=__HIVE_DEFAULT_PARTITION__";
  EXPECT_EQ(PurchaseDateDirName(std::nullopt), kDefault);  // absent or not a string
  for (const char* unreadable : {"", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10",
                                 "2026-04-31", "0000-01-01", "2026-1-30", "2026/11/30",
                                 "2026-11-30T10:00:00", "../../etc", "-026-11-30", "2026-11-3x"}) {
    EXPECT_EQ(PurchaseDateDirName(unreadable), kDefault) << unreadable;
  }
  EXPECT_TRUE(IsCalendarDate("2000-02-29"));
  EXPECT_TRUE(IsCalendarDate("9999-12-31"));
  EXPECT_TRUE(IsCalendarDate("0001-01-01"));
}

TEST(DataLayoutTest, ParsePartitionDirNameSplitsColumnAndValue) {
  auto dir = ParsePartitionDirName("purchase_date=2026-11-30");
  ASSERT_TRUE(dir.has_value());
  EXPECT_EQ(dir->column, "purchase_date");
  EXPECT_EQ(dir->value, "2026-11-30");
  const std::string default_dir = PurchaseDateDirName(std::nullopt);
  dir = ParsePartitionDirName(default_dir);
  ASSERT_TRUE(dir.has_value());
  EXPECT_EQ(dir->value, kDefaultPartitionValue);
  EXPECT_EQ(ParsePartitionDirName("a=b=c")->value, "b=c");  // Spark splits at the first '='
  for (const char* name : {"", "purchase_date", "=2026-11-30", "purchase_date=",
                           "_purchase_date=2026-11-30", ".purchase_date=2026-11-30"}) {
    EXPECT_EQ(ParsePartitionDirName(name), std::nullopt) << "'" << name << "'";
  }
  EXPECT_FALSE(IsIgnoredByReaders(PurchaseDateDirName("2026-11-30")));
  EXPECT_FALSE(IsIgnoredByReaders(PurchaseDateDirName(std::nullopt)));
}

TEST(DataLayoutTest, TempFileNameIsHiddenBesideTheFinalName) {
  EXPECT_EQ(TempFileName("partition-5"), ".partition-5.tmp");
  EXPECT_EQ(TempFileName("part-00003-0000000000000000010-0000000000000000012.json"),
            ".part-00003-0000000000000000010-0000000000000000012.json.tmp");
  EXPECT_EQ(TempFileName("broker.bootstrap"), ".broker.bootstrap.tmp");
  EXPECT_TRUE(IsTempFileName(TempFileName("partition-5")));
  EXPECT_TRUE(IsTempFileName(".partial.json"));  // any hidden name counts as a temporary
  EXPECT_FALSE(IsTempFileName(""));
  EXPECT_FALSE(IsTempFileName("partition-5"));
  EXPECT_FALSE(IsTempFileName("part-00003-0000000000000000010-0000000000000000012.json"));
  EXPECT_FALSE(IsTempFileName("x.tmp"));
}

TEST(DataLayoutTest, ReadersSkipTemporariesAndMetadata) {
  EXPECT_TRUE(IsIgnoredByReaders(""));
  EXPECT_TRUE(IsIgnoredByReaders(".part-00001-0000000000000000000-0000000000000000009.json.tmp"));
  EXPECT_TRUE(IsIgnoredByReaders(".report-Ab12Cd"));
  EXPECT_TRUE(IsIgnoredByReaders("_checkpoints"));
  EXPECT_TRUE(IsIgnoredByReaders("_SUCCESS"));
  EXPECT_FALSE(IsIgnoredByReaders("orders_json"));
  EXPECT_FALSE(IsIgnoredByReaders("date=2025-11-24"));
  EXPECT_FALSE(IsIgnoredByReaders("part-00001-0000000000000000000-0000000000000000009.json"));
}

TEST(DataLayoutTest, OutputFilesAreVisibleJsonFiles) {
  EXPECT_TRUE(IsOutputFileName(PartFileName(1, 0, 9)));
  EXPECT_TRUE(IsOutputFileName("damaged.json"));  // another tool's file beside ours
  EXPECT_FALSE(IsOutputFileName(TempFileName(PartFileName(1, 0, 9))));
  EXPECT_FALSE(IsOutputFileName(".partial.json"));
  EXPECT_FALSE(IsOutputFileName("_meta.json"));
  EXPECT_TRUE(IsOutputFileName("part-00001.json.gz"));  // compressed, another tool's name
  EXPECT_TRUE(IsOutputFileName(PartFileName(1, 0, 9, Compression::kZstd)));
  EXPECT_FALSE(IsOutputFileName(TempFileName(PartFileName(1, 0, 9, Compression::kGzip))));
  EXPECT_FALSE(IsOutputFileName("part-00001.gz"));
  EXPECT_FALSE(IsOutputFileName("part-00001.json.zstd"));
  EXPECT_FALSE(IsOutputFileName("part-00001.json.bz2"));
  EXPECT_FALSE(IsOutputFileName("partition-1"));
  EXPECT_FALSE(IsOutputFileName("json"));
}

TEST(DataLayoutTest, BrokerFilesSitInTheDataDir) {
  EXPECT_EQ(BrokerBootstrapFileName(), "broker.bootstrap");
  EXPECT_EQ(BrokerControlFileName(), "broker.control");
  EXPECT_EQ(BrokerBootstrapFilePath("data"), "data/broker.bootstrap");
  EXPECT_EQ(BrokerControlFilePath("/tmp/x"), "/tmp/x/broker.control");
  EXPECT_TRUE(IsBrokerFileName("broker.bootstrap"));
  EXPECT_TRUE(IsBrokerFileName("broker.control"));
  EXPECT_FALSE(IsBrokerFileName(".broker.bootstrap.tmp"));
  EXPECT_FALSE(IsBrokerFileName("broker.log"));
  EXPECT_FALSE(IsBrokerFileName("orders_json"));
}

TEST(DataLayoutTest, CheckpointLogsLocksAndTheOwnerHaveTheirNames) {
  EXPECT_EQ(PartitionLockFileName(5), "partition-5.lock");
  EXPECT_EQ(ParseCheckpointFileName(PartitionLockFileName(5)), std::nullopt);
  EXPECT_EQ(CheckpointLogFileName(0x1234abcdULL), "log-000000001234abcd");
  EXPECT_EQ(ParseCheckpointLogFileName("log-000000001234abcd"), 0x1234abcdULL);
  EXPECT_EQ(ParseCheckpointLogFileName(CheckpointLogFileName(~0ULL)), ~0ULL);
  for (const char* name :
       {"log-", "log-1234abcd", "log-000000001234ABCD", "log-000000001234abcd.tmp",
        ".log-000000001234abcd", "log-00000000000000000", "log--00000001234abcd", "partition-1"}) {
    EXPECT_EQ(ParseCheckpointLogFileName(name), std::nullopt) << name;
  }
  EXPECT_EQ(OwnerFilePath("data"), "data/_owner");
  EXPECT_TRUE(IsIgnoredByReaders("_owner"));
}

TEST(DataLayoutTest, OpenPartFilesAreHiddenAndNameTheirPartitionAndFirstOffset) {
  EXPECT_EQ(OpenPartFileName(3, 10), ".part-00003-0000000000000000010.json.tmp");
  EXPECT_TRUE(IsTempFileName(OpenPartFileName(3, 10)));
  EXPECT_FALSE(IsOutputFileName(OpenPartFileName(3, 10)));
  EXPECT_EQ(ParseOpenPartFileName(OpenPartFileName(3, 10)), (OpenPart{3, 10}));
  EXPECT_EQ(OpenPartFileName(3, 10, Compression::kGzip),
            ".part-00003-0000000000000000010.json.gz.tmp");
  EXPECT_EQ(ParseOpenPartFileName(OpenPartFileName(3, 10, Compression::kZstd)),
            (OpenPart{3, 10, Compression::kZstd}));
  EXPECT_EQ(PartitionOfPartTemp(OpenPartFileName(4, 1, Compression::kGzip)), 4);
  EXPECT_EQ(PartitionOfPartTemp(TempFileName(PartFileName(5, 1, 2, Compression::kZstd))), 5);
  EXPECT_EQ(ParseOpenPartFileName(OpenPartFileName(123456, std::numeric_limits<int64_t>::max())),
            (OpenPart{123456, std::numeric_limits<int64_t>::max()}));
  for (const char* name :
       {"part-00003-0000000000000000010.json.tmp", ".part-3-0000000000000000010.json.tmp",
        ".part-00003-0000000000000000010.json",
        ".part-00003-0000000000000000010-0000000000000000012.json.tmp"}) {
    EXPECT_EQ(ParseOpenPartFileName(name), std::nullopt) << name;
  }
  // Every temporary of a part file, of this version and the previous one, and nothing else.
  EXPECT_EQ(PartitionOfPartTemp(OpenPartFileName(7, 1)), 7);
  EXPECT_EQ(PartitionOfPartTemp(TempFileName(PartFileName(8, 1, 2))), 8);
  EXPECT_EQ(PartitionOfPartTemp(PartFileName(8, 1, 2)), std::nullopt);
  EXPECT_EQ(PartitionOfPartTemp(TempFileName("partition-8")), std::nullopt);
  EXPECT_EQ(PartitionOfPartTemp(".tmp"), std::nullopt);
}

}  // namespace
}  // namespace orderflow::data_layout

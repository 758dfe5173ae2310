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
           "part-00003-0000000000000000010-0000000000000000012.json.gz",
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
  EXPECT_FALSE(IsOutputFileName("part-00001.json.gz"));
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

}  // namespace
}  // namespace orderflow::data_layout

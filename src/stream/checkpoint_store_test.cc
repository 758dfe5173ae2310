#include "stream/checkpoint_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace orderflow::stream {
namespace {

TEST(CheckpointFormatTest, RoundTripsCommittedAndPendingCheckpoints) {
  for (const PartitionCheckpoint& c : {PartitionCheckpoint{0}, PartitionCheckpoint{123456789012},
                                       PartitionCheckpoint{100, true, 100, 250}}) {
    auto decoded = DecodeCheckpoint(EncodeCheckpoint(c));
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, c);
  }
}

TEST(CheckpointFormatTest, DetectsTornAndDamagedFiles) {
  const std::string good = EncodeCheckpoint({42, true, 42, 99});
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(DecodeCheckpoint(good.substr(0, cut)).ok()) << "cut at " << cut;
  }
  std::string flipped = good;
  flipped[good.find("42")] = '5';
  EXPECT_EQ(DecodeCheckpoint(flipped).status().code(), Status::Code::kCorruption);
  EXPECT_FALSE(DecodeCheckpoint("garbage\n").ok());
}

class CheckpointStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-ckpt-XXXXXX";
    root_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

TEST_F(CheckpointStoreTest, LoadIsNotFoundOnAFirstStart) {
  CheckpointStore store(FileSystem::Default(), root_ + "/ckpt/orders");
  ASSERT_TRUE(store.Open().ok());
  EXPECT_TRUE(store.Load(0).status().IsNotFound());
}

TEST_F(CheckpointStoreTest, SaveThenLoadPerPartition) {
  CheckpointStore store(FileSystem::Default(), root_ + "/ckpt");
  ASSERT_TRUE(store.Open().ok());
  ASSERT_TRUE(store.Save({{0, {10}}, {3, {5, true, 5, 9}}}).ok());
  EXPECT_EQ(store.Load(0).value(), PartitionCheckpoint{10});
  EXPECT_EQ(store.Load(3).value(), (PartitionCheckpoint{5, true, 5, 9}));
  EXPECT_TRUE(store.Load(1).status().IsNotFound());
  // A second store over the same directory (another instance, or a restart) sees the same.
  CheckpointStore other(FileSystem::Default(), root_ + "/ckpt");
  EXPECT_EQ(other.Load(3).value(), (PartitionCheckpoint{5, true, 5, 9}));
}

TEST_F(CheckpointStoreTest, ReportsACorruptFile) {
  CheckpointStore store(FileSystem::Default(), root_);
  ASSERT_TRUE(store.Open().ok());
  ASSERT_TRUE(PublishFiles(FileSystem::Default(), root_, {{"partition-2", "junk"}}).ok());
  EXPECT_EQ(store.Load(2).status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace orderflow::stream

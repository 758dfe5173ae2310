// A data dir written by the previous version (per-partition `partition-<N>` files with next= and
// pending=, part files named by batch range, `.part-...-<F>-<L>.json.tmp` temporaries) resumes
// with nothing lost or duplicated: the checkpoint is read as it is, an unfinished batch is
// replayed over exactly its range to the same file names, and the previous version's
// temporaries are removed (docs/checkpoint_format.md, "Data dirs of the previous version").
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/data_layout.h"
#include "common/file_system.h"
#include "kafka/embedded_cluster.h"
#include "stream/checkpoint_format.h"
#include "stream/processor.h"
#include "stream/processor_test_orders.h"

namespace orderflow::stream {
namespace {

constexpr int kMessages = 300;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

class ProcessorMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = kafka::EmbeddedCluster::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status().message();
    cluster_.emplace(std::move(cluster).value());
    ASSERT_TRUE(cluster_->CreateTopic("orders", 1, 1).ok());
    const kafka::KafkaSettings settings{cluster_->bootstrap_servers(), {}};
    TestOrders orders = ProduceTestOrders(settings, "orders", 7, kMessages);
    ASSERT_FALSE(HasFailure());
    ids_ = std::move(orders.ids);
    payloads_ = std::move(orders.payloads);

    char tmpl[] = "/tmp/orderflow-migrate-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    data_dir_ = tmpl;
    for (const std::string& dir :
         {data_layout::ValidDir(data_dir_), data_layout::InvalidDir(data_dir_),
          data_layout::CheckpointDir(data_dir_, "orders")}) {
      std::filesystem::create_directories(dir);
    }
    options_.kafka = settings;
    options_.kafka.properties = {{"session.timeout.ms", "4000"}, {"heartbeat.interval.ms", "300"}};
    options_.data_dir = data_dir_;
    options_.trigger = std::chrono::milliseconds(20);
    options_.until_idle_seconds = 1;
    options_.assignment_timeout_seconds = 30;
    options_.report_every_seconds = 0;
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(data_dir_);
  }

  // What the previous version wrote for offsets first..last of partition 0: a valid and an
  // invalid file's content (the checker only reads order_id).
  std::pair<std::string, std::string> Lines(int64_t first, int64_t last) {
    std::string valid, invalid;
    for (int64_t o = first; o <= last; ++o) {
      if (o % 10 == 0) {
        invalid +=
            R"({"order_id":")" + ids_[o] +
            R"(","json_str":"x","invalid_reason":"wrong_type_quantity","kafka_partition":0,"kafka_offset":)" +
            std::to_string(o) + "}\n";
      } else {
        valid += payloads_[o] + "\n";
      }
    }
    return {valid, invalid};
  }
  void Publish(int64_t first, int64_t last, bool valid, bool invalid) {
    const auto [v, i] = Lines(first, last);
    const std::string name = data_layout::PartFileName(0, first, last);
    if (valid) WriteFile(data_layout::ValidDir(data_dir_) + "/" + name, v);
    if (invalid) WriteFile(data_layout::InvalidDir(data_dir_) + "/" + name, i);
  }
  std::string CheckpointPath() const {
    return data_layout::CheckpointDir(data_dir_, "orders") + "/" +
           data_layout::CheckpointFileName(0);
  }
  void ExpectEveryMessageOnce() {
    const auto valid = LinesById(data_layout::ValidDir(data_dir_));
    const auto invalid = LinesById(data_layout::InvalidDir(data_dir_));
    for (int i = 0; i < kMessages; ++i) {
      const auto& seen = i % 10 == 0 ? invalid : valid;
      auto it = seen.find(ids_[i]);
      EXPECT_TRUE(it != seen.end() && it->second == 1)
          << ids_[i] << " (offset " << i << ") seen " << (it == seen.end() ? 0 : it->second);
    }
    EXPECT_EQ(valid.size() + invalid.size(), static_cast<size_t>(kMessages));
  }

  std::optional<kafka::EmbeddedCluster> cluster_;
  std::vector<std::string> ids_, payloads_;
  std::string data_dir_;
  ProcessorOptions options_;
};

TEST_F(ProcessorMigrationTest, ResumesAfterTheLastCommittedBatchOfThePreviousVersion) {
  Publish(0, 49, true, true);
  Publish(50, 119, true, true);
  // The previous version's exact bytes for next=120 (its EncodeCheckpoint).
  WriteFile(CheckpointPath(), "orderflow-checkpoint v1 next=120 crc=7855bc03\n");
  ProcessorSummary summary;
  const Status status = RunProcessor(options_, summary);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(summary.processed, static_cast<uint64_t>(kMessages - 120));
  ExpectEveryMessageOnce();
  // From now on the partition's checkpoint is of version 2, which the previous version refuses
  // (it never guesses) instead of misreading.
  auto now = DecodeCheckpoint(FileSystem::Default().ReadFile(CheckpointPath()).value());
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_GE(now->seq, 1u);
  EXPECT_EQ(now->next_offset, kMessages);
}

TEST_F(ProcessorMigrationTest, ReplaysThePreviousVersionsUnfinishedBatchToTheSameNames) {
  Publish(0, 99, true, true);
  // Batch 100-149 was on its way when the previous version died: its valid file is published,
  // its invalid file is still a temporary of the previous version's kind, half written.
  Publish(100, 149, true, false);
  const std::string legacy_temp = data_layout::InvalidDir(data_dir_) + "/" +
                                  data_layout::TempFileName(data_layout::PartFileName(0, 100, 149));
  WriteFile(legacy_temp, Lines(100, 149).second.substr(0, 30));
  WriteFile(CheckpointPath(), "orderflow-checkpoint v1 next=100 pending=100-149 crc=789d0376\n");
  WriteFile(data_layout::CheckpointDir(data_dir_, "orders") + "/.partition-0.tmp", "half");
  options_.max_events_per_batch = 7;  // the replay must still be one batch over 100-149
  ProcessorSummary summary;
  const Status status = RunProcessor(options_, summary);
  ASSERT_TRUE(status.ok()) << status.message();
  ExpectEveryMessageOnce();
  const std::string name = data_layout::PartFileName(0, 100, 149);
  EXPECT_TRUE(std::filesystem::exists(data_layout::ValidDir(data_dir_) + "/" + name));
  EXPECT_TRUE(std::filesystem::exists(data_layout::InvalidDir(data_dir_) + "/" + name));
  EXPECT_FALSE(std::filesystem::exists(legacy_temp));
}

}  // namespace
}  // namespace orderflow::stream

#include "stream/data_dir_owner.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "common/data_layout.h"

namespace orderflow::stream {
namespace {

class DataDirOwnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-owner-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(DataDirOwnerTest, TheOwnerFileRoundTripsAnyGroupName) {
  for (const DataDirOwner& owner :
       {DataDirOwner{"orders", "orderflow-processor"}, DataDirOwner{"a.b_c-d", "with space"},
        DataDirOwner{"t", "100%=sure\nreally"}, DataDirOwner{"t", ""}}) {
    const std::string text = EncodeOwner(owner);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    auto decoded = DecodeOwner(text);
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, owner);
  }
  EXPECT_EQ(EncodeOwner({"orders", "g"}).substr(0, 44),
            "orderflow-owner v1 topic=orders group=g crc=");
  EXPECT_FALSE(DecodeOwner("orderflow-owner v1 topic=orders group=g crc=00000000\n").ok());
}

TEST_F(DataDirOwnerTest, TheFirstProcessorClaimsTheDataDirAndItsGroupSharesIt) {
  ASSERT_TRUE(ClaimDataDir(dir_, {"orders", "g1"}).ok());
  EXPECT_TRUE(std::filesystem::exists(data_layout::OwnerFilePath(dir_)));
  EXPECT_TRUE(ClaimDataDir(dir_, {"orders", "g1"}).ok());
}

TEST_F(DataDirOwnerTest, AnotherGroupOrTopicIsRefusedWithTheOwnerAndTheWayOut) {
  ASSERT_TRUE(ClaimDataDir(dir_, {"orders", "g1"}).ok());
  const Status other_group = ClaimDataDir(dir_, {"orders", "g2"});
  EXPECT_EQ(other_group.ExitCode(), 2);
  EXPECT_NE(other_group.message().find("belongs to the processors of group 'g1' on topic 'orders'"),
            std::string::npos)
      << other_group.message();
  EXPECT_NE(other_group.message().find("use another --data-dir"), std::string::npos);
  const Status other_topic = ClaimDataDir(dir_, {"payments", "g1"});
  EXPECT_EQ(other_topic.ExitCode(), 2);
  EXPECT_NE(other_topic.message().find("topic 'payments'"), std::string::npos);
}

TEST_F(DataDirOwnerTest, AnEmptyOwnerFileIsClaimedAndADamagedOneReported) {
  std::ofstream(data_layout::OwnerFilePath(dir_)).flush();  // a crash before the first write
  EXPECT_TRUE(ClaimDataDir(dir_, {"orders", "g1"}).ok());
  EXPECT_FALSE(ClaimDataDir(dir_, {"orders", "g2"}).ok());
  std::ofstream(data_layout::OwnerFilePath(dir_)) << "orderflow-owner v1 topic=x";
  const Status damaged = ClaimDataDir(dir_, {"orders", "g1"});
  EXPECT_EQ(damaged.code(), Status::Code::kCorruption);
  EXPECT_NE(damaged.message().find("_owner"), std::string::npos) << damaged.message();
}

TEST_F(DataDirOwnerTest, OfProcessorsStartingTogetherOneGroupWins) {
  std::vector<Status> results(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = ClaimDataDir(dir_, {"orders", i % 2 == 0 ? "even" : "odd"});
    });
  }
  for (std::thread& t : threads) t.join();
  int even = 0, odd = 0;
  for (size_t i = 0; i < results.size(); ++i) (i % 2 == 0 ? even : odd) += results[i].ok();
  EXPECT_TRUE((even == 4 && odd == 0) || (even == 0 && odd == 4)) << even << " " << odd;
}

}  // namespace
}  // namespace orderflow::stream

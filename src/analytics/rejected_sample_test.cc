#include "analytics/rejected_sample.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace orderflow::analytics {
namespace {

namespace fs = std::filesystem;

class RejectedSampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("rejected_sample_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(RejectedSampleTest, TakesTheNotebooksColumnsFromTheFirstEventsInFileOrder) {
  Write("part-b.json",
        R"({"order_id":"b1","invalid_reason":"malformed_json","json_str":"order b1 qty=3"})"
        "\n");
  Write(
      "part-a.json",
      R"({"order_id":"a1","item":"bread","unit_price":4.2,"event_time_ms":1764000000000,)"
      R"("json_str":"{\"order_id\":\"a1\",\"item\":\"bread\"}","invalid_reason":"missing_quantity","kafka_offset":7})"
      "\n\nnot json\n"
      R"({"order_id":"a2","item":"eggs","quantity":"3","unit_price":0.0,"invalid_reason":"wrong_type_quantity"})"
      "\n");
  auto sample = SampleRejected(dir_.string());
  ASSERT_TRUE(sample.ok()) << sample.status().message();
  ASSERT_EQ(sample->size(), 3u);  // the damaged line is skipped
  const RejectedEvent& a1 = (*sample)[0];
  EXPECT_EQ(a1.invalid_reason, "missing_quantity");
  EXPECT_EQ(a1.raw[0], "\"a1\"");
  EXPECT_EQ(a1.raw[1], "\"bread\"");
  EXPECT_EQ(a1.raw[2], "");  // quantity absent
  EXPECT_EQ(a1.raw[3], "4.2");
  EXPECT_EQ(a1.raw[4], "1764000000000");
  EXPECT_EQ(a1.json_str, R"({"order_id":"a1","item":"bread"})");  // decoded
  const RejectedEvent& a2 = (*sample)[1];
  EXPECT_EQ(a2.raw[2], "\"3\"");  // a wrong type is shown as it was sent
  EXPECT_EQ(a2.raw[3], "0.0");
  EXPECT_EQ(a2.json_str, "");
  EXPECT_EQ((*sample)[2].invalid_reason, "malformed_json");
  EXPECT_EQ((*sample)[2].json_str, "order b1 qty=3");
}

TEST_F(RejectedSampleTest, StopsAtTheLimit) {
  std::string lines;
  for (int i = 0; i < 50; ++i) {
    lines += fmt::format(R"({{"order_id":"o{}","invalid_reason":"missing_both"}})"
                         "\n",
                         i);
  }
  Write("part-0.json", lines);
  Write("part-1.json", lines);
  auto sample = SampleRejected(dir_.string());
  ASSERT_TRUE(sample.ok());
  ASSERT_EQ(sample->size(), kRejectedSampleSize);
  EXPECT_EQ(sample->back().raw[0], "\"o19\"");
  auto three = SampleRejected(dir_.string(), 3);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->size(), 3u);
}

TEST_F(RejectedSampleTest, MissingDirectoryIsAnEmptySample) {
  auto sample = SampleRejected((dir_ / "nope").string());
  ASSERT_TRUE(sample.ok());
  EXPECT_TRUE(sample->empty());
}

}  // namespace
}  // namespace orderflow::analytics

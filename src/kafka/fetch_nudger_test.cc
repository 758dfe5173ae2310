#include "kafka/fetch_nudger.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "kafka/consumer.h"
#include "kafka/embedded_cluster.h"
#include "kafka/producer.h"

namespace orderflow::kafka {
namespace {

TEST(FetchNudgerTest, TheQueueLimitIsWhicheverThresholdComesFirst) {
  EXPECT_EQ(FetchQueueLimit(100000, 65536, 470), 100000u);  // our events: the message count
  EXPECT_EQ(FetchQueueLimit(100000, 65536, 2048), 32768u);  // large messages: the bytes
  EXPECT_EQ(FetchQueueLimit(1000, 65536, 0), 1000u);        // nothing measured yet
}

TEST(FetchNudgerTest, NudgesOnlyWhenATakeLeavesANearlyFullQueue) {
  EXPECT_TRUE(TakeMayUnblockFetch(100000, 90000, 100000));    // full, then below the limit
  EXPECT_TRUE(TakeMayUnblockFetch(120000, 99999, 100000));    // fetches overshoot the limit
  EXPECT_TRUE(TakeMayUnblockFetch(85000, 75000, 100000));     // the limit is an estimate
  EXPECT_FALSE(TakeMayUnblockFetch(120000, 110000, 100000));  // still full: nothing to wake
  EXPECT_FALSE(TakeMayUnblockFetch(50000, 40000, 100000));    // never near full: fetching on
  EXPECT_FALSE(TakeMayUnblockFetch(0, 0, 100000));
}

// A consumer that drains its pre-fetch queue faster than librdkafka refills it. Without the
// nudge a refill waited for a broker thread to wake on its own: the 40,000 messages took 2.0, 5.0
// and 7.0 s from first to last (whole seconds of waiting; 4.0-8.0 s in five runs of this test
// with AfterTake disabled); with it 0.02-0.07 s. The time is what tells: a run in which
// librdkafka never waited on a full queue needs no nudge (about one run in eight under the
// sanitizers sent none, and was as fast).
TEST(FetchNudgerTest, ADrainedQueueIsRefilledWithoutWaitingASecond) {
  auto cluster = EmbeddedCluster::Start(2);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  ASSERT_TRUE(cluster->CreateTopic("orders", 4, 1).ok());
  const KafkaSettings settings{cluster->bootstrap_servers(), {}};
  constexpr int kMessages = 40000;
  {
    auto producer = Producer::Create(settings, "orders", {{"linger.ms", "5"}}, nullptr);
    ASSERT_TRUE(producer.ok()) << producer.status().message();
    const std::string value(200, 'x');
    for (int i = 0; i < kMessages; ++i) {
      ASSERT_TRUE(producer->Produce(std::to_string(i), value, [] { return true; }).ok());
    }
    ASSERT_TRUE(producer->Flush(30000).ok());
  }

  auto consumer = Consumer::Create(settings, "nudged",
                                   {{"auto.offset.reset", "earliest"},
                                    {"enable.auto.commit", "false"},
                                    {"queued.min.messages", "1000"}},
                                   nullptr);
  ASSERT_TRUE(consumer.ok()) << consumer.status().message();
  ASSERT_TRUE(consumer->Subscribe("orders").ok());
  int received = 0;
  std::chrono::steady_clock::time_point first, last;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (received < kMessages && std::chrono::steady_clock::now() < deadline) {
    MessageBatch batch;
    ASSERT_TRUE(consumer->Consume(200, 250, batch).ok());
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].error != kNoError) continue;
      if (received++ == 0) first = std::chrono::steady_clock::now();
      last = std::chrono::steady_clock::now();
    }
  }
  ASSERT_EQ(received, kMessages);
  ::testing::Test::RecordProperty("fetch_nudges", std::to_string(consumer->fetch_nudges()));
  // Not a speed target: the bound only tells "no second-long wait" from "one or more", with a
  // wide margin for a loaded machine.
  EXPECT_LT(std::chrono::duration<double>(last - first).count(), 1.5);
  EXPECT_TRUE(consumer->Close().ok());
}

}  // namespace
}  // namespace orderflow::kafka

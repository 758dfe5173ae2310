#include "kafka/embedded_cluster.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "kafka/admin.h"
#include "kafka/consumer.h"
#include "kafka/producer.h"

namespace orderflow::kafka {
namespace {

TEST(EmbeddedClusterTest, ServesTheTopicToRealClients) {
  auto cluster = EmbeddedCluster::Start(2);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  ASSERT_TRUE(cluster->CreateTopic("orders", 6, 2).ok());
  const KafkaSettings settings{cluster->bootstrap_servers(), {}};

  auto described = DescribeTopic(settings, "orders", 5000);
  ASSERT_TRUE(described.ok()) << described.status().message();
  EXPECT_EQ(described->brokers.size(), 2u);
  ASSERT_EQ(described->partitions.size(), 6u);
  for (const auto& p : described->partitions) EXPECT_EQ(p.replicas.size(), 2u);
  EXPECT_TRUE(DescribeTopic(settings, "missing", 5000).status().IsNotFound());

  struct CountAcks final : DeliveryListener {
    void OnAcked(double ack_ms) override {
      ++acked;
      EXPECT_GE(ack_ms, 0);
    }
    uint64_t acked = 0;
  } acks;
  auto producer = Producer::Create(settings, "orders", {{"linger.ms", "1"}}, &acks);
  ASSERT_TRUE(producer.ok()) << producer.status().message();
  for (int i = 0; i < 1000; ++i) {
    const std::string key = std::to_string(i);
    ASSERT_TRUE(producer->Produce(key, "value-" + key, [] { return true; }).ok());
  }
  ASSERT_TRUE(producer->Flush(10000).ok());
  EXPECT_EQ(producer->stats().sent_ok, 1000u);
  EXPECT_EQ(producer->stats().sent_error, 0u);
  EXPECT_EQ(acks.acked, 1000u);

  auto consumer = Consumer::Create(
      settings, "test-group", {{"auto.offset.reset", "earliest"}, {"enable.auto.commit", "false"}},
      nullptr);
  ASSERT_TRUE(consumer.ok());
  ASSERT_TRUE(consumer->Subscribe("orders").ok());
  std::set<std::string> seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (seen.size() < 1000 && std::chrono::steady_clock::now() < deadline) {
    MessageBatch batch;
    ASSERT_TRUE(consumer->Consume(200, 1000, batch).ok());
    for (size_t i = 0; i < batch.size(); ++i) {
      const Message m = batch[i];
      if (m.error != kNoError) continue;
      EXPECT_EQ("value-" + std::string(m.key), m.value);
      seen.emplace(m.value);
    }
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_TRUE(consumer->Close().ok());
}

TEST(EmbeddedClusterTest, RejectsAReplicationFactorAboveTheBrokerCount) {
  auto cluster = EmbeddedCluster::Start(2);
  ASSERT_TRUE(cluster.ok());
  EXPECT_EQ(cluster->CreateTopic("t", 3, 3).ExitCode(), 2);
  EXPECT_EQ(cluster->CreateTopic("t", 0, 1).ExitCode(), 2);
}

}  // namespace
}  // namespace orderflow::kafka

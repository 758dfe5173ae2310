// How many Kafka brokers are up, as a client sees them: a librdkafka handle that connects to
// every broker of the cluster (enable.sparse.connections=false) and reads the per-broker
// connection state from its statistics every second (state "UP" counts as up). Works the same
// on the embedded cluster and on real Kafka. Safe for concurrent use.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "kafka/kafka_settings.h"

struct rd_kafka_s;  // librdkafka's client handle (rd_kafka_t)

namespace orderflow::kafka {

struct BrokerCounts {
  int up = 0;
  int known = 0;  // brokers in the cluster's metadata; 0 until the first statistics
};

class BrokerHealth {
 public:
  // InvalidArgument for bad -X properties; KafkaError when the client cannot be created.
  static Result<std::unique_ptr<BrokerHealth>> Start(const KafkaSettings& settings);
  ~BrokerHealth();
  BrokerHealth(const BrokerHealth&) = delete;
  BrokerHealth& operator=(const BrokerHealth&) = delete;

  BrokerCounts counts() const;

 private:
  BrokerHealth() = default;
  static int OnStats(rd_kafka_s* rk, char* json, size_t len, void* opaque);

  rd_kafka_s* rk_ = nullptr;
  std::atomic<bool> stop_{false};
  std::thread poller_;
  mutable std::mutex mu_;
  BrokerCounts counts_;
};

}  // namespace orderflow::kafka

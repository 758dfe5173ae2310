#include "kafka/broker_health.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <nlohmann/json.hpp>

namespace orderflow::kafka {

Result<std::unique_ptr<BrokerHealth>> BrokerHealth::Start(const KafkaSettings& settings) {
  auto conf = settings.BuildConf({{"statistics.interval.ms", "1000"},
                                  {"enable.sparse.connections", "false"},
                                  {"topic.metadata.refresh.interval.ms", "5000"},
                                  {"reconnect.backoff.max.ms", "1000"},
                                  {"log_level", "0"}});
  if (!conf.ok()) return conf.status();
  std::unique_ptr<BrokerHealth> health(new BrokerHealth());
  rd_kafka_conf_set_stats_cb(conf->get(), &BrokerHealth::OnStats);
  rd_kafka_conf_set_opaque(conf->get(), health.get());
  char error[512];
  health->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), error, sizeof(error));
  if (!health->rk_) return Status::KafkaError(fmt::format("broker health client: {}", error));
  conf->release();  // owned by rk_ now
  health->poller_ = std::thread([h = health.get()] {
    while (!h->stop_.load()) rd_kafka_poll(h->rk_, 200);
  });
  return health;
}

BrokerHealth::~BrokerHealth() {
  stop_ = true;
  if (poller_.joinable()) poller_.join();
  if (rk_) rd_kafka_destroy(rk_);
}

int BrokerHealth::OnStats(rd_kafka_t*, char* json, size_t len, void* opaque) {
  auto* self = static_cast<BrokerHealth*>(opaque);
  const auto stats = nlohmann::json::parse(json, json + len, nullptr, false);
  if (stats.is_discarded() || !stats.contains("brokers") || !stats["brokers"].is_object()) return 0;
  BrokerCounts counts;
  for (const auto& [name, broker] : stats["brokers"].items()) {
    // Bootstrap entries have nodeid -1: they are addresses, not brokers.
    if (!broker.is_object() || broker.value("nodeid", -1) < 0) continue;
    ++counts.known;
    if (broker.value("state", "") == "UP") ++counts.up;
  }
  std::lock_guard lock(self->mu_);
  self->counts_ = counts;
  return 0;  // librdkafka frees the JSON
}

BrokerCounts BrokerHealth::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace orderflow::kafka

// The options every Kafka-facing command takes (the contract): --bootstrap-servers, --topic,
// --data-dir and repeatable -X key=value librdkafka properties.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "common/data_layout.h"
#include "common/status.h"
#include "kafka/kafka_settings.h"

namespace orderflow::cli {

struct KafkaFlags {
  std::string bootstrap_servers;
  std::string topic = "orders";
  std::string data_dir = data_layout::kDefaultDataDir;
  std::vector<std::string> properties;

  // Resolves the bootstrap address (flag, env, broker bootstrap file, default) and parses -X.
  // InvalidArgument naming the bad -X argument.
  Result<kafka::KafkaSettings> Settings() const;
};

void AddKafkaFlags(CLI::App& command, KafkaFlags& flags);

}  // namespace orderflow::cli

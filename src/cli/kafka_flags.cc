#include "cli/kafka_flags.h"

#include <fmt/format.h>

#include "kafka/bootstrap.h"

namespace orderflow::cli {

Result<kafka::KafkaSettings> KafkaFlags::Settings() const {
  kafka::KafkaSettings settings;
  settings.bootstrap_servers = kafka::ResolveBootstrapServers(bootstrap_servers, data_dir);
  for (const std::string& text : properties) {
    auto property = kafka::ParseProperty(text);
    if (!property.ok()) return property.status();
    settings.properties.push_back(std::move(property).value());
  }
  return settings;
}

void AddKafkaFlags(CLI::App& command, KafkaFlags& flags) {
  command.add_option(
      "--bootstrap-servers", flags.bootstrap_servers,
      fmt::format("Kafka brokers (default: $ORDERFLOW_BOOTSTRAP_SERVERS, else the running "
                  "`orderflow broker`'s {}, else localhost:9092,localhost:9094)",
                  data_layout::BrokerBootstrapFilePath("<data-dir>")));
  command.add_option("--topic", flags.topic, "Topic name")->capture_default_str();
  command.add_option("--data-dir", flags.data_dir, "Data directory")->capture_default_str();
  command.add_option("-X", flags.properties,
                     "librdkafka property key=value, repeatable (security.protocol, sasl.*, "
                     "ssl.*, compression.type, ...); secrets are never printed");
}

}  // namespace orderflow::cli

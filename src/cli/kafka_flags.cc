#include "cli/kafka_flags.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdio>

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

Result<std::chrono::milliseconds> ParseDuration(const std::string& flag, const std::string& text) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  const std::string_view unit(ptr, static_cast<size_t>(end - ptr));
  double ms = -1;
  if (ec == std::errc() && value >= 0) {
    if (unit == "ms")
      ms = value;
    else if (unit == "s" || unit.empty())
      ms = value * 1000;
    else if (unit == "m" || unit == "min")
      ms = value * 60000;
  }
  if (ms < 0) {
    return Status::InvalidArgument(
        fmt::format("{} {}: expected a duration such as 100ms, 5s or 1m", flag, text));
  }
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

int ReportFailure(std::string_view command, const Status& status) {
  std::fprintf(stderr, "orderflow %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               status.message().c_str());
  return status.ExitCode();
}

}  // namespace orderflow::cli

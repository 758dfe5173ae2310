// How a command reaches Kafka: bootstrap servers plus librdkafka properties given with -X.
// Builds librdkafka configurations with our defaults under the user's properties, and prints
// them with secrets masked. Value type.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

struct rd_kafka_conf_s;  // librdkafka's configuration (rd_kafka_conf_t)

namespace orderflow::kafka {

using Property = std::pair<std::string, std::string>;

struct ConfDeleter {
  void operator()(rd_kafka_conf_s* conf) const;
};
// For the clients in src/kafka: a configuration not yet handed to rd_kafka_new.
using ConfPtr = std::unique_ptr<rd_kafka_conf_s, ConfDeleter>;

struct KafkaSettings {
  std::string bootstrap_servers;
  std::vector<Property> properties;  // -X key=value, in the order given

  // A configuration with `defaults` first, then bootstrap.servers, then the user's -X
  // properties (which win). InvalidArgument naming the property when librdkafka rejects one.
  Result<ConfPtr> BuildConf(const std::vector<Property>& defaults) const;
};

// Parses "key=value" (a -X argument). InvalidArgument when there is no '=' or no key.
Result<Property> ParseProperty(const std::string& text);

// True for properties whose value must never be printed (passwords, keys, tokens, JAAS).
bool IsSecretProperty(const std::string& name);

// "key=value" with the value masked when it is a secret.
std::string DescribeProperty(const Property& property);

}  // namespace orderflow::kafka

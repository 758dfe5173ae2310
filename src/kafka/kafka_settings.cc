#include "kafka/kafka_settings.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace orderflow::kafka {
namespace {

// librdkafka's own log lines, through our logger (so they share its format and stream). A broken
// connection is reported twice by librdkafka, as a FAIL log line and to the error callback, which
// every client of ours logs as a warning: the FAIL copy is dropped. -X debug=... output
// (level 7) is shown at info level, since whoever sets it wants to read it.
extern "C" void LogThroughSpdlog(const rd_kafka_t*, int level, const char* facility,
                                 const char* message) {
  if (std::strcmp(facility, "FAIL") == 0) return;
  const spdlog::level::level_enum as = level <= 3   ? spdlog::level::err
                                       : level == 4 ? spdlog::level::warn
                                                    : spdlog::level::info;
  spdlog::log(as, "[librdkafka] {} {}", facility, message);
}

}  // namespace

void ConfDeleter::operator()(rd_kafka_conf_s* conf) const { rd_kafka_conf_destroy(conf); }

Result<ConfPtr> KafkaSettings::BuildConf(const std::vector<Property>& defaults) const {
  ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), LogThroughSpdlog);
  char error[512];
  auto set = [&](const Property& p, bool from_user) -> Status {
    if (rd_kafka_conf_set(conf.get(), p.first.c_str(), p.second.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      return Status::InvalidArgument(
          fmt::format("{}{}: {}", from_user ? "-X " : "", DescribeProperty(p), error));
    }
    return Status::Ok();
  };
  for (const Property& p : defaults) {
    if (Status s = set(p, false); !s.ok()) return s;
  }
  if (!bootstrap_servers.empty()) {
    if (Status s = set({"bootstrap.servers", bootstrap_servers}, false); !s.ok()) return s;
  }
  for (const Property& p : properties) {
    if (Status s = set(p, true); !s.ok()) return s;
  }
  return conf;
}

Result<Property> ParseProperty(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidArgument(
        fmt::format("-X {}: expected key=value (a librdkafka property)", text));
  }
  return Property{text.substr(0, eq), text.substr(eq + 1)};
}

bool IsSecretProperty(const std::string& name) {
  static constexpr std::array<std::string_view, 6> kMarkers = {"password", "secret",  "jaas",
                                                               "token",    "key.pem", "credential"};
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "ssl.key.location") return false;  // a path, not a secret
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return lower.find(m) != std::string::npos; }) ||
         lower == "ssl.key.pem" || lower == "ssl_key";
}

std::string DescribeProperty(const Property& property) {
  return fmt::format("{}={}", property.first,
                     IsSecretProperty(property.first) ? "******" : property.second);
}

}  // namespace orderflow::kafka

#include "kafka/bootstrap.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/data_layout.h"

namespace orderflow::kafka {
namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

std::string ResolveBootstrapServers(const std::string& flag_value, const std::string& data_dir) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("ORDERFLOW_BOOTSTRAP_SERVERS"); env != nullptr && *env)
    return env;
  if (std::string published = ReadFirstLine(data_layout::BrokerBootstrapFilePath(data_dir));
      !published.empty()) {
    return published;
  }
  return kDefaultBootstrapServers;
}

std::string EmbeddedControlAddress(const std::string& bootstrap_servers,
                                   const std::string& data_dir) {
  if (ReadFirstLine(data_layout::BrokerBootstrapFilePath(data_dir)) != bootstrap_servers) return "";
  return ReadFirstLine(data_layout::BrokerControlFilePath(data_dir));
}

}  // namespace orderflow::kafka

#include "kafka/bootstrap.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

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

std::string BootstrapFilePath(const std::string& data_dir) {
  return data_dir + "/broker.bootstrap";
}
std::string ControlFilePath(const std::string& data_dir) { return data_dir + "/broker.control"; }

std::string ResolveBootstrapServers(const std::string& flag_value, const std::string& data_dir) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("ORDERFLOW_BOOTSTRAP_SERVERS"); env != nullptr && *env)
    return env;
  if (std::string published = ReadFirstLine(BootstrapFilePath(data_dir)); !published.empty()) {
    return published;
  }
  return kDefaultBootstrapServers;
}

std::string EmbeddedControlAddress(const std::string& bootstrap_servers,
                                   const std::string& data_dir) {
  if (ReadFirstLine(BootstrapFilePath(data_dir)) != bootstrap_servers) return "";
  return ReadFirstLine(ControlFilePath(data_dir));
}

}  // namespace orderflow::kafka

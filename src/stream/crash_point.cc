#include "stream/crash_point.h"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <string>

namespace orderflow::stream {
namespace {

struct Config {
  std::string name;  // empty: disabled
  long hit = 0;
};

Config ReadConfig() {
  Config config;
  const char* env = std::getenv("ORDERFLOW_CRASH_POINT");
  if (env == nullptr) return config;
  const std::string_view text(env);
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return config;
  long hit = 0;
  const auto [ptr, ec] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), hit);
  if (ec != std::errc() || ptr != text.data() + text.size() || hit < 1) return config;
  config.name = std::string(text.substr(0, colon));
  config.hit = hit;
  return config;
}

}  // namespace

void CrashPoint(std::string_view name) {
  static const Config config = ReadConfig();
  static std::atomic<long> hits{0};
  if (config.name.empty() || name != config.name) return;
  if (hits.fetch_add(1) + 1 != config.hit) return;
  const std::string line =
      "[processor] ORDERFLOW_CRASH_POINT " + config.name + " reached: exiting\n";
  (void)::write(STDERR_FILENO, line.data(), line.size());
  ::_exit(kCrashExitCode);
}

}  // namespace orderflow::stream

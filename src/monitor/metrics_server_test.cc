#include "monitor/metrics_server.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "metrics/metrics_registry.h"

namespace orderflow::monitor {
namespace {

using metrics::MetricsRegistry;

TEST(MetricsServerTest, ServesMetricsAndRefusesABusyPort) {
  MetricsRegistry r;
  r.GetCounter("up_total", "h").Add(1);
  auto first = MetricsServer::Start(r, "--metrics-listen", "127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.status().message();
  const std::string url = (*first)->url();
  EXPECT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  auto second =
      MetricsServer::Start(r, "--metrics-listen", fmt::format("127.0.0.1:{}", (*first)->port()));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace orderflow::monitor

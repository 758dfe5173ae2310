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

TEST(ParseHostPortTest, AcceptsCommonFormsAndDefaultsToLoopback) {
  auto a = ParseHostPort("--metrics-listen", "0.0.0.0:9464");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "0.0.0.0");
  EXPECT_EQ(a->port, 9464);
  auto b = ParseHostPort("--metrics-listen", ":9000");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "127.0.0.1");
  auto c = ParseHostPort("--metrics-listen", "9001");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 9001);
  auto d = ParseHostPort("--metrics-listen", "[::1]:0");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->host, "::1");
}

TEST(ParseHostPortTest, RejectsMalformedAddressesNamingTheFlag) {
  for (const char* bad : {"", "host:", "host:abc", "host:70000", "::1:80", "[::1]80", "h:-1"}) {
    auto r = ParseHostPort("--listen", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--listen"), std::string::npos);
  }
}

}  // namespace
}  // namespace orderflow::monitor

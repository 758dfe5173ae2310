#include "monitor/http_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

namespace orderflow::monitor {
namespace {

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

TEST(HttpServiceTest, ServesTheRoutesAndAnswersErrorsAsPlainText) {
  auto service = HttpService::Start("--listen", "127.0.0.1:0", [](httplib::Server& http) {
    http.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("hi\n", "text/plain");
    });
    http.Get("/throw",
             [](const httplib::Request&, httplib::Response&) { throw std::runtime_error("boom"); });
  });
  ASSERT_TRUE(service.ok()) << service.status().message();
  EXPECT_GT((*service)->port(), 0);
  EXPECT_EQ((*service)->url("/x"), fmt::format("http://127.0.0.1:{}/x", (*service)->port()));
  httplib::Client client("127.0.0.1", (*service)->port());
  auto hello = client.Get("/hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "hi\n");
  auto missing = client.Get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "404\n");
  auto thrown = client.Get("/throw");
  ASSERT_TRUE(thrown);
  EXPECT_EQ(thrown->status, 500);
  EXPECT_EQ(thrown->body, "internal error\n");
}

TEST(HttpServiceTest, RefusesABusyPortOrABadAddressNamingTheFlag) {
  auto first = HttpService::Start("--listen", "127.0.0.1:0", [](httplib::Server&) {});
  ASSERT_TRUE(first.ok());
  auto second = HttpService::Start(
      "--control-listen", fmt::format("127.0.0.1:{}", (*first)->port()), [](httplib::Server&) {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            fmt::format("--control-listen 127.0.0.1:{}: cannot listen there", (*first)->port()));
  auto bad = HttpService::Start("--listen", "host:abc", [](httplib::Server&) {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--listen host:abc"), std::string::npos);
}

TEST(HttpServiceTest, UrlBracketsAnIpv6Host) {
  auto service = HttpService::Start("--listen", "[::1]:0", [](httplib::Server&) {});
  if (!service.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << service.status().message();
  EXPECT_EQ((*service)->url("/"), fmt::format("http://[::1]:{}/", (*service)->port()));
}

}  // namespace
}  // namespace orderflow::monitor

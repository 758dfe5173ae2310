#include "web/dashboard_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace orderflow::web {
namespace {

namespace fs = std::filesystem;

class DashboardServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt_dir();
    fs::create_directories(dir_ / "web");
    std::ofstream(dir_ / "web/index.html") << "<html>page</html>";
    std::ofstream(dir_ / "web/app.js") << "console.log(1)";
    std::ofstream(dir_ / "secret.js") << "outside";
    fs::create_symlink(dir_ / "secret.js", dir_ / "web/link.js");
    auto server = DashboardServer::Start("127.0.0.1:0", (dir_ / "web").string());
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
    const std::string url = server_->url();
    port_ = std::stoi(url.substr(url.rfind(':') + 1));
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  static std::string fmt_dir() { return "orderflow-web-test-" + std::to_string(getpid()); }
  int Status(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Get(path.c_str());
    return res ? res->status : -1;
  }

  fs::path dir_;
  std::unique_ptr<DashboardServer> server_;
  int port_ = 0;
};

TEST_F(DashboardServerTest, ServesThePageAndItsFiles) {
  httplib::Client client("127.0.0.1", port_);
  auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "<html>page</html>");
  auto js = client.Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
}

TEST_F(DashboardServerTest, NoPathTraversalAndBadRequestsGet4xx) {
  for (const char* path :
       {"/../secret.js", "/..%2Fsecret.js", "/%2e%2e/secret.js", "/link.js", "/web/app.js",
        "/.hidden.js", "/missing.js", "/app.exe", "/etc/passwd", "/index.html/..", "/a%00.js"}) {
    const int status = Status(path);
    EXPECT_GE(status, 400) << path;
    EXPECT_LT(status, 500) << path;
  }
  httplib::Client client("127.0.0.1", port_);
  auto post = client.Post("/", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_GE(post->status, 400);
  EXPECT_LT(post->status, 500);
}

TEST_F(DashboardServerTest, StateAndEventStreamCarryPublishedDocuments) {
  server_->Publish(R"({"n":1})");
  httplib::Client client("127.0.0.1", port_);
  auto state = client.Get("/api/state");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->body, R"({"n":1})");

  std::string received;
  std::thread publisher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    server_->Publish(R"({"n":2})");
  });
  httplib::Client stream("127.0.0.1", port_);
  stream.set_read_timeout(5);
  auto res = stream.Get("/events", [&](const char* data, size_t len) {
    received.append(data, len);
    return received.find(R"({"n":2})") == std::string::npos;  // stop after the second
  });
  publisher.join();
  EXPECT_NE(received.find("data: {\"n\":1}\n\n"), std::string::npos) << received;
  EXPECT_NE(received.find("data: {\"n\":2}\n\n"), std::string::npos) << received;
}

TEST(DashboardServerStartTest, RejectsMissingRootAndBadListen) {
  EXPECT_FALSE(DashboardServer::Start("127.0.0.1:0", "/nonexistent").ok());
  EXPECT_FALSE(DashboardServer::Start("127.0.0.1:x", FindWebRoot("")).ok());
  EXPECT_FALSE(FindWebRoot("").empty());  // the source tree's web/
}

}  // namespace
}  // namespace orderflow::web

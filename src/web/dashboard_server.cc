#include "web/dashboard_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace orderflow::web {
namespace {

namespace fs = std::filesystem;
constexpr int kMaxStreams = 4;  // each open stream holds one of the server's worker threads

const char* ContentType(const std::string& name) {
  const std::string ext = fs::path(name).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

bool HasIndex(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_regular_file(fs::path(dir) / "index.html", ec);
}

}  // namespace

std::string FindWebRoot(const std::string& flag_value) {
  if (!flag_value.empty()) return HasIndex(flag_value) ? flag_value : "";
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {exe.parent_path() / "web", exe.parent_path() / "../share/orderflow/web"}) {
      if (HasIndex(candidate.string())) return candidate.lexically_normal().string();
    }
  }
#ifdef ORDERFLOW_WEB_DIR
  if (HasIndex(ORDERFLOW_WEB_DIR)) return ORDERFLOW_WEB_DIR;
#endif
  return "";
}

Result<std::unique_ptr<DashboardServer>> DashboardServer::Start(const std::string& listen,
                                                                const std::string& web_root) {
  if (!HasIndex(web_root)) {
    return Status::InvalidArgument(fmt::format("--web-root {}: no index.html there",
                                               web_root.empty() ? "(not found)" : web_root));
  }
  std::unique_ptr<DashboardServer> s(new DashboardServer());
  std::error_code ec;
  s->root_ = fs::canonical(web_root, ec).string();
  if (ec) return Status::InvalidArgument(fmt::format("--web-root {}: {}", web_root, ec.message()));
  auto http =
      monitor::HttpService::Start("--listen", listen, [&s](httplib::Server& h) { s->Route(h); });
  if (!http.ok()) return http.status();
  s->http_ = std::move(http).value();
  return s;
}

void DashboardServer::Route(httplib::Server& http) {
  const auto serve_file = [this](const std::string& name, httplib::Response& res) {
    // The route's pattern admits plain names only; canonical() also resolves symlinks, so the
    // file must really live in the root.
    std::error_code ec;
    const fs::path path = fs::canonical(fs::path(root_) / name, ec);
    if (ec || path.parent_path() != fs::path(root_) || !fs::is_regular_file(path, ec)) {
      res.status = 404;
      res.set_content("not found\n", "text/plain");
      return;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    res.set_header("Cache-Control", "no-cache");
    res.set_content(body.str(), ContentType(name));
  };
  http.Get("/", [serve_file](const httplib::Request&, httplib::Response& res) {
    serve_file("index.html", res);
  });
  http.Get(R"(/([A-Za-z0-9_-][A-Za-z0-9_.-]{0,100}\.(html|js|css|svg|png|ico)))",
           [serve_file](const httplib::Request& req, httplib::Response& res) {
             serve_file(req.matches[1], res);
           });
  http.Get("/api/state", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mu_);
    res.set_header("Cache-Control", "no-cache");
    res.set_content(state_, "application/json");
  });
  http.Get("/events", [this](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard lock(mu_);
      if (streams_ >= kMaxStreams || stopping_) {
        res.status = 503;
        res.set_content("too many event streams\n", "text/plain");
        return;
      }
      ++streams_;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    auto sent = std::make_shared<uint64_t>(0);
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, sent](size_t, httplib::DataSink& sink) {
          std::string message;
          {
            std::unique_lock lock(mu_);
            // A comment every few seconds keeps proxies from closing an idle stream.
            cv_.wait_for(lock, std::chrono::seconds(5),
                         [&] { return stopping_ || version_ != *sent; });
            if (stopping_) return false;
            if (version_ != *sent) {
              *sent = version_;
              message = "data: " + state_ + "\n\n";
            } else {
              message = ": keep-alive\n\n";
            }
          }
          if (!sink.is_writable()) return false;
          return sink.write(message.data(), message.size());
        },
        [this](bool) {
          std::lock_guard lock(mu_);
          --streams_;
        });
  });
  http.set_payload_max_length(64 * 1024);
}

void DashboardServer::Publish(std::string state_json) {
  {
    std::lock_guard lock(mu_);
    state_ = std::move(state_json);
    ++version_;
  }
  cv_.notify_all();
}

std::string DashboardServer::url() const { return http_->url("/"); }

DashboardServer::~DashboardServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  http_.reset();  // stops and joins; the streams above end at their next wake-up
}

}  // namespace orderflow::web

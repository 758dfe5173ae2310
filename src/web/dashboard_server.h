// The dashboard's HTTP side (cpp-httplib): GET / serves index.html and GET /NAME.(js|css|...)
// the other files of the page's own folder (plain names only: no path traversal, no hidden
// files, no symlinks out of it); GET /api/state returns the latest state as JSON and GET /events
// streams it as Server-Sent Events (one `data:` message per Publish). Anything else gets a 4xx;
// a handler never lets an exception out. Safe for concurrent use.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "monitor/http_service.h"

namespace httplib {
class Server;
}

namespace orderflow::web {

class DashboardServer {
 public:
  // Binds `listen` (HOST:PORT, port 0 = any) and serves `web_root`, which must hold index.html.
  // InvalidArgument naming --listen or --web-root.
  static Result<std::unique_ptr<DashboardServer>> Start(const std::string& listen,
                                                        const std::string& web_root);
  ~DashboardServer();  // ends every event stream, stops and joins
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Replaces the state (a JSON document) and wakes every event stream.
  void Publish(std::string state_json);
  std::string url() const;  // http://HOST:PORT/

 private:
  DashboardServer() = default;
  void Route(httplib::Server& http);

  std::unique_ptr<monitor::HttpService> http_;
  std::string root_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string state_ = "{}";
  uint64_t version_ = 0;
  int streams_ = 0;
  bool stopping_ = false;
};

// The folder of the page: `flag_value` when given, else web/ beside the binary, else the
// source tree's web/ (ORDERFLOW_WEB_DIR). Empty when none holds index.html.
std::string FindWebRoot(const std::string& flag_value);

}  // namespace orderflow::web

// Sends alert transitions to `--alert-webhook URL` as Alertmanager's webhook JSON (version 4:
// status, receiver, groupLabels, commonLabels, alerts[] with labels, annotations, startsAt,
// endsAt), so any Alertmanager-compatible receiver accepts them. Posting happens on a worker
// thread with a bounded queue and short timeouts: a slow or dead receiver never stalls the
// caller; failures are logged and dropped. Safe for concurrent use.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "monitor/alerts.h"

namespace orderflow::monitor {

// The webhook body for these alerts (all firing, or all resolved, as Alertmanager groups them).
std::string AlertmanagerPayload(const std::vector<Alert>& alerts, const std::string& external_url);

// RFC 3339 UTC with milliseconds; "0001-01-01T00:00:00Z" (Go's zero time) for 0.
std::string Rfc3339(int64_t epoch_ms);

class AlertWebhook {
 public:
  // Accepts http://HOST[:PORT][/PATH]. InvalidArgument naming --alert-webhook otherwise
  // (https is not built into this binary).
  static Result<std::unique_ptr<AlertWebhook>> Start(const std::string& url,
                                                     const std::string& external_url);
  ~AlertWebhook();  // delivers what is queued (a few seconds at most), then stops
  AlertWebhook(const AlertWebhook&) = delete;
  AlertWebhook& operator=(const AlertWebhook&) = delete;

  // Queues one POST per status (firing, resolved) present in `changes`.
  void Notify(const std::vector<Alert>& changes);
  uint64_t delivered() const;
  uint64_t failed() const;

 private:
  AlertWebhook() = default;
  void Loop();

  std::string host_, path_, external_url_;
  int port_ = 80;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  uint64_t delivered_ = 0, failed_ = 0;
  std::thread thread_;
};

}  // namespace orderflow::monitor

// `orderflow dashboard`: a live web page of the pipeline. It consumes the topic in its own
// consumer group into per-minute event-time KPI windows (web/kpi_windows.h), reads the other
// commands' /metrics (web/pipeline_scraper.h), counts brokers up (kafka/broker_health.h),
// evaluates the alert rules (monitor/alerts.h; transitions logged and sent to the webhook),
// and publishes one state document per second to the page (web/dashboard_server.h).
// RunDashboard runs until a stop signal. The state's JSON shape is in docs/metrics.md.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "kafka/kafka_settings.h"

namespace orderflow::web {

struct DashboardOptions {
  kafka::KafkaSettings kafka;
  std::string topic = "orders";
  std::string group_id = "orderflow-dashboard";
  bool from_earliest = true;
  std::string listen = "127.0.0.1:8080";
  std::string web_root;              // "" = find it (FindWebRoot)
  std::vector<std::string> metrics;  // HOST:PORT of produce/process/track --metrics-listen
  std::string alert_config;          // JSON overrides; "" = built-in defaults
  std::string alert_webhook;         // http URL; "" = none
  double window_seconds = 60;
  double allowed_lateness_seconds = 120;
  double update_seconds = 1;
};

// Runs until a stop signal, then returns Ok (the command prints its summary line).
// InvalidArgument for bad flags or files (exit 2); KafkaError when the client cannot start.
Status RunDashboard(const DashboardOptions& options);

}  // namespace orderflow::web

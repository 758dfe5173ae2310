// Business KPIs in tumbling event-time windows (per minute by default), as Spark's
// groupBy(window(event_time, "1 minute")).withWatermark(...) keeps them: each valid order
// (event time = its event_time_ms, when it was produced) adds revenue, one order, its product,
// sales channel and payment method to its window. The watermark is the latest event time seen
// minus the allowed lateness; an event older than the watermark is late: counted and dropped,
// and windows that end before the watermark are final. Only the newest `keep` windows are kept.
// One thread only.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace orderflow::web {

class KpiWindows {
 public:
  // REQUIRES window_ms > 0, allowed_lateness_ms >= 0, keep > 0.
  KpiWindows(int64_t window_ms, int64_t allowed_lateness_ms, size_t keep);
  KpiWindows(const KpiWindows&) = delete;
  KpiWindows& operator=(const KpiWindows&) = delete;

  // Adds one order. Returns false (and counts it as late) when its window is already final.
  bool Add(int64_t event_time_ms, double amount, std::string_view item, std::string_view channel,
           std::string_view payment);

  // -1 before the first event.
  int64_t watermark_ms() const;
  uint64_t late_events() const { return late_; }
  size_t window_count() const { return windows_.size(); }

  // {"window_seconds", "watermark_ms", "late_events", "windows": [oldest..newest: {"start_ms",
  //  "final", "orders", "revenue", "avg_order_value", "top_products": [{"item","orders",
  //  "revenue"}] (5, by revenue), "channels": {name: orders}, "payments": {name: orders}}]}
  nlohmann::json ToJson() const;

 private:
  struct Window {
    uint64_t orders = 0;
    double revenue = 0;
    std::map<std::string, std::pair<uint64_t, double>, std::less<>> items;
    std::map<std::string, uint64_t, std::less<>> channels, payments;
  };
  const int64_t window_ms_, lateness_ms_;
  const size_t keep_;
  int64_t max_event_ms_ = -1;
  uint64_t late_ = 0;
  std::map<int64_t, Window> windows_;  // by start
};

}  // namespace orderflow::web

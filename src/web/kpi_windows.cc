#include "web/kpi_windows.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace orderflow::web {
namespace {

template <typename Map>
auto& Slot(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

double Round2(double v) { return std::round(v * 100) / 100; }

}  // namespace

KpiWindows::KpiWindows(int64_t window_ms, int64_t allowed_lateness_ms, size_t keep)
    : window_ms_(std::max<int64_t>(window_ms, 1)),
      lateness_ms_(std::max<int64_t>(allowed_lateness_ms, 0)),
      keep_(std::max<size_t>(keep, 1)) {}

int64_t KpiWindows::watermark_ms() const {
  return max_event_ms_ < 0 ? -1 : max_event_ms_ - lateness_ms_;
}

bool KpiWindows::Add(int64_t event_time_ms, double amount, std::string_view item,
                     std::string_view channel, std::string_view payment) {
  if (event_time_ms < 0 || !std::isfinite(amount)) {
    ++late_;
    return false;
  }
  const int64_t start = event_time_ms - event_time_ms % window_ms_;
  // Late: its window ended at or before the watermark (Spark drops such rows too).
  if (max_event_ms_ >= 0 && start + window_ms_ <= watermark_ms()) {
    ++late_;
    return false;
  }
  max_event_ms_ = std::max(max_event_ms_, event_time_ms);
  Window& w = windows_[start];
  ++w.orders;
  w.revenue += amount;
  auto& product = Slot(w.items, item);
  ++product.first;
  product.second += amount;
  ++Slot(w.channels, channel);
  ++Slot(w.payments, payment);
  while (windows_.size() > keep_) windows_.erase(windows_.begin());
  return true;
}

nlohmann::json KpiWindows::ToJson() const {
  nlohmann::json windows = nlohmann::json::array();
  const int64_t watermark = watermark_ms();
  for (const auto& [start, w] : windows_) {
    std::vector<std::pair<std::string, std::pair<uint64_t, double>>> items(w.items.begin(),
                                                                           w.items.end());
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.second.second > b.second.second; });
    if (items.size() > 5) items.resize(5);
    nlohmann::json top = nlohmann::json::array();
    for (const auto& [name, v] : items) {
      top.push_back({{"item", name}, {"orders", v.first}, {"revenue", Round2(v.second)}});
    }
    windows.push_back({{"start_ms", start},
                       {"final", start + window_ms_ <= watermark},
                       {"orders", w.orders},
                       {"revenue", Round2(w.revenue)},
                       {"avg_order_value", w.orders ? Round2(w.revenue / w.orders) : 0.0},
                       {"top_products", top},
                       {"channels", w.channels},
                       {"payments", w.payments}});
  }
  return {{"window_seconds", window_ms_ / 1000.0},
          {"allowed_lateness_seconds", lateness_ms_ / 1000.0},
          {"watermark_ms", watermark},
          {"late_events", late_},
          {"windows", windows}};
}

}  // namespace orderflow::web

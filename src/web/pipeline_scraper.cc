#include "web/pipeline_scraper.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace orderflow::web {
namespace {

constexpr double kRateWindowSeconds = 5;
constexpr double kLatencyWindowSeconds = 10;
constexpr size_t kSeriesMax = 120;

std::string RoleOf(const std::vector<MetricSample>& samples) {
  for (const MetricSample& s : samples) {
    for (const char* role : {"producer", "processor", "tracker"}) {
      if (s.name.starts_with(fmt::format("orderflow_{}_", role))) return role;
    }
  }
  return "";
}

// Cumulative buckets of one histogram (bounds ascending, then +Inf) summed over targets.
void AddHistogram(const std::vector<MetricSample>& samples, const std::string& name,
                  std::map<double, double>& buckets) {
  for (const MetricSample& s : samples) {
    if (s.name != name) continue;
    const std::string& le = s.Label("le");
    const double bound = le == "+Inf" ? HUGE_VAL : std::strtod(le.c_str(), nullptr);
    buckets[bound] += s.value;
  }
}

double Ms(double seconds) { return std::isfinite(seconds) ? std::round(seconds * 10000) / 10 : -1; }

}  // namespace

std::string ScrapeTarget::url() const { return fmt::format("http://{}:{}{}", host, port, path); }

Result<ScrapeTarget> ParseScrapeTarget(const std::string& text) {
  const auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("--metrics {}: expected HOST:PORT or http://HOST:PORT/metrics", text));
  };
  std::string rest = text;
  if (rest.starts_with("http://")) rest = rest.substr(7);
  ScrapeTarget target;
  if (const size_t slash = rest.find('/'); slash != std::string::npos) {
    target.path = rest.substr(slash);
    rest.resize(slash);
  }
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad();
  target.host = rest.substr(0, colon);
  const std::string port = rest.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), target.port);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || target.port <= 0 ||
      target.port > 65535) {
    return bad();
  }
  return target;
}

PipelineScraper::PipelineScraper(std::vector<ScrapeTarget> targets) {
  for (auto& t : targets) targets_.push_back(Target{std::move(t), false, "", {}});
}

void PipelineScraper::Scrape(double t, int64_t now_ms) {
  std::vector<std::string> texts;
  for (const Target& target : targets_) {
    httplib::Client client(target.address.host, target.address.port);
    client.set_connection_timeout(1);
    client.set_read_timeout(1);
    auto res = client.Get(target.address.path.c_str());
    texts.push_back(res && res->status == 200 ? res->body : std::string());
  }
  Update(t, now_ms, texts);
}

void PipelineScraper::Update(double t, int64_t now_ms, const std::vector<std::string>& texts) {
  for (size_t i = 0; i < targets_.size() && i < texts.size(); ++i) {
    Target& target = targets_[i];
    ParsedMetrics parsed = ParsePrometheusText(texts[i]);
    target.up = !parsed.samples.empty();
    if (!target.up) continue;
    target.last = std::move(parsed.samples);
    if (const std::string role = RoleOf(target.last); !role.empty()) target.role = role;
  }

  monitor::PipelineSample s;
  s.t = t;
  nlohmann::json reasons = nlohmann::json::object();
  std::map<std::string, double> lag_processor, lag_tracker;
  std::map<double, double> e2e, tracker_e2e;
  double valid = 0, commits = 0;
  nlohmann::json targets = nlohmann::json::array();
  for (const Target& target : targets_) {
    targets.push_back({{"url", target.address.url()}, {"role", target.role}, {"up", target.up}});
    for (const MetricSample& m : target.last) {
      if (target.role == "producer" && m.name == "orderflow_producer_events_acked_total") {
        s.has_producer = true;
        s.produced += m.value;
      } else if (target.role == "processor") {
        s.has_processor = true;
        if (m.name == "orderflow_processor_events_total") {
          s.processed += m.value;
          if (m.Label("outcome") == "invalid") s.invalid += m.value;
          if (m.Label("outcome") == "valid") valid += m.value;
        } else if (m.name == "orderflow_processor_invalid_events_total") {
          reasons[m.Label("reason")] = reasons.value(m.Label("reason"), 0.0) + m.value;
        } else if (m.name == "orderflow_processor_consumer_lag") {
          lag_processor[m.Label("partition")] += m.value;
        } else if (m.name == "orderflow_processor_checkpoint_commits_total") {
          commits += m.value;
        }
      } else if (target.role == "tracker" && m.name == "orderflow_tracker_consumer_lag") {
        lag_tracker[m.Label("partition")] = std::max(lag_tracker[m.Label("partition")], m.value);
      }
    }
    if (target.role == "processor") {
      AddHistogram(target.last, "orderflow_processor_end_to_end_latency_seconds_bucket", e2e);
    } else if (target.role == "tracker") {
      AddHistogram(target.last, "orderflow_tracker_end_to_end_latency_seconds_bucket", tracker_e2e);
    }
  }
  for (const auto& [bound, count] : e2e) {
    if (std::isfinite(bound)) s.e2e_bounds.push_back(bound);
    s.e2e_cumulative.push_back(count);
  }
  // The processor's own lag (checkpoint position) when it is known, else the tracker's view.
  const auto& lag = !lag_processor.empty() ? lag_processor : lag_tracker;
  nlohmann::json lag_json = nlohmann::json::object();
  for (const auto& [partition, value] : lag) {
    s.has_lag = true;
    s.lag += value;
    lag_json[partition] = value;
  }
  sample_ = s;

  // Rates and recent latency: differences against the point a few seconds back.
  points_.push_back(Point{t, s.produced, s.processed, s.invalid, s.e2e_cumulative});
  while (points_.size() > 2 &&
         points_[1].t <= t - std::max(kRateWindowSeconds, kLatencyWindowSeconds)) {
    points_.pop_front();
  }
  const auto back = [&](double seconds) -> const Point& {
    for (auto it = points_.rbegin(); it != points_.rend(); ++it) {
      if (it->t <= t - seconds) return *it;
    }
    return points_.front();
  };
  const Point& r = back(kRateWindowSeconds);
  const double dt = t - r.t;
  const auto rate = [&](double now, double then) {
    return dt > 0 ? std::max(0.0, now - then) / dt : 0.0;
  };
  const double produced_eps = rate(s.produced, r.produced);
  const double processed_eps = rate(s.processed, r.processed);
  const double invalid_eps = rate(s.invalid, r.invalid);

  const Point& l = back(kLatencyWindowSeconds);
  std::vector<double> recent = s.e2e_cumulative;
  if (l.e2e.size() == recent.size() && !recent.empty() && recent.back() > l.e2e.back()) {
    for (size_t i = 0; i < recent.size(); ++i) recent[i] -= l.e2e[i];
  }
  std::vector<double> tracker_bounds, tracker_cumulative;
  for (const auto& [bound, count] : tracker_e2e) {
    if (std::isfinite(bound)) tracker_bounds.push_back(bound);
    tracker_cumulative.push_back(count);
  }

  series_.push_back({{"t", now_ms},
                     {"produced_eps", std::round(produced_eps)},
                     {"processed_eps", std::round(processed_eps)},
                     {"invalid_eps", std::round(invalid_eps)}});
  while (series_.size() > kSeriesMax) series_.pop_front();

  health_ = {
      {"targets", targets},
      {"has_producer", s.has_producer},
      {"has_processor", s.has_processor},
      {"produced_total", s.produced},
      {"processed_total", s.processed},
      {"valid_total", valid},
      {"invalid_total", s.invalid},
      {"invalid_by_reason", reasons},
      {"produced_eps", std::round(produced_eps * 10) / 10},
      {"processed_eps", std::round(processed_eps * 10) / 10},
      {"invalid_share_recent", processed_eps > 0 ? invalid_eps / processed_eps : 0.0},
      {"e2e_p50_ms", Ms(monitor::HistogramQuantile(0.5, s.e2e_bounds, recent))},
      {"e2e_p99_ms", Ms(monitor::HistogramQuantile(0.99, s.e2e_bounds, recent))},
      {"tracker_e2e_p99_ms",
       Ms(monitor::HistogramQuantile(0.99, tracker_bounds, tracker_cumulative))},
      {"lag", lag_json},
      {"lag_total", s.lag},
      {"lag_source", !lag_processor.empty() ? "processor" : (lag_tracker.empty() ? "" : "tracker")},
      {"checkpoint_commits", commits},
      {"series", nlohmann::json(std::vector<nlohmann::json>(series_.begin(), series_.end()))},
  };
}

}  // namespace orderflow::web

#include "web/pipeline_scraper.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "monitor/metrics_server.h"

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

// Bounds (the finite ones) and cumulative counts (incl. +Inf) of summed buckets.
void SplitBuckets(const std::map<double, double>& buckets, std::vector<double>& bounds,
                  std::vector<double>& cumulative) {
  for (const auto& [bound, count] : buckets) {
    if (std::isfinite(bound)) bounds.push_back(bound);
    cumulative.push_back(count);
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
  for (auto& t : targets) targets_.push_back(Target{std::move(t), false, false, "", {}});
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

// Sums over the targets' last samples by role, then the sample for the alerts from them.
struct PipelineScraper::Totals {
  monitor::PipelineSample sample;
  nlohmann::json targets = nlohmann::json::array();  // url, role and up of each
  nlohmann::json reasons = nlohmann::json::object();
  std::map<std::string, double> lag_processor, lag_tracker;  // by partition
  std::map<double, double> e2e, tracker_e2e;                 // cumulative buckets by bound
  double valid = 0, commits = 0;
  nlohmann::json lag = nlohmann::json::object();

  void Add(const Target& target) {
    targets.push_back({{"url", target.address.url()},
                       {"role", target.role},
                       {"up", target.up},
                       {"finished", target.finished}});
    if (target.role == "producer") {
      AddProducer(target.last);
    } else if (target.role == "processor") {
      AddProcessor(target.last);
    } else if (target.role == "tracker") {
      AddTracker(target.last);
    }
  }

  void AddProducer(const std::vector<MetricSample>& samples) {
    for (const MetricSample& m : samples) {
      if (m.name != "orderflow_producer_events_acked_total") continue;
      sample.has_producer = true;
      sample.produced += m.value;
    }
  }

  void AddProcessor(const std::vector<MetricSample>& samples) {
    for (const MetricSample& m : samples) {
      sample.has_processor = true;
      if (m.name == "orderflow_processor_events_total") {
        sample.processed += m.value;
        if (m.Label("outcome") == "invalid") sample.invalid += m.value;
        if (m.Label("outcome") == "valid") valid += m.value;
      } else if (m.name == "orderflow_processor_invalid_events_total") {
        reasons[m.Label("reason")] = reasons.value(m.Label("reason"), 0.0) + m.value;
      } else if (m.name == "orderflow_processor_consumer_lag") {
        lag_processor[m.Label("partition")] += m.value;
      } else if (m.name == "orderflow_processor_checkpoint_commits_total") {
        commits += m.value;
      }
    }
    AddHistogram(samples, "orderflow_processor_end_to_end_latency_seconds_bucket", e2e);
  }

  void AddTracker(const std::vector<MetricSample>& samples) {
    for (const MetricSample& m : samples) {
      if (m.name != "orderflow_tracker_consumer_lag") continue;
      lag_tracker[m.Label("partition")] = std::max(lag_tracker[m.Label("partition")], m.value);
    }
    AddHistogram(samples, "orderflow_tracker_end_to_end_latency_seconds_bucket", tracker_e2e);
  }

  // The processor's latency buckets and the lag into the sample.
  void Finish() {
    SplitBuckets(e2e, sample.e2e_bounds, sample.e2e_cumulative);
    // The processor's own lag (checkpoint position) when it is known, else the tracker's view.
    for (const auto& [partition, value] : lag_by_partition()) {
      sample.has_lag = true;
      sample.lag += value;
      lag[partition] = value;
    }
  }

  const std::map<std::string, double>& lag_by_partition() const {
    return !lag_processor.empty() ? lag_processor : lag_tracker;
  }
  const char* lag_source() const {
    return !lag_processor.empty() ? "processor" : (lag_tracker.empty() ? "" : "tracker");
  }
};

struct PipelineScraper::Rates {
  double produced_eps = 0, processed_eps = 0, invalid_eps = 0;
  std::vector<double> recent_e2e;  // the processor's buckets over the last few seconds
};

void PipelineScraper::Update(double t, int64_t now_ms, const std::vector<std::string>& texts) {
  ReadTargets(texts);
  const Totals totals = SumTargets(t);
  sample_ = totals.sample;
  const Rates rates = UpdateRates(t, totals.sample);
  AppendSeries(now_ms, rates);
  health_ = HealthJson(totals, rates);
}

void PipelineScraper::ReadTargets(const std::vector<std::string>& texts) {
  for (size_t i = 0; i < targets_.size() && i < texts.size(); ++i) {
    Target& target = targets_[i];
    ParsedMetrics parsed = ParsePrometheusText(texts[i]);
    target.up = !parsed.samples.empty();
    if (!target.up) continue;  // keeps what it was: finished or not
    target.last = std::move(parsed.samples);
    target.finished = std::any_of(target.last.begin(), target.last.end(), [](const auto& s) {
      return s.name == monitor::kRunFinishedMetric && s.value == 1;
    });
    if (const std::string role = RoleOf(target.last); !role.empty()) target.role = role;
  }
}

PipelineScraper::Totals PipelineScraper::SumTargets(double t) const {
  Totals totals;
  totals.sample.t = t;
  for (const Target& target : targets_) totals.Add(target);
  totals.Finish();
  return totals;
}

PipelineScraper::Rates PipelineScraper::UpdateRates(double t, const monitor::PipelineSample& s) {
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
  Rates rates{rate(s.produced, r.produced), rate(s.processed, r.processed),
              rate(s.invalid, r.invalid), s.e2e_cumulative};
  const Point& l = back(kLatencyWindowSeconds);
  std::vector<double>& recent = rates.recent_e2e;
  if (l.e2e.size() == recent.size() && !recent.empty() && recent.back() > l.e2e.back()) {
    for (size_t i = 0; i < recent.size(); ++i) recent[i] -= l.e2e[i];
  }
  return rates;
}

void PipelineScraper::AppendSeries(int64_t now_ms, const Rates& rates) {
  series_.push_back({{"t", now_ms},
                     {"produced_eps", std::round(rates.produced_eps)},
                     {"processed_eps", std::round(rates.processed_eps)},
                     {"invalid_eps", std::round(rates.invalid_eps)}});
  while (series_.size() > kSeriesMax) series_.pop_front();
}

nlohmann::json PipelineScraper::HealthJson(const Totals& totals, const Rates& rates) const {
  const monitor::PipelineSample& s = totals.sample;
  std::vector<double> tracker_bounds, tracker_cumulative;
  SplitBuckets(totals.tracker_e2e, tracker_bounds, tracker_cumulative);
  return {
      {"targets", totals.targets},
      {"has_producer", s.has_producer},
      {"has_processor", s.has_processor},
      {"produced_total", s.produced},
      {"processed_total", s.processed},
      {"valid_total", totals.valid},
      {"invalid_total", s.invalid},
      {"invalid_by_reason", totals.reasons},
      {"produced_eps", std::round(rates.produced_eps * 10) / 10},
      {"processed_eps", std::round(rates.processed_eps * 10) / 10},
      {"invalid_share_recent",
       rates.processed_eps > 0 ? rates.invalid_eps / rates.processed_eps : 0.0},
      {"e2e_p50_ms", Ms(monitor::HistogramQuantile(0.5, s.e2e_bounds, rates.recent_e2e))},
      {"e2e_p99_ms", Ms(monitor::HistogramQuantile(0.99, s.e2e_bounds, rates.recent_e2e))},
      {"tracker_e2e_p99_ms",
       Ms(monitor::HistogramQuantile(0.99, tracker_bounds, tracker_cumulative))},
      {"lag", totals.lag},
      {"lag_total", s.lag},
      {"lag_source", totals.lag_source()},
      {"checkpoint_commits", totals.commits},
      {"series", nlohmann::json(std::vector<nlohmann::json>(series_.begin(), series_.end()))},
  };
}

}  // namespace orderflow::web

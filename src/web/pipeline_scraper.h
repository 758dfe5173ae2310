// Reads the /metrics of the pipeline's commands (produce, process, track; given by address)
// once per call and turns them into the dashboard's pipeline-health figures: produced and
// processed events per second, valid/invalid by reason, end-to-end p50/p99 over the last
// seconds, lag per partition, and a PipelineSample for the alert rules. A target's role comes
// from its metric names. An unreachable target keeps its last totals and shows as down, or as
// finished when its last scrape said its run had ended (monitor::kRunFinishedMetric).
// One thread only.
#pragma once

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "monitor/alerts.h"
#include "web/prometheus_text.h"

namespace orderflow::web {

struct ScrapeTarget {
  std::string host;
  int port = 0;
  std::string path = "/metrics";
  std::string url() const;
};

// Accepts HOST:PORT or http://HOST:PORT[/PATH]. InvalidArgument naming --metrics otherwise.
Result<ScrapeTarget> ParseScrapeTarget(const std::string& text);

class PipelineScraper {
 public:
  explicit PipelineScraper(std::vector<ScrapeTarget> targets);
  PipelineScraper(const PipelineScraper&) = delete;
  PipelineScraper& operator=(const PipelineScraper&) = delete;

  // Scrapes every target (1 s timeout each); `t` is monotonic seconds, now_ms the wall clock.
  void Scrape(double t, int64_t now_ms);
  // Same, from texts already fetched (one per target; empty = unreachable). For tests.
  void Update(double t, int64_t now_ms, const std::vector<std::string>& texts);

  const monitor::PipelineSample& sample() const { return sample_; }
  // The figures for the page (see docs/metrics.md, "Dashboard").
  const nlohmann::json& health() const { return health_; }

 private:
  struct Target {
    ScrapeTarget address;
    bool up = false;
    bool finished = false;           // its last scrape said its run had ended cleanly
    std::string role;                // producer | processor | tracker | "" (unknown yet)
    std::vector<MetricSample> last;  // the last successful scrape
  };
  struct Point {
    double t = 0;
    double produced = 0, processed = 0, invalid = 0;
    std::vector<double> e2e;  // processor latency, cumulative incl. +Inf
  };
  struct Totals;  // one round's sums over the targets (pipeline_scraper.cc)
  struct Rates;   // one round's rates and recent latency (pipeline_scraper.cc)

  // Each target's text: up or down, its last samples and its role.
  void ReadTargets(const std::vector<std::string>& texts);
  Totals SumTargets(double t) const;
  // Records this round's point and measures the rates against the point a few seconds back.
  Rates UpdateRates(double t, const monitor::PipelineSample& s);
  void AppendSeries(int64_t now_ms, const Rates& rates);
  nlohmann::json HealthJson(const Totals& totals, const Rates& rates) const;

  std::vector<Target> targets_;
  std::deque<Point> points_;           // the last ~15 s, for rates and recent quantiles
  std::deque<nlohmann::json> series_;  // eps per scrape, the last 120
  monitor::PipelineSample sample_;
  nlohmann::json health_;
};

}  // namespace orderflow::web

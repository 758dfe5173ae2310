#include "web/pipeline_scraper.h"

#include <gtest/gtest.h>

#include "metrics/metrics_registry.h"
#include "monitor/metrics_server.h"

namespace orderflow::web {
namespace {

TEST(PipelineScraperTest, CombinesRolesIntoRatesSharesLagAndLatency) {
  metrics::MetricsRegistry producer, processor;
  PipelineScraper scraper({ScrapeTarget{"p", 1}, ScrapeTarget{"q", 2}, ScrapeTarget{"dead", 3}});
  auto feed = [&](double t, double acked, double valid, double invalid) {
    producer.GetCounter("orderflow_producer_events_acked_total", "h", {{"kind", "valid"}})
        .Set(acked);
    processor.GetCounter("orderflow_processor_events_total", "h", {{"outcome", "valid"}})
        .Set(valid);
    processor.GetCounter("orderflow_processor_events_total", "h", {{"outcome", "invalid"}})
        .Set(invalid);
    processor
        .GetCounter("orderflow_processor_invalid_events_total", "h",
                    {{"reason", "missing_quantity"}})
        .Set(invalid);
    processor.GetGauge("orderflow_processor_consumer_lag", "h", {{"partition", "0"}})
        .Set(acked - valid - invalid);
    scraper.Update(t, 0, {producer.Expose(), processor.Expose(), ""});
  };
  feed(0, 0, 0, 0);
  feed(5, 1000, 800, 100);
  const auto& h = scraper.health();
  EXPECT_EQ(h["produced_eps"], 200);
  EXPECT_EQ(h["processed_eps"], 180);
  EXPECT_EQ(h["invalid_by_reason"]["missing_quantity"], 100);
  EXPECT_EQ(h["lag"]["0"], 100);
  EXPECT_EQ(h["lag_source"], "processor");
  EXPECT_EQ(h["targets"][0]["role"], "producer");
  EXPECT_EQ(h["targets"][1]["role"], "processor");
  EXPECT_FALSE(h["targets"][2]["up"].get<bool>());
  const auto& s = scraper.sample();
  EXPECT_TRUE(s.has_producer && s.has_processor && s.has_lag);
  EXPECT_EQ(s.processed, 900);
  EXPECT_EQ(s.invalid, 100);
  ASSERT_EQ(h["series"].size(), 2u);

  // The processor goes away: its last totals stay, it shows as down.
  scraper.Update(6, 0, {producer.Expose(), "", ""});
  EXPECT_EQ(scraper.sample().processed, 900);
  EXPECT_FALSE(scraper.health()["targets"][1]["up"].get<bool>());
}

TEST(PipelineScraperTest, ACommandThatSaidItFinishedIsNotLost) {
  metrics::MetricsRegistry producer, processor;
  producer.GetCounter("orderflow_producer_events_acked_total", "h", {{"kind", "valid"}}).Set(10);
  processor.GetCounter("orderflow_processor_events_total", "h", {{"outcome", "valid"}}).Set(10);
  auto& producer_finished = producer.GetGauge(monitor::kRunFinishedMetric, "h");
  processor.GetGauge(monitor::kRunFinishedMetric, "h").Set(0);
  PipelineScraper scraper({ScrapeTarget{"p", 1}, ScrapeTarget{"q", 2}});
  scraper.Update(0, 0, {producer.Expose(), processor.Expose()});
  EXPECT_FALSE(scraper.health()["targets"][0]["finished"].get<bool>());
  producer_finished.Set(1);  // its last scrape, while it lingers
  scraper.Update(1, 0, {producer.Expose(), processor.Expose()});
  EXPECT_TRUE(scraper.health()["targets"][0]["up"].get<bool>());
  EXPECT_TRUE(scraper.health()["targets"][0]["finished"].get<bool>());
  // Both go: the producer had said it finished, the processor had not (it died).
  scraper.Update(2, 0, {"", ""});
  const auto& targets = scraper.health()["targets"];
  EXPECT_FALSE(targets[0]["up"].get<bool>());
  EXPECT_TRUE(targets[0]["finished"].get<bool>());
  EXPECT_FALSE(targets[1]["up"].get<bool>());
  EXPECT_FALSE(targets[1]["finished"].get<bool>());
}

TEST(PipelineScraperTest, RecentLatencyQuantilesFromHistogramDeltas) {
  metrics::MetricsRegistry processor;
  auto& h =
      processor.GetHistogram("orderflow_processor_end_to_end_latency_seconds", "h", {0.1, 1, 10});
  PipelineScraper scraper({ScrapeTarget{"q", 2}});
  for (int i = 0; i < 100; ++i) h.Observe(5);  // old and slow
  scraper.Update(0, 0, {processor.Expose()});
  for (int i = 0; i < 1000; ++i) h.Observe(0.05);  // the last 10+ s: fast
  scraper.Update(11, 0, {processor.Expose()});
  EXPECT_LE(scraper.health()["e2e_p99_ms"].get<double>(), 100);
  EXPECT_GT(scraper.health()["e2e_p99_ms"].get<double>(), 0);
}

TEST(PipelineScraperTest, ScrapeTargetParsing) {
  auto a = ParseScrapeTarget("127.0.0.1:9464");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->url(), "http://127.0.0.1:9464/metrics");
  auto b = ParseScrapeTarget("http://host:80/custom");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->path, "/custom");
  for (const char* bad : {"", "host", ":80", "host:0", "host:x", "http://host"}) {
    EXPECT_FALSE(ParseScrapeTarget(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace orderflow::web

// A small metrics registry in the Prometheus data model: counters, gauges and histograms, each a
// family (name, help, type) of children told apart by label values, and the text exposition
// format (version 0.0.4) that /metrics serves. Names follow Prometheus conventions: base units
// (seconds, bytes) and `_total` for counters; that is the caller's job, the registry only checks
// that names and label names are well formed.
//
// Safe for concurrent use. Counter and Gauge updates are single relaxed atomic operations; a
// Histogram takes a short mutex. Hot loops should not touch them per event: count in plain
// variables and publish totals here about once a second (Counter::Set, Histogram::SetFrom).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/latency_histogram.h"

namespace orderflow::metrics {

// Label name/value pairs; order does not matter (they are kept sorted by name).
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(double delta);  // REQUIRES delta >= 0
  // Publishes a total counted elsewhere; a smaller value than the current one is ignored
  // (counters never go down while the process lives).
  void Set(double total);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Cumulative buckets with fixed upper bounds (+Inf implied), sum and count.
class Histogram {
 public:
  // REQUIRES `bounds` strictly increasing and finite.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Replaces the content with `h` (milliseconds) converted to seconds: the cumulative count at
  // each bound is the number of samples in LatencyHistogram buckets whose upper edge is at or
  // below it, so a bound can under-count by the ~3% width of one bucket.
  void SetFromMillis(const LatencyHistogram& h);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // per bound; the +Inf bucket is `count`
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot Get() const;

 private:
  mutable std::mutex mu_;
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // not cumulative; one more than bounds_ (the +Inf bucket)
  uint64_t count_ = 0;
  double sum_ = 0;
};

// Bucket bounds in seconds for latencies from 1 ms to 2 minutes.
std::vector<double> LatencySecondsBuckets();

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The child of family `name` with these labels, created on first use. The reference stays
  // valid until Remove() of the same child or the registry's destruction. A malformed name or
  // label name, or a name already used with another type, is a programming error: it aborts.
  Counter& GetCounter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                          Labels labels = {});
  // Drops one child (e.g. the lag gauge of a partition no longer assigned). No-op when absent.
  void Remove(std::string_view name, Labels labels);

  // Every family in the Prometheus text format, sorted by name, children by labels.
  std::string Expose() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Child {
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  struct Family {
    Type type;
    std::string help;
    std::map<Labels, Child> children;
  };
  Child& GetChild(std::string_view name, std::string_view help, Type type, Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

// True for a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool IsValidMetricName(std::string_view name);
// True for a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__").
bool IsValidLabelName(std::string_view name);

}  // namespace orderflow::metrics

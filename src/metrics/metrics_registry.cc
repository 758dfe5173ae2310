#include "metrics/metrics_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace orderflow::metrics {
namespace {

void Die(const std::string& why) {
  // Metric names are constants in our code: a bad one is a bug to catch in the first test run.
  std::fprintf(stderr, "orderflow: metrics registry: %s\n", why.c_str());
  std::abort();
}

void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendValue(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<int64_t>(v));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
}

// name{a="x",b="y"} with an optional extra label (le for buckets).
void AppendSeries(std::string& out, std::string_view name, const Labels& labels,
                  std::string_view extra_name = {}, std::string_view extra_value = {}) {
  out += name;
  if (labels.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    AppendEscaped(out, v, true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

}  // namespace

void Counter::Add(double delta) {
  if (delta > 0) value_.fetch_add(delta, std::memory_order_relaxed);
}

void Counter::Set(double total) {
  double current = value_.load(std::memory_order_relaxed);
  while (total > current &&
         !value_.compare_exchange_weak(current, total, std::memory_order_relaxed)) {
  }
}

void Gauge::Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  std::lock_guard lock(mu_);
  ++counts_[i];
  ++count_;
  sum_ += value;
}

void Histogram::SetFromMillis(const LatencyHistogram& h) {
  std::vector<uint64_t> counts(bounds_.size() + 1, 0);
  size_t bound = 0;
  for (int b = 0; b < LatencyHistogram::kBuckets; ++b) {
    const uint64_t n = h.bucket_count(b);
    if (n == 0) continue;
    const double upper_s = LatencyHistogram::BucketUpperMs(b) / 1000.0;
    while (bound < bounds_.size() && bounds_[bound] < upper_s * (1 - 1e-12)) ++bound;
    counts[bound] += n;
  }
  std::lock_guard lock(mu_);
  counts_ = std::move(counts);
  count_ = h.count();
  sum_ = h.sum() / 1000.0;
}

Histogram::Snapshot Histogram::Get() const {
  Snapshot s;
  std::lock_guard lock(mu_);
  s.bounds = bounds_;
  s.cumulative.resize(bounds_.size());
  uint64_t running = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    running += counts_[i];
    s.cumulative[i] = running;
  }
  s.count = count_;
  s.sum = sum_;
  return s;
}

std::vector<double> LatencySecondsBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

MetricsRegistry::Child& MetricsRegistry::GetChild(std::string_view name, std::string_view help,
                                                  Type type, Labels& labels) {
  if (!IsValidMetricName(name)) Die(fmt::format("bad metric name '{}'", name));
  for (const auto& [k, v] : labels) {
    if (!IsValidLabelName(k) || k == "le") Die(fmt::format("bad label name '{}' on {}", k, name));
  }
  std::sort(labels.begin(), labels.end());
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}}).first;
  } else if (it->second.type != type) {
    Die(fmt::format("metric {} registered with two types", name));
  }
  return it->second.children[labels];
}

Counter& MetricsRegistry::GetCounter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mu_);
  Child& c = GetChild(name, help, Type::kCounter, labels);
  if (!c.counter) c.counter = std::make_unique<Counter>();
  return *c.counter;
}

Gauge& MetricsRegistry::GetGauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mu_);
  Child& c = GetChild(name, help, Type::kGauge, labels);
  if (!c.gauge) c.gauge = std::make_unique<Gauge>();
  return *c.gauge;
}

Histogram& MetricsRegistry::GetHistogram(std::string_view name, std::string_view help,
                                         std::vector<double> bounds, Labels labels) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      Die(fmt::format("histogram {}: bounds must be finite and increasing", name));
    }
  }
  std::lock_guard lock(mu_);
  Child& c = GetChild(name, help, Type::kHistogram, labels);
  if (!c.histogram) c.histogram = std::make_unique<Histogram>(std::move(bounds));
  return *c.histogram;
}

void MetricsRegistry::Remove(std::string_view name, Labels labels) {
  std::sort(labels.begin(), labels.end());
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.children.erase(labels);
}

std::string MetricsRegistry::Expose() const {
  std::string out;
  out.reserve(4096);
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) {
    if (family.children.empty()) continue;
    out += "# HELP ";
    out += name;
    out += ' ';
    AppendEscaped(out, family.help, false);
    out += "\n# TYPE ";
    out += name;
    out += family.type == Type::kCounter ? " counter\n"
           : family.type == Type::kGauge ? " gauge\n"
                                         : " histogram\n";
    for (const auto& [labels, child] : family.children) {
      if (child.counter || child.gauge) {
        AppendSeries(out, name, labels);
        out += ' ';
        AppendValue(out, child.counter ? child.counter->value() : child.gauge->value());
        out += '\n';
        continue;
      }
      const Histogram::Snapshot s = child.histogram->Get();
      const std::string bucket = name + "_bucket";
      for (size_t i = 0; i < s.bounds.size(); ++i) {
        std::string le;
        AppendValue(le, s.bounds[i]);
        AppendSeries(out, bucket, labels, "le", le);
        fmt::format_to(std::back_inserter(out), " {}\n", s.cumulative[i]);
      }
      AppendSeries(out, bucket, labels, "le", "+Inf");
      fmt::format_to(std::back_inserter(out), " {}\n", s.count);
      AppendSeries(out, name + "_sum", labels);
      out += ' ';
      AppendValue(out, s.sum);
      out += '\n';
      AppendSeries(out, name + "_count", labels);
      fmt::format_to(std::back_inserter(out), " {}\n", s.count);
    }
  }
  return out;
}

}  // namespace orderflow::metrics

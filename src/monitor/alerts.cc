#include "monitor/alerts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace orderflow::monitor {
namespace {

constexpr size_t kRecentMax = 50;

// increase(): a counter that went down was restarted; count from zero then.
double Increase(double now, double then) { return now >= then ? now - then : now; }

Status SetPositive(const nlohmann::json& object, const std::string& origin,
                   const std::string& section, const char* key, double& out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_number() || !(it->get<double>() > 0) || !std::isfinite(it->get<double>())) {
    return Status::InvalidArgument(
        fmt::format("{}: {}.{} must be a positive number", origin, section, key));
  }
  out = it->get<double>();
  return Status::Ok();
}

}  // namespace

Result<AlertConfig> ParseAlertConfig(const std::string& json, const std::string& origin) {
  nlohmann::json root = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Status::InvalidArgument(fmt::format("{}: not a JSON object", origin));
  }
  AlertConfig config;
  struct Key {
    const char* name;
    double* value;
  };
  const std::vector<std::pair<std::string, std::vector<Key>>> sections = {
      {"invalid_share",
       {{"threshold", &config.invalid_share}, {"window_seconds", &config.invalid_window_seconds}}},
      {"e2e_p99",
       {{"threshold_seconds", &config.e2e_p99_seconds},
        {"window_seconds", &config.e2e_window_seconds}}},
      {"lag",
       {{"threshold", &config.lag_max}, {"growth_window_seconds", &config.lag_growth_seconds}}},
      {"stall", {{"window_seconds", &config.stall_seconds}}},
  };
  for (const auto& [name, value] : root.items()) {
    auto section = std::find_if(sections.begin(), sections.end(),
                                [&](const auto& s) { return s.first == name; });
    if (section == sections.end()) {
      return Status::InvalidArgument(fmt::format(
          "{}: unknown key '{}' (expected invalid_share, e2e_p99, lag, stall)", origin, name));
    }
    if (!value.is_object()) {
      return Status::InvalidArgument(fmt::format("{}: {} must be an object", origin, name));
    }
    for (const auto& [key, unused] : value.items()) {
      if (std::none_of(section->second.begin(), section->second.end(),
                       [&](const Key& k) { return key == k.name; })) {
        return Status::InvalidArgument(fmt::format("{}: unknown key {}.{}", origin, name, key));
      }
    }
    for (const Key& k : section->second) {
      if (Status s = SetPositive(value, origin, name, k.name, *k.value); !s.ok()) return s;
    }
  }
  if (config.invalid_share >= 1) {
    return Status::InvalidArgument(
        fmt::format("{}: invalid_share.threshold is a fraction (0.05 = 5%)", origin));
  }
  return config;
}

Result<AlertConfig> LoadAlertConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError(fmt::format("cannot read alert config {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseAlertConfig(text.str(), path);
}

double HistogramQuantile(double q, const std::vector<double>& bounds,
                         const std::vector<double>& cumulative) {
  if (cumulative.size() != bounds.size() + 1 || cumulative.back() <= 0) return std::nan("");
  const double rank = q * cumulative.back();
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (cumulative[i] >= rank) {
      const double lower = i == 0 ? 0 : bounds[i - 1];
      const double below = i == 0 ? 0 : cumulative[i - 1];
      const double in_bucket = cumulative[i] - below;
      if (in_bucket <= 0) return bounds[i];
      return lower + (bounds[i] - lower) * (rank - below) / in_bucket;
    }
  }
  return bounds.empty() ? std::nan("") : bounds.back();
}

AlertEngine::AlertEngine(const AlertConfig& config) : config_(config) {}

const PipelineSample& AlertEngine::At(double t) const {
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->t <= t) return *it;
  }
  return history_.front();
}

void AlertEngine::Set(const std::string& name, const std::string& severity, bool condition,
                      double value, const std::string& summary, int64_t now_ms,
                      std::vector<Alert>& changes) {
  auto it =
      std::find_if(state_.begin(), state_.end(), [&](const Alert& a) { return a.name == name; });
  if (it == state_.end()) {
    state_.push_back(Alert{name, severity, summary, false, 0, 0, value});
    it = state_.end() - 1;
  }
  it->value = value;
  if (condition) it->summary = summary;  // while firing, keep the figures current
  if (condition == it->firing) return;
  it->firing = condition;
  if (condition) {
    it->starts_at_ms = now_ms;
    it->ends_at_ms = 0;
  } else {
    it->ends_at_ms = now_ms;
  }
  changes.push_back(*it);
  recent_.push_front(*it);
  if (recent_.size() > kRecentMax) recent_.pop_back();
}

std::vector<Alert> AlertEngine::Evaluate(const PipelineSample& sample, int64_t now_ms) {
  history_.push_back(sample);
  const double keep = std::max({config_.invalid_window_seconds, config_.e2e_window_seconds,
                                config_.lag_growth_seconds, config_.stall_seconds}) +
                      10;
  while (history_.size() > 2 && history_[1].t <= sample.t - keep) history_.pop_front();
  std::vector<Alert> changes;

  if (sample.has_processor) {
    const PipelineSample& then = At(sample.t - config_.invalid_window_seconds);
    const double processed = Increase(sample.processed, then.processed);
    const double invalid = Increase(sample.invalid, then.invalid);
    const double share = processed > 0 ? invalid / processed : 0;
    Set("InvalidShareHigh", "warning", processed > 0 && share > config_.invalid_share, share,
        fmt::format(
            "{:.1f}% of the events processed in the last {:g} s were invalid (threshold {:g}%)",
            share * 100, config_.invalid_window_seconds, config_.invalid_share * 100),
        now_ms, changes);

    const PipelineSample& e2e_then = At(sample.t - config_.e2e_window_seconds);
    double p99 = std::nan("");
    if (e2e_then.e2e_cumulative.size() == sample.e2e_cumulative.size() &&
        sample.e2e_bounds.size() + 1 == sample.e2e_cumulative.size()) {
      std::vector<double> delta(sample.e2e_cumulative.size());
      const bool reset = sample.e2e_cumulative.back() < e2e_then.e2e_cumulative.back();
      for (size_t i = 0; i < delta.size(); ++i) {
        delta[i] = reset ? sample.e2e_cumulative[i]
                         : sample.e2e_cumulative[i] - e2e_then.e2e_cumulative[i];
      }
      p99 = HistogramQuantile(0.99, sample.e2e_bounds, delta);
    }
    const bool slow = std::isfinite(p99) && p99 > config_.e2e_p99_seconds;
    Set("EndToEndLatencyHigh", "warning", slow, std::isfinite(p99) ? p99 : 0,
        fmt::format("end-to-end p99 is {:.2f} s over the last {:g} s (threshold {:g} s)",
                    std::isfinite(p99) ? p99 : 0.0, config_.e2e_window_seconds,
                    config_.e2e_p99_seconds),
        now_ms, changes);

    // Stalled: a whole window without progress while events keep arriving.
    const PipelineSample& stall_then = At(sample.t - config_.stall_seconds);
    const bool covered = sample.t - stall_then.t >= config_.stall_seconds * 0.999;
    const double progress = Increase(sample.processed, stall_then.processed);
    const bool arriving = (sample.has_producer && stall_then.has_producer &&
                           Increase(sample.produced, stall_then.produced) > 0) ||
                          (sample.has_lag && stall_then.has_lag && sample.lag > stall_then.lag);
    Set("ProcessingStalled", "critical", covered && progress == 0 && arriving, progress,
        fmt::format("nothing processed for {:g} s while events arrive", config_.stall_seconds),
        now_ms, changes);
  }

  if (sample.has_lag) {
    Set("ConsumerLagHigh", "warning", sample.lag > config_.lag_max, sample.lag,
        fmt::format("consumer lag is {:.0f} messages (threshold {:g})", sample.lag,
                    config_.lag_max),
        now_ms, changes);
    // Growing: rose over the window and never went down within it.
    const double since = sample.t - config_.lag_growth_seconds;
    bool covered = false, monotonic = true;
    double first = sample.lag;
    const PipelineSample* previous = nullptr;
    for (const PipelineSample& s : history_) {
      if (!s.has_lag) continue;
      if (s.t <= since) {
        covered = true;
        first = s.lag;
        previous = &s;
        continue;
      }
      if (previous && s.lag < previous->lag) monotonic = false;
      previous = &s;
    }
    Set("ConsumerLagGrowing", "warning", covered && monotonic && sample.lag > first,
        sample.lag - first,
        fmt::format("consumer lag grew from {:.0f} to {:.0f} over the last {:g} s", first,
                    sample.lag, config_.lag_growth_seconds),
        now_ms, changes);
  }
  return changes;
}

std::vector<Alert> AlertEngine::Active() const {
  std::vector<Alert> out;
  for (const Alert& a : state_) {
    if (a.firing) out.push_back(a);
  }
  return out;
}

}  // namespace orderflow::monitor

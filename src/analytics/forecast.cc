#include "analytics/forecast.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace orderflow::analytics {
namespace {

double Mean(std::span<const double> v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

struct Run {
  double sse = 0;
  int count = 0;
  double level = 0, trend = 0;
  std::vector<double> season;  // rolling: season[t % kSeason]
};

// Classic initialisation from the first two seasons, then the error-correction recursions
// over the whole series. One-step errors are scored from the second season on: the first
// season only sets the initial seasonal indices.
Run Smooth(std::span<const double> y, const HoltWintersParams& p) {
  Run run;
  const double first = Mean(y.subspan(0, kSeason));
  const double second = Mean(y.subspan(kSeason, kSeason));
  run.level = first;
  run.trend = (second - first) / kSeason;
  run.season.resize(kSeason);
  for (int i = 0; i < kSeason; ++i) run.season[i] = y[i] - first;
  for (size_t t = 0; t < y.size(); ++t) {
    double& s = run.season[t % kSeason];
    const double predicted = run.level + run.trend + s;
    if (t >= static_cast<size_t>(kSeason)) {
      const double e = y[t] - predicted;
      run.sse += e * e;
      ++run.count;
    }
    const double previous_level = run.level;
    run.level = p.alpha * (y[t] - s) + (1 - p.alpha) * (run.level + run.trend);
    run.trend = p.beta * (run.level - previous_level) + (1 - p.beta) * run.trend;
    s = p.gamma * (y[t] - run.level) + (1 - p.gamma) * s;
  }
  return run;
}

}  // namespace

ForecastErrors MeasureErrors(std::span<const double> actual, std::span<const double> forecast) {
  ForecastErrors errors;
  int mape_days = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], f = forecast[i];
    const double denominator = std::fabs(a) + std::fabs(f);
    if (denominator > 0) errors.smape += 200 * std::fabs(f - a) / denominator;
    if (a != 0) {
      errors.mape += 100 * std::fabs(f - a) / std::fabs(a);
      ++mape_days;
    }
  }
  if (!actual.empty()) errors.smape /= static_cast<double>(actual.size());
  if (mape_days > 0) errors.mape /= mape_days;
  return errors;
}

Result<HoltWintersModel> FitHoltWinters(std::span<const double> y) {
  if (y.size() < 2 * kSeason) {
    return Status::InvalidArgument(
        fmt::format("Holt-Winters needs at least {} days, got {}", 2 * kSeason, y.size()));
  }
  // A coarse grid is plenty for 3-8 weeks of data; the trend is kept gentle (beta <= 0.2) so
  // that a noisy last week cannot swing the forecast.
  HoltWintersParams best;
  double best_sse = std::numeric_limits<double>::infinity();
  for (int a = 1; a <= 19; ++a) {
    for (int b = 0; b <= 4; ++b) {
      for (int g = 0; g <= 9; ++g) {
        const HoltWintersParams p{a * 0.05, b * 0.05, g * 0.1};
        const double sse = Smooth(y, p).sse;
        if (sse < best_sse) {
          best_sse = sse;
          best = p;
        }
      }
    }
  }
  Run run = Smooth(y, best);
  HoltWintersModel model;
  model.params = best;
  model.level = run.level;
  model.trend = run.trend;
  model.season.resize(kSeason);
  for (int i = 0; i < kSeason; ++i) model.season[i] = run.season[(y.size() + i) % kSeason];
  model.sigma = run.count > 0 ? std::sqrt(run.sse / run.count) : 0;
  return model;
}

std::vector<ForecastPoint> HoltWintersModel::Forecast(int horizon, double floor) const {
  std::vector<ForecastPoint> out(horizon);
  double variance_factor = 1;  // 1 + sum_{j<h} c_j^2
  for (int h = 1; h <= horizon; ++h) {
    if (h > 1) {
      const int j = h - 1;
      const double c = params.alpha * (1 + j * params.beta) + (j % kSeason == 0 ? params.gamma : 0);
      variance_factor += c * c;
    }
    const double mean = level + h * trend + season[(h - 1) % kSeason];
    const double half = 1.96 * sigma * std::sqrt(variance_factor);
    out[h - 1] = {std::max(mean, floor), std::max(mean - half, floor),
                  std::max(mean + half, floor)};
  }
  return out;
}

std::vector<double> SeasonalNaive(std::span<const double> y, int horizon) {
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) out[h] = y[y.size() - kSeason + h % kSeason];
  return out;
}

Result<SeriesForecast> ForecastSeries(std::span<const double> y, double floor) {
  if (y.size() < 2 * kSeason + kHorizon) {
    return Status::InvalidArgument(
        fmt::format("a forecast with a backtest needs at least {} days, got {}",
                    2 * kSeason + kHorizon, y.size()));
  }
  SeriesForecast out;
  const auto train = y.subspan(0, y.size() - kHorizon);
  const auto test = y.subspan(y.size() - kHorizon);
  auto backtest_model = FitHoltWinters(train);
  if (!backtest_model.ok()) return backtest_model.status();
  out.backtest_actual.assign(test.begin(), test.end());
  for (const ForecastPoint& p : backtest_model->Forecast(kHorizon, floor)) {
    out.backtest_model.push_back(p.mean);
  }
  out.backtest_naive = SeasonalNaive(train, kHorizon);
  out.model_errors = MeasureErrors(test, out.backtest_model);
  out.naive_errors = MeasureErrors(test, out.backtest_naive);

  auto model = FitHoltWinters(y);
  if (!model.ok()) return model.status();
  out.params = model->params;
  out.next = model->Forecast(kHorizon, floor);
  return out;
}

}  // namespace orderflow::analytics

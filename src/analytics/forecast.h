// Forecast: additive Holt-Winters (level, trend, weekly seasonality) for a daily series, a
// seasonal-naive baseline, and their backtest errors. Pure functions over plain vectors;
// safe for concurrent use.
#pragma once

#include <span>
#include <vector>

#include "common/status.h"

namespace orderflow::analytics {

inline constexpr int kSeason = 7;   // days in the seasonal cycle
inline constexpr int kHorizon = 7;  // days forecast and backtested

struct HoltWintersParams {
  double alpha = 0, beta = 0, gamma = 0;
};

struct ForecastPoint {
  double mean = 0, lower = 0, upper = 0;  // 95% prediction interval
};

// Errors in percent. sMAPE = mean 200|F-A|/(|A|+|F|) (0 when both are 0); MAPE = mean
// 100|F-A|/|A| over the days with A != 0 (0 when there are none).
struct ForecastErrors {
  double smape = 0, mape = 0;
};
ForecastErrors MeasureErrors(std::span<const double> actual, std::span<const double> forecast);

// A fitted model: parameters chosen by grid search minimising the one-step-ahead squared
// error after the first season, the final states, and the residual standard deviation.
struct HoltWintersModel {
  HoltWintersParams params;
  double level = 0, trend = 0;
  std::vector<double> season;  // kSeason values; season[i] applies to the day i after the end
  double sigma = 0;

  // The next `horizon` days after the fitted history, with 95% intervals from the model's
  // error propagation (Hyndman & Athanasopoulos, additive Holt-Winters), cut at `floor`.
  std::vector<ForecastPoint> Forecast(int horizon, double floor) const;
};

// Fits the model. InvalidArgument when the series has fewer than 2 * kSeason values.
Result<HoltWintersModel> FitHoltWinters(std::span<const double> y);

// y[n-kSeason..] repeated: the forecast for day n + h is y[n - kSeason + h % kSeason].
// REQUIRES: y.size() >= kSeason.
std::vector<double> SeasonalNaive(std::span<const double> y, int horizon);

// One series end to end: backtest (fit on all but the last kHorizon days, forecast them, and
// the seasonal-naive forecast of the same days), then a refit on everything and the next
// kHorizon days. InvalidArgument when y has fewer than 2 * kSeason + kHorizon values.
struct SeriesForecast {
  std::vector<double> backtest_actual, backtest_model, backtest_naive;
  ForecastErrors model_errors, naive_errors;
  HoltWintersParams params;  // of the final fit
  std::vector<ForecastPoint> next;
};
Result<SeriesForecast> ForecastSeries(std::span<const double> y, double floor = 0);

}  // namespace orderflow::analytics

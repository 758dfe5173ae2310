// Hot-path benchmarks of the event stage, one core, no Kafka:
//   BM_GenerateAndEncode/<profile>  build one contract event and write its JSON (the producer's
//                                   per-event CPU cost; items/s = events/s)
//   BM_Validate/<invalid %>         parse + validate one message with simdjson (bytes/s too)
//   BM_Route/<invalid %>            parse + validate + write its output line (the processor's
//                                   per-message CPU cost)
// Inputs are built before timing; a mix of valid and invalid events (every invalid mode).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "event/event_encoder.h"
#include "event/event_router.h"
#include "event/event_validator.h"
#include "event/generator.h"

namespace {

using namespace orderflow;

constexpr int64_t kNow = 1764000000000;

std::vector<std::string> Messages(int invalid_percent) {
  event::EventGenerator g(1, event::Profile::kRealistic, kNow, 3600);
  event::Random r(2);
  event::OrderEvent e;
  std::vector<std::string> out(4096);
  for (auto& json : out) {
    g.Next(kNow, e);
    event::InvalidMode mode = event::InvalidMode::kNone;
    if (static_cast<int>(r.Below(100)) < invalid_percent) {
      const auto modes = event::AllInvalidModes();
      mode = modes[r.Below(modes.size())];
    }
    event::EncodeEvent(e, json, mode, r.Next());
  }
  return out;
}

void BM_GenerateAndEncode(benchmark::State& state) {
  const auto profile = state.range(0) == 0 ? event::Profile::kUniform : event::Profile::kRealistic;
  event::EventGenerator g(1, profile, kNow, 3600);
  event::OrderEvent e;
  std::string json;
  json.reserve(1024);
  int64_t bytes = 0;
  for (auto _ : state) {
    g.Next(kNow, e);
    event::EncodeEvent(e, json);
    bytes += static_cast<int64_t>(json.size());
    benchmark::DoNotOptimize(json.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
  state.SetLabel(state.range(0) == 0 ? "uniform" : "realistic");
}
BENCHMARK(BM_GenerateAndEncode)->Arg(0)->Arg(1);

void BM_Validate(benchmark::State& state) {
  const auto messages = Messages(static_cast<int>(state.range(0)));
  event::EventValidator validator;
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& m = messages[i++ & 4095];
    benchmark::DoNotOptimize(validator.Validate(m).valid);
    bytes += static_cast<int64_t>(m.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Validate)->Arg(0)->Arg(5);

void BM_Route(benchmark::State& state) {
  const auto messages = Messages(static_cast<int>(state.range(0)));
  event::EventRouter router;
  std::string valid, invalid;
  valid.reserve(8 << 20);
  invalid.reserve(8 << 20);
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& m = messages[i & 4095];
    benchmark::DoNotOptimize(router.Route(m, 0, static_cast<int64_t>(i), valid, invalid).valid);
    bytes += static_cast<int64_t>(m.size());
    if ((++i & 4095) == 0) {
      valid.clear();  // keeps capacity, like the processor after each batch
      invalid.clear();
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Route)->Arg(0)->Arg(5);

}  // namespace

BENCHMARK_MAIN();

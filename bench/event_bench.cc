// Hot-path benchmarks of the event stage, one core, no Kafka:
//   BM_GenerateAndEncode/<profile>  build one contract event and write its JSON (the producer's
//                                   per-event CPU cost; items/s = events/s)
//   BM_Validate/<invalid %>         parse + validate one message with simdjson (bytes/s too)
//   BM_SimdjsonOnDemand/0           the baseline for BM_Validate/0: a plain simdjson On-Demand
//                                   loop reading all 19 fields of the same events with their
//                                   types (doc["name"], get_string/int64/double/bool), no checks,
//                                   from padded copies made before timing
//   BM_SimdjsonJsonLines/<fields>   simdjson over the same events as one JSON Lines buffer
//                                   (iterate_many), as LIMITS.md measures it: /0 walks the keys
//                                   only, /19 reads all fields like BM_SimdjsonOnDemand
//   BM_Route/<invalid %>            parse + validate + write its output line (the processor's
//                                   per-message CPU cost)
//   BM_Crc32cLine                   the CRC-32C the consuming thread takes of each valid line
//                                   (Crc32c: three crc32 chains joined by carry-less multiply)
//   BM_Crc32cOneChain               the baseline for it: the crc32 instruction in one chain, 8
//                                   bytes a step, over the same lines
// Inputs are built before timing; a mix of valid and invalid events (every invalid mode).
// When both BM_Validate/0 and BM_SimdjsonOnDemand/0 ran, a last line gives their ratio
// (items/s, medians when repeated): how close validation comes to simdjson's own speed.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#if defined(__SSE4_2__) && defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/crc32c.h"
#include "event/event_encoder.h"
#include "event/event_fields.h"
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

// Reads every field of the event, as a program that trusts its input would.
template <typename Document>
uint64_t ReadAllFields(Document& doc) {
  uint64_t sum = 0;
  for (const event::FieldSpec& field : event::kFields) {
    simdjson::ondemand::value value;
    if (doc[field.name].get(value)) continue;
    switch (field.type) {
      case event::FieldType::kString: {
        std::string_view s;
        if (!value.get_string().get(s)) sum += s.size();
        break;
      }
      case event::FieldType::kInt: {
        int64_t i = 0;
        if (!value.get_int64().get(i)) sum += static_cast<uint64_t>(i);
        break;
      }
      case event::FieldType::kNumber: {
        double d = 0;
        if (!value.get_double().get(d)) sum += static_cast<uint64_t>(d);
        break;
      }
      case event::FieldType::kBool: {
        bool b = false;
        if (!value.get_bool().get(b)) sum += b;
        break;
      }
    }
  }
  return sum;
}

void BM_SimdjsonOnDemand(benchmark::State& state) {
  const auto messages = Messages(static_cast<int>(state.range(0)));
  std::vector<simdjson::padded_string> padded;
  padded.reserve(messages.size());
  for (const std::string& m : messages) padded.emplace_back(m);
  simdjson::ondemand::parser parser;
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const simdjson::padded_string& m = padded[i++ & 4095];
    simdjson::ondemand::document doc;
    uint64_t sum = 0;
    if (!parser.iterate(m).get(doc)) sum = ReadAllFields(doc);
    benchmark::DoNotOptimize(sum);
    bytes += static_cast<int64_t>(m.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_SimdjsonOnDemand)->Arg(0);

void BM_SimdjsonJsonLines(benchmark::State& state) {
  std::string lines;
  for (const std::string& m : Messages(0)) lines.append(m).push_back('\n');
  const simdjson::padded_string padded(lines);
  const bool all_fields = state.range(0) > 0;
  simdjson::ondemand::parser parser;
  int64_t docs = 0;
  for (auto _ : state) {
    simdjson::ondemand::document_stream stream;
    if (parser.iterate_many(padded).get(stream)) {
      state.SkipWithError("iterate_many failed");
      break;
    }
    uint64_t sum = 0;
    for (auto doc_result : stream) {
      simdjson::ondemand::document_reference doc;
      if (std::move(doc_result).get(doc)) continue;
      ++docs;
      if (all_fields) {
        sum += ReadAllFields(doc);
        continue;
      }
      simdjson::ondemand::object object;
      if (doc.get_object().get(object)) continue;
      for (auto field : object) sum += field.key().raw()[0];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(docs);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(lines.size()));
}
BENCHMARK(BM_SimdjsonJsonLines)->Arg(0)->Arg(19);

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

// Checksums one line after another as Processor::HandleMessage does (the payload, then its
// newline, continuing one running CRC) and returns the CRC.
template <typename Checksum>
uint32_t ChecksumLines(benchmark::State& state, Checksum checksum) {
  const auto messages = Messages(0);
  size_t i = 0;
  int64_t bytes = 0;
  uint32_t crc = 0;
  for (auto _ : state) {
    const std::string& m = messages[i++ & 4095];
    crc = checksum("\n", checksum(m, crc));
    bytes += static_cast<int64_t>(m.size() + 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
  return crc;
}

uint32_t LibraryCrc32c(std::string_view data, uint32_t crc) { return Crc32c(data, crc); }

void BM_Crc32cLine(benchmark::State& state) {
  benchmark::DoNotOptimize(ChecksumLines(state, LibraryCrc32c));
}
BENCHMARK(BM_Crc32cLine);

#if defined(__SSE4_2__) && defined(__x86_64__)
uint32_t OneChainCrc32c(std::string_view data, uint32_t crc) {
  uint64_t c = ~crc;
  const char* p = data.data();
  size_t n = data.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; ++p, --n) c32 = _mm_crc32_u8(c32, static_cast<uint8_t>(*p));
  return ~c32;
}

void BM_Crc32cOneChain(benchmark::State& state) {
  const uint32_t crc = ChecksumLines(state, OneChainCrc32c);
  // The same checksum as Crc32c over what was timed, or the baseline is wrong.
  const auto messages = Messages(0);
  uint32_t check = 0;
  for (int64_t k = 0; k < state.iterations(); ++k) {
    check = Crc32c("\n", Crc32c(messages[static_cast<size_t>(k) & 4095], check));
  }
  if (crc != check) state.SkipWithError("the one-chain loop disagrees with Crc32c");
}
BENCHMARK(BM_Crc32cOneChain);
#endif

// Shows the runs through the reporter --benchmark_format asks for, and keeps the items/s of
// the two cases whose ratio is printed at the end.
class RatioReporter : public benchmark::BenchmarkReporter {
 public:
  explicit RatioReporter(benchmark::BenchmarkReporter* display) : display_(display) {}

  bool ReportContext(const Context& context) override { return display_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) Keep(run);
    display_->ReportRuns(runs);
  }
  void Finalize() override { display_->Finalize(); }

  // The ratio line, for the console format only (JSON and CSV output stay parsable).
  void PrintRatio() const {
    if (dynamic_cast<benchmark::ConsoleReporter*>(display_.get()) == nullptr) return;
    if (validate_ <= 0 || simdjson_ <= 0) return;
    std::printf(
        "[event_bench] validate_vs_simdjson=%.2f BM_Validate/0=%.3f M/s "
        "BM_SimdjsonOnDemand/0=%.3f M/s (%s; simdjson stage 1 %s, On-Demand %s)\n",
        validate_ / simdjson_, validate_ / 1e6, simdjson_ / 1e6,
        from_median_ ? "medians" : "single runs",
        simdjson::get_active_implementation()->name().c_str(),
        SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
  }

 private:
  void Keep(const Run& run) {
    if (run.error_occurred) return;
    const auto rate = run.counters.find("items_per_second");
    if (rate == run.counters.end()) return;
    const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    if (run.run_type == Run::RT_Aggregate && !median) return;
    // A median replaces the single runs it summarizes; without one the last run counts.
    if (!median && from_median_) return;
    const std::string name = run.run_name.function_name + "/" + run.run_name.args;
    double* slot = name == "BM_Validate/0"           ? &validate_
                   : name == "BM_SimdjsonOnDemand/0" ? &simdjson_
                                                     : nullptr;
    if (slot == nullptr) return;
    *slot = rate->second.value;
    from_median_ = from_median_ || median;
  }

  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  double validate_ = 0;
  double simdjson_ = 0;
  bool from_median_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter(benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatio();
  benchmark::Shutdown();
  return 0;
}

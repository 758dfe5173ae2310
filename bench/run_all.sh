#!/usr/bin/env bash
# `make bench`: every benchmark that finishes in a few minutes, one after the other, printing
# its figures (BENCHMARKS.md says what each measures and records the last results).
#   1. hot paths on one core (Google Benchmark): generate+encode, parse+validate, route
#   2. the Kafka stages against kcat and librdkafka's own producer ceiling (bench/pipeline_bench.sh),
#      then produce against the ceiling in three rounds (bench/produce_bench.sh)
#   3. the report's scan (Google Benchmark) and the report against pandas, when pandas is there
#   4. the report against DuckDB (npm @duckdb/node-api, installed by the script), when npm is there
#   5. the processor's commit latency against the tracker's, triggers 10ms/100ms/1s at 2,000 and
#      20,000 events/s (bench/latency_bench.sh, ~2 minutes)
# The 10-minute soak is separate: bench/soak.sh.
# Usage: bench/run_all.sh [BUILD_DIR]     (default: build)
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."

echo "### hot paths, one core"
"$build/bench/event_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

echo "### Kafka stages (500,000 events)"
bench/pipeline_bench.sh 500000 "$build"
echo "### produce against librdkafka's ceiling (3 rounds of 400,000 events)"
bench/produce_bench.sh 3 "$build"

echo "### report scan"
"$build/bench/scan_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
if python3 -c 'import pandas' 2>/dev/null; then
  echo "### report against pandas (1,000,000 events)"
  bench/report_vs_pandas.sh 1000000 "$build"
else
  echo "### report against pandas: skipped (apt-get install python3-pandas to run it)"
fi
if command -v npm >/dev/null; then
  echo "### report against DuckDB (1,000,000 events; pandas ran above)"
  PANDAS_RUNS=0 bench/report_vs_duckdb.sh 1000000 "$build"
else
  echo "### report against DuckDB: skipped (apt-get install nodejs npm to run it)"
fi

echo "### commit latency: processor against tracker"
bench/latency_bench.sh "$build" 10

#!/usr/bin/env bash
# Fuzzes parse + validate + route (tests/fuzz/event_router_fuzzer.cc) with libFuzzer, ASan and
# UBSan. Builds the target in its own clang build dir, writes the seed corpus
# (tests/fuzz/make_seeds.py), runs each oversized seed (1 MiB messages, 100k-deep nesting)
# once, then fuzzes for SECONDS (or until RUNS executions when RUNS > 0).
# Usage: scripts/fuzz.sh [SECONDS=30] [BUILD_DIR=build-fuzz] [RUNS=0]
#   make test runs the 30-second version (ctest fuzz_event_router_30s);
#   the long run: scripts/fuzz.sh 0 build-fuzz 10000000
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
build=${2:-build-fuzz}
runs=${3:-0}
jobs=${JOBS:-2}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DORDERFLOW_FUZZ=ON -DORDERFLOW_BENCH=OFF -DORDERFLOW_E2E=OFF >/dev/null
cmake --build "$build" --target event_router_fuzzer -j"$jobs" >/dev/null
python3 tests/fuzz/make_seeds.py "$build/fuzz-seeds"
mkdir -p "$build/fuzz-corpus"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "fuzz: oversized seeds"
"$build/event_router_fuzzer" -rss_limit_mb=4096 "$build"/fuzz-large/* 2>&1 | grep -E "Executed|ERROR|SUMMARY" || true
"$build/event_router_fuzzer" -rss_limit_mb=4096 "$build"/fuzz-large/* >/dev/null 2>&1

limit=()
if [ "$runs" -gt 0 ]; then limit=(-runs="$runs"); else limit=(-max_total_time="$seconds"); fi
echo "fuzz: $build/event_router_fuzzer ${limit[*]} -max_len=8192 -timeout=10 $build/fuzz-corpus $build/fuzz-seeds"
log="$build/fuzz-last.log"
set +e
"$build/event_router_fuzzer" "${limit[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$build/" "$build/fuzz-corpus" "$build/fuzz-seeds" >"$log" 2>&1
rc=$?
set -e
grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|event_router_fuzzer:" "$log" || true
if [ $rc -ne 0 ]; then
  tail -n 40 "$log"
  echo "fuzz: FAILED (exit $rc); crashing input saved under $build/crash-*" >&2
  exit 1
fi
echo "fuzz: ok, 0 crashes"

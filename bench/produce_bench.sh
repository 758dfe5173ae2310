#!/usr/bin/env bash
# `orderflow produce --events-per-second max` against librdkafka's own ceiling, in rounds on one
# embedded cluster (figures go to BENCHMARKS.md, "Produce against the plain C producer"):
#   - orderflow's send phase (`active_eps`: its Kafka client's creation to the last delivery
#     report), building every event;
#   - bench/librdkafka_producer_ceiling sending the same number of pre-built events from memory
#     with the same settings, timed over the same window, in two orders: shuffled (every event's
#     partition drawn anew, as from any producer of random keys: the like-with-like peer) and
#     grouped by partition (as kcat -C reads them back; librdkafka then fills one batch at a
#     time, a workload no event producer has).
# Usage: bench/produce_bench.sh [ROUNDS] [BUILD_DIR] [EVENTS]     (defaults: 3 build 400000)
#   COMPARE_BIN=path  also run this orderflow binary's produce in every round, alternating
set -euo pipefail
. "$(dirname "$(realpath "$0")")/embedded_broker.sh"
rounds=${1:-3}
build=${2:-build}
events=${3:-400000}
bin=$(realpath "$build/orderflow")
ceiling=$(realpath "$build/bench/librdkafka_producer_ceiling")
compare_bin=${COMPARE_BIN:+$(realpath "$COMPARE_BIN")}
work=$(mktemp -d /tmp/orderflow-produce-bench-XXXXXX)
cleanup() { [ -n "${broker:-}" ] && kill "$broker" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

start_embedded_broker "$bin" --partitions 24
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The pre-built events: produced by orderflow, read back (grouped by partition), then shuffled.
"$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max --max-events "$events" \
  --seed 1000 --report-every-seconds 0 > /dev/null
kcat -C -b "$bootstrap" -t orders -q -f '%s\n' -o beginning -c "$events" > grouped.jsonl
[ "$(wc -l < grouped.jsonl)" = "$events" ] || { echo "kcat read $(wc -l < grouped.jsonl) of $events events" >&2; exit 1; }
shuf --random-source=<(yes) grouped.jsonl > shuffled.jsonl

produce_eps() {  # BINARY SEED -> active_eps and user CPU seconds
  /usr/bin/time -f 'user_s=%U' "$1" produce --bootstrap-servers "$bootstrap" \
    --events-per-second max --max-events "$events" --seed "$2" --report-every-seconds 0 2>&1 |
    sed -n 's/.*\[summary\].* active_eps=\([0-9]*\).*/\1/p; s/^user_s=\(.*\)/\1/p' | paste -sd' '
}
ceiling_eps() { "$ceiling" "$bootstrap" orders "$1" | sed -n 's/.*throughput_eps=\([0-9]*\).*/\1/p'; }

echo "round | orderflow active_eps (user s) | compare | ceiling shuffled | ceiling grouped | orderflow / shuffled | compare / shuffled | orderflow / grouped"
for round in $(seq "$rounds"); do
  read -r main_eps main_user < <(produce_eps "$bin" "$round")
  compare_eps=- compare_user=- compare_ratio=-
  if [ -n "$compare_bin" ]; then
    read -r compare_eps compare_user < <(produce_eps "$compare_bin" "$round")
  fi
  shuffled=$(ceiling_eps shuffled.jsonl)
  grouped=$(ceiling_eps grouped.jsonl)
  [ -n "$compare_bin" ] && compare_ratio=$(ratio "$compare_eps" "$shuffled")
  echo "RESULT $round | $main_eps ($main_user) | $compare_eps ($compare_user) | $shuffled | $grouped | $(ratio "$main_eps" "$shuffled") | $compare_ratio | $(ratio "$main_eps" "$grouped")"
done
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), avx512f: $(grep -q avx512f /proc/cpuinfo && echo yes || echo no), load $(cut -d' ' -f1-3 /proc/loadavg)"

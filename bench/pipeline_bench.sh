#!/usr/bin/env bash
# End-to-end throughput of the pipeline's Kafka stages against kcat, measured in one run on the
# embedded cluster (figures go to BENCHMARKS.md):
#   produce: `orderflow produce --events-per-second max` (builds every event) vs
#            `kcat -P -l` sending the same number of pre-built events (same librdkafka settings)
#            and bench/librdkafka_producer_ceiling sending them from memory (librdkafka's own limit)
#   process: `orderflow process` catching up on the backlog (parse, validate, route, write
#            files, checkpoints) vs `kcat -C -e -o beginning` writing the values to a file
# Usage: bench/pipeline_bench.sh [EVENTS] [BUILD_DIR]     (defaults: 500000 build)
set -euo pipefail
events=${1:-500000}
build=${2:-build}
bin=$(realpath "$build/orderflow")
work=$(mktemp -d /tmp/orderflow-bench-XXXXXX)
cleanup() { [ -n "${broker:-}" ] && kill "$broker" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

# 24 partitions: the embedded cluster keeps about 5 MB per partition, and the backlog must fit.
"$bin" broker --partitions 24 > broker.log 2>&1 & broker=$!
for _ in $(seq 100); do [ -s data/broker.bootstrap ] && break; sleep 0.1; done
bootstrap=$(cat data/broker.bootstrap)
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "== produce: $events events"
"$bin" produce --events-per-second max --max-events "$events" --seed 1 --report-every-seconds 0 | tee produce.log
produce_eps=$(sed -n 's/.*throughput_eps=\([0-9.]*\).*/\1/p' produce.log)

echo "== kcat -C -e -o beginning > file"
t0=$(now)
kcat -C -b "$bootstrap" -t orders -e -o beginning -q -f '%s\n' > values.jsonl
t1=$(now)
kcat_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
kcat_events=$(wc -l < values.jsonl)
kcat_eps=$(rate "$kcat_events" "$kcat_s")
echo "kcat: $kcat_events events in ${kcat_s}s = $kcat_eps events/s"

# The processor twice on the same backlog, each with its own group and data dir: --trigger 250ms
# (a catch-up setting: the last batch waits at most 250 ms for its trigger) and the default 1s.
process_run() {  # TRIGGER -> sets active_eps, whole_eps
  local dir="run-$1"
  t0=$(now)
  "$bin" process --bootstrap-servers "$bootstrap" --data-dir "$dir" --group-id "bench-$1" --starting-offsets earliest --trigger "$1" \
    --until-idle 1 --report-every-seconds 0 2>"process-$1.err" | tee "process-$1.log"
  t1=$(now)
  grep 'spent writing' "process-$1.err" || true
  processed=$(sed -n 's/.*processed=\([0-9]*\) .*/\1/p' "process-$1.log")
  active_eps=$(sed -n 's/.*\[processor\]\[summary\].* active_eps=\([0-9.]*\).*/\1/p' "process-$1.log")
  # Whole run minus the --until-idle wait at the end (the group join stays in).
  process_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a - 1 }')
  whole_eps=$(rate "$processed" "$process_s")
}
echo "== orderflow process (catch-up), --trigger 1s (the default)"
process_run 1s
default_active_eps=$active_eps
echo "== orderflow process (catch-up), --trigger 250ms"
process_run 250ms

echo "== kcat -P -l of the same number of pre-built events"
head -n "$events" values.jsonl > prebuilt.jsonl
t0=$(now)
kcat -P -l -b "$bootstrap" -t orders -X linger.ms=5 -X compression.type=lz4 -X enable.idempotence=true \
  -X batch.num.messages=10000 prebuilt.jsonl
t1=$(now)
kcat_p_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
kcat_p_eps=$(rate "$(wc -l < prebuilt.jsonl)" "$kcat_p_s")

echo "== librdkafka's own ceiling: the same pre-built events from memory, same settings"
"$(dirname "$bin")/bench/librdkafka_producer_ceiling" "$bootstrap" orders prebuilt.jsonl | tee ceiling.log
ceiling_eps=$(sed -n 's/.*throughput_eps=\([0-9.]*\).*/\1/p' ceiling.log)

echo
echo "RESULT produce: orderflow ${produce_eps} events/s, kcat -P (pre-built) ${kcat_p_eps} events/s, ratio $(awk -v a="$produce_eps" -v b="$kcat_p_eps" 'BEGIN { printf "%.2f", a / b }'); librdkafka ceiling (pre-built, in memory) ${ceiling_eps} events/s, ratio $(awk -v a="$produce_eps" -v b="$ceiling_eps" 'BEGIN { printf "%.2f", a / b }')"
echo "RESULT process --trigger 1s: orderflow ${default_active_eps} events/s steady, ratio $(awk -v a="$default_active_eps" -v b="$kcat_eps" 'BEGIN { printf "%.2f", a / b }') to kcat -C"
echo "RESULT process --trigger 250ms: orderflow ${active_eps} events/s steady (first message to last commit), ${whole_eps} events/s whole run incl. group join; kcat -C ${kcat_eps} events/s; ratios $(awk -v a="$active_eps" -v b="$kcat_eps" 'BEGIN { printf "%.2f", a / b }') steady, $(awk -v a="$whole_eps" -v b="$kcat_eps" 'BEGIN { printf "%.2f", a / b }') whole"
echo "RESULT load average: $(cut -d' ' -f1-3 /proc/loadavg)"

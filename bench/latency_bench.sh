#!/usr/bin/env bash
# End-to-end latency of the processor's durable commit next to the transport's, on the embedded
# cluster (figures go to BENCHMARKS.md, "Commit latency"). For each trigger (10ms, 100ms, 1s) and
# rate (2,000 and 20,000 events/s), on a fresh `orderflow broker` (6 partitions):
#   `orderflow process --trigger T` and `orderflow track` (the reference: it only consumes and
#   measures, so its latency is what Kafka itself costs) run in their own groups, then
#   `orderflow produce --events-per-second R --duration-seconds D -X linger.ms=1`.
# Per run it prints:
#   processor p50/p99: event_time_ms -> the batch holding the event is durable (its commit);
#                      with --roll-interval > 0 also p50/p99 visible (the file is published)
#   tracker p50/p99:   event_time_ms -> the event is consumed
#   writer busy:       the share of the processor's active time spent writing batches durably
#                      (its "X s of Y s active were spent writing batches durably" line)
# Usage: bench/latency_bench.sh [BUILD_DIR|BINARY] [DURATION_S]   (defaults: build 10)
#   TRIGGERS="10ms 100ms 1s" RATES="2000 20000" override the grid; PROCESS_FLAGS adds process flags
#   (e.g. "--roll-interval 0"); KEEP=1 keeps the runs' logs.
set -euo pipefail
. "$(dirname "$(realpath "$0")")/embedded_broker.sh"
target=${1:-build}
duration=${2:-10}
triggers=${TRIGGERS:-10ms 100ms 1s}
rates=${RATES:-2000 20000}
if [ -d "$target" ]; then bin=$(realpath "$target/orderflow"); else bin=$(realpath "$target"); fi
work=$(mktemp -d /tmp/orderflow-latency-XXXXXX)
cleanup() {
  for pid in ${broker:-} ${processor:-} ${tracker:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
cd "$work"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | tail -1; }

run() {  # TRIGGER RATE
  local dir="run-$1-$2"
  mkdir "$dir" && cd "$dir"
  start_embedded_broker "$bin"
  # shellcheck disable=SC2086
  "$bin" process --trigger "$1" --starting-offsets earliest --report-every-seconds 0 ${PROCESS_FLAGS:-} \
    > process.log 2> process.err & processor=$!
  "$bin" track --starting-offsets earliest --report-every-seconds 0 > track.log 2>&1 & tracker=$!
  for _ in $(seq 300); do grep -q "assigned partitions" process.err 2>/dev/null && break; sleep 0.1; done
  sleep 3  # the tracker joins its own group meanwhile
  "$bin" produce --events-per-second "$2" --duration-seconds "$duration" -X linger.ms=1 \
    --report-every-seconds 0 > produce.log 2>&1
  sleep 3
  kill -TERM "$processor" "$tracker"
  wait "$processor" "$tracker" || true
  kill -TERM "$broker"; wait "$broker" || true
  broker="" processor="" tracker=""
  local busy total
  busy=$(sed -n 's/.*\] \([0-9.]*\) s of \([0-9.]*\) s active were spent writing.*/\1/p' process.err)
  total=$(sed -n 's/.*\] \([0-9.]*\) s of \([0-9.]*\) s active were spent writing.*/\2/p' process.err)
  local visible=""
  if grep -q "p99_visible_ms" process.log; then
    visible=" processor_p50_visible_ms=$(field p50_visible_ms process.log) processor_p99_visible_ms=$(field p99_visible_ms process.log)"
  fi
  echo "RESULT trigger=$1 rate=$2 sent=$(field sent_ok produce.log) processed=$(field processed process.log)" \
    "batches=$(field batches process.log)" \
    "processor_p50_ms=$(field p50_e2e_ms process.log) processor_p99_ms=$(field p99_e2e_ms process.log)${visible}" \
    "tracker_p50_ms=$(field p50_end_to_end_latency_ms track.log) tracker_p99_ms=$(field p99_end_to_end_latency_ms track.log)" \
    "writer_busy=$(awk -v b="$busy" -v t="$total" 'BEGIN { if (t > 0) printf "%.2f", b / t; else print "-" }')" \
    "(${busy} s of ${total} s)"
  cd ..
}

echo "# $(basename "$bin") at $bin; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "flags: $(grep -m1 -o -w -e avx2 /proc/cpuinfo | head -1) $(grep -m1 -o -w -e avx512f /proc/cpuinfo | head -1);" \
  "$(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
for trigger in $triggers; do
  for rate in $rates; do
    run "$trigger" "$rate"
  done
done
echo "RESULT load average: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Soak: DURATION seconds at RATE events/s through produce -> process -> track on the embedded
# cluster. Every SAMPLE seconds it records the processor's and tracker's RSS and open file
# descriptors, and the end-to-end p99 of the events published in that window (valid output
# files whose mtime falls in the window: file mtime - event_time_ms, every 5th file). Flat
# RSS, flat fd counts and a steady windowed p99 are the pass criteria (RELIABILITY.md).
# Usage: bench/soak.sh [DURATION=600] [RATE=20000] [BUILD_DIR=build] [SAMPLE=60]
set -euo pipefail
. "$(dirname "$(realpath "$0")")/embedded_broker.sh"
duration=${1:-600}
rate=${2:-20000}
build=${3:-build}
sample=${4:-60}
bin=$(realpath "$build/orderflow")
work=$(mktemp -d /tmp/orderflow-soak-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

start_embedded_broker "$bin"; pids+=("$broker")
"$bin" process --trigger 1s --report-every-seconds "$sample" > process.log 2>&1 & processor=$!; pids+=("$processor")
"$bin" track --report-every-seconds "$sample" --lag-group orderflow-processor > track.log 2>&1 & tracker=$!; pids+=("$tracker")
for _ in $(seq 300); do grep -q "assigned partitions" process.log && break; sleep 0.1; done
sleep 3  # the tracker's group join

rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
window_p99() {  # p99 (ms) of file mtime - event_time_ms over files published in the last $1 s
  python3 - "$1" <<'PY'
import glob, os, re, sys, time
window = float(sys.argv[1]); now = time.time(); lat = []
files = sorted(f for f in glob.glob("data/orders_json/*.json") if now - os.path.getmtime(f) <= window)
pat = re.compile(rb'"event_time_ms":(\d+)')
for f in files[::5]:
    published_ms = os.path.getmtime(f) * 1000
    with open(f, "rb") as fh:
        lat.extend(published_ms - int(m) for m in pat.findall(fh.read()))
lat.sort()
print(f"{lat[int(0.99 * (len(lat) - 1))]:.0f} {len(lat)}" if lat else "- 0")
PY
}

"$bin" produce --events-per-second "$rate" --duration-seconds "$duration" --report-every-seconds "$sample" \
  > produce.log 2>&1 & producer=$!; pids+=("$producer")
start=$(date +%s)
printf "%6s %16s %14s %14s %12s %16s %14s\n" t_s processor_rss_mb processor_fds tracker_rss_mb tracker_fds window_p99_ms sampled_events
sample_line() {
  read -r p99 n < <(window_p99 "$sample")
  printf "%6d %16s %14d %14s %12d %16s %14d\n" $(( $(date +%s) - start )) \
    "$(rss_mb "$processor")" "$(fds "$processor")" "$(rss_mb "$tracker")" "$(fds "$tracker")" "$p99" "$n"
}
sleep 5; sample_line
while kill -0 "$producer" 2>/dev/null; do
  sleep "$sample"
  kill -0 "$producer" 2>/dev/null && sample_line
done
wait "$producer" || { echo "soak: producer failed"; tail produce.log; exit 1; }
sleep 5; sample_line
kill -TERM "$processor" "$tracker"
wait "$processor" "$tracker" || { echo "soak: processor or tracker failed"; tail process.log track.log; exit 1; }
grep -h "\[summary\]" produce.log process.log track.log
valid=$(cat data/orders_json/*.json | wc -l)
echo "soak: valid lines in the output: $valid; command: bench/soak.sh $duration $rate $build $sample"

#!/usr/bin/env bash
# The processor's output options on one backlog (figures go to BENCHMARKS.md, "Output: compression
# and date partitions"). One embedded cluster, one backlog of EVENTS valid + EVENTS/50 invalid
# events, then for each layout and round its own group and data dir:
#   process: `orderflow process --starting-offsets earliest --until-idle 3 --trigger 250ms`
#            with --compression none|gzip|zstd, with and without --partition-by purchase_date:
#            active_eps (first message to last durable commit) and the bytes on disk (du). A run
#            that stopped before the whole backlog says complete=0: leave it out.
#   report:  `orderflow report` over that data dir: scan_s, scan_gbps (on-disk bytes / s),
#            scan_decoded_gbps (JSON Lines bytes / s) and events scanned per second
#   readers: zcat / zstdcat line counts equal the processor's; pandas read_json(lines=True) of one
#            file per layout when Debian's python3-pandas is there (zstd needs python3-zstandard)
# Usage: bench/output_bench.sh [EVENTS] [BUILD_DIR] [ROUNDS]   (defaults: 300000 build 2)
#   PROCESS_FLAGS adds process flags to every run (e.g. "--roll-interval 0": a file per batch;
#   the default rolls files, so a catch-up of a few seconds publishes each partition's once).
set -euo pipefail
. "$(dirname "$(realpath "$0")")/embedded_broker.sh"
events=${1:-300000}
build=${2:-build}
rounds=${3:-2}
invalid=$(( events / 50 ))
bin=$(realpath "$build/orderflow")
work=$(mktemp -d /tmp/orderflow-output-bench-XXXXXX)
broker=
cleanup() { [[ -n $broker ]] && kill "$broker" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
  "flags:$(grep -m1 -o -w -e avx2 -e avx512f /proc/cpuinfo | sort -u | tr '\n' ' ')load $(cut -d' ' -f1-3 /proc/loadavg)"

# 24 partitions: the embedded cluster keeps about 5 MB per partition, and the backlog must fit.
start_embedded_broker "$bin" --partitions 24
"$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max --max-events "$events" \
  --seed 5 --profile realistic --report-every-seconds 0 > produce.log
"$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max --max-events "$invalid" \
  --seed 6 --invalid-mode random-all --report-every-seconds 0 > produce-invalid.log
key() { sed -n "s/.*[[ ]$1=\([0-9.]*\).*/\1/p" | head -1; }

layouts=("none" "gzip" "zstd" "none purchase_date" "gzip purchase_date" "zstd purchase_date")
for round in $(seq "$rounds"); do
  for layout in "${layouts[@]}"; do
    read -r compression partition <<<"$layout"
    name="$compression${partition:+-dated}"
    dir="run-$round-$name"
    flags=(--compression "$compression")
    [[ -n $partition ]] && flags+=(--partition-by "$partition")
    # shellcheck disable=SC2206
    flags+=(${PROCESS_FLAGS:-})
    "$bin" process --bootstrap-servers "$bootstrap" --data-dir "$dir" --group-id "bench-$round-$name" \
      --starting-offsets earliest --trigger 250ms --until-idle 3 --report-every-seconds 0 \
      "${flags[@]}" > "process-$dir.log" 2> "process-$dir.err"
    processed=$(key processed < "process-$dir.log")
    active_eps=$(key active_eps < "process-$dir.log")
    bytes=$(du -sb "$dir/orders_json" "$dir/invalid_events" | awk '{ s += $1 } END { print s }')
    files=$(find "$dir/orders_json" "$dir/invalid_events" -type f | wc -l)
    sync
    "$bin" report --data-dir "$dir" --output-dir "out-$dir" > "report-$dir.log" 2>&1
    scan_s=$(key scan_s < "report-$dir.log")
    rows=$(( $(key order_rows < "report-$dir.log") + $(key invalid_rows < "report-$dir.log") ))
    [[ $rows == "$processed" ]] || { echo "report read $rows rows of $processed in $dir" >&2; exit 1; }
    complete=0; (( processed == events + invalid )) && complete=1
    echo "RESULT output layout=$name round=$round processed=$processed complete=$complete active_eps=$active_eps" \
      "disk_mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') files=$files" \
      "scan_s=$scan_s scan_gbps=$(key scan_gbps < "report-$dir.log")" \
      "scan_decoded_gbps=$(key scan_decoded_gbps < "report-$dir.log")" \
      "scan_events_per_s=$(awk -v n="$rows" -v s="$scan_s" 'BEGIN { printf "%.0f", n / s }')"
  done
done

# Readers outside orderflow, on the last round's files.
for name in gzip zstd gzip-dated zstd-dated; do
  dir="run-$rounds-$name"
  cat=zcat; [[ $name == zstd* ]] && cat=zstdcat
  lines=$(find "$dir/orders_json" "$dir/invalid_events" -type f ! -name '.*' -print0 | xargs -0 "$cat" | wc -l)
  echo "RESULT reader $cat layout=$name lines=$lines processed=$(key processed < "process-$dir.log")"
done
if /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  for name in none gzip zstd zstd-dated; do
    file=$(find "run-$rounds-$name/orders_json" -type f ! -name '.*' | sort | awk 'NR == 1')
    /usr/bin/python3 - "$file" "$name" <<'PY' || echo "RESULT reader pandas layout=$name failed"
import sys, pandas
df = pandas.read_json(sys.argv[1], lines=True)  # compression inferred from the name
print(f"RESULT reader pandas layout={sys.argv[2]} rows={len(df)} columns={len(df.columns)}")
PY
  done
fi
echo "RESULT load average: $(cut -d' ' -f1-3 /proc/loadavg)"

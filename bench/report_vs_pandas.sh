#!/usr/bin/env bash
# report_vs_pandas.sh: `orderflow report` against pandas on the same JSON Lines files, in one run.
#
#   bench/report_vs_pandas.sh [EVENTS] [BUILD_DIR]     (defaults: 1000000, build)
#
# 1. gen_orders writes EVENTS valid events (realistic profile) and EVENTS/50 invalid events as
#    the processor's output files (8 files per directory) into a temporary data dir; nothing is
#    dropped or sampled.
# 2. Both inputs are read once (cat > /dev/null) so that both tools read from the page cache.
# 3. `orderflow report` runs on them (scan + aggregations + forecast + charts + HTML/JSON).
# 4. Debian's /usr/bin/python3 with pandas (bench/report_pandas.py) reads every file with
#    pandas.read_json(lines=True), applies the same cleaning and the same groupbys (item x
#    weekday, weekday x hour, item Pareto, channel x payment quartiles, category, top cities,
#    revenue per day, invalid by reason).
# Prints both times, GB/s and the ratios; checks that both found the same revenue.
set -euo pipefail

EVENTS=${1:-1000000}
BUILD=${2:-build}
ORDERFLOW="$BUILD/orderflow"
GEN="$BUILD/bench/gen_orders"
PYTHON=/usr/bin/python3  # Debian's python3-pandas, not a pyenv python first on PATH
for tool in "$ORDERFLOW" "$GEN"; do
  [[ -x "$tool" ]] || { echo "report_vs_pandas: $tool not built (make -C $BUILD orderflow gen_orders)" >&2; exit 2; }
done
"$PYTHON" -c 'import pandas' 2>/dev/null || { echo "report_vs_pandas: $PYTHON has no pandas (apt install python3-pandas)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/report_vs_pandas.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$GEN" --data-dir "$WORK/data" --events "$EVENTS" --invalid-events $((EVENTS / 50)) --files 8
BYTES=$(cat "$WORK"/data/orders_json/*.json "$WORK"/data/invalid_events/*.json | wc -c)
cat "$WORK"/data/orders_json/*.json "$WORK"/data/invalid_events/*.json > /dev/null

start=$(date +%s.%N)
"$ORDERFLOW" report --data-dir "$WORK/data" --output-dir "$WORK/output" | tee "$WORK/orderflow.txt"
end=$(date +%s.%N)
OF_TOTAL=$(echo "$end - $start" | bc -l)
SUMMARY=$(grep '^\[report\]\[summary\]' "$WORK/orderflow.txt")
OF_GBPS=$(sed -E 's/.*scan_gbps=([0-9.]+).*/\1/' <<<"$SUMMARY")
OF_REVENUE=$(sed -E 's/.*revenue=([0-9.]+).*/\1/' <<<"$SUMMARY")
OF_SCAN=$(echo "$BYTES / ($OF_GBPS * 1000000000)" | bc -l)

"$PYTHON" "$(dirname "$0")/report_pandas.py" "$WORK/data" > "$WORK/pandas.txt"
cat "$WORK/pandas.txt"
PD_TOTAL=$(sed -E 's/.*pandas_total_s=([0-9.]+).*/\1/' "$WORK/pandas.txt")
PD_REVENUE=$(sed -E 's/.*revenue=([0-9.]+).*/\1/' "$WORK/pandas.txt")

awk -v bytes="$BYTES" -v of_total="$OF_TOTAL" -v of_scan="$OF_SCAN" -v pd="$PD_TOTAL" \
    -v ofr="$OF_REVENUE" -v pdr="$PD_REVENUE" -v events="$EVENTS" 'BEGIN {
  printf "[bench][report_vs_pandas] events=%d bytes=%d\n", events, bytes
  printf "  orderflow report: scan %.3f s (%.2f GB/s), whole command %.3f s (%.2f GB/s, incl. forecast, charts, HTML)\n",
         of_scan, bytes / of_scan / 1e9, of_total, bytes / of_total / 1e9
  printf "  pandas read_json(lines=True) + groupbys: %.3f s (%.3f GB/s)\n", pd, bytes / pd / 1e9
  printf "  ratio pandas / orderflow scan: %.1fx; pandas / whole orderflow command: %.1fx\n",
         pd / of_scan, pd / of_total
  d = ofr - pdr; if (d < 0) d = -d
  printf "  revenue: orderflow %.2f, pandas %.2f (%s)\n", ofr, pdr, d < 0.01 * (1 + ofr / 1e6) ? "same" : "DIFFERENT"
}'

#!/usr/bin/env bash
# report_vs_duckdb.sh: `orderflow report` against DuckDB (npm @duckdb/node-api, pinned in
# bench/duckdb/package-lock.json) and pandas, on the same JSON Lines files, in one run.
#
#   bench/report_vs_duckdb.sh [EVENTS] [BUILD_DIR] [RUNS]     (defaults: 1000000, build, 5)
#   PANDAS_RUNS=N (default 1; 0 skips pandas: one run takes over a minute)
#
# 1. gen_orders writes EVENTS events, 5 % of them invalid (EVENTS/20 in invalid_events), as the
#    processor's output files (8 files per directory), realistic profile.
# 2. Page cache warm: the files are read once, then each tool has one untimed warm-up run.
# 3. RUNS timed runs of each, interleaved so that both see the same machine load, each a new
#    process, both with threads = cores:
#    - orderflow: scan + aggregations = `[report][phases]` scan_s + summarize_s (list, read,
#      parse, clean, aggregate, merge, quartiles, sorting); the whole command (with forecast,
#      6 gnuplot charts and HTML/JSON) and its write_s (charts + report files) are shown apart.
#    - DuckDB (bench/duckdb/report_queries.mjs): read_json of both inputs into tables + the same
#      cleaning and aggregations, results in JS; the whole node process is shown apart.
# 4. pandas (bench/report_pandas.py, Debian's python3-pandas) as the third column, if installed.
# Checks that orderflow and DuckDB found the same rows and the same revenue to the cent in every
# run, and in the warm-up every figure of report.json. The last line:
#   RESULT report_vs_duckdb events=N orderflow_s=F duckdb_s=F ratio=F same_revenue=0|1 pandas_s=F|na
# with the medians, ratio = duckdb_s / orderflow_s, same_revenue = rows and revenue equal.
set -euo pipefail

EVENTS=${1:-1000000}
BUILD=${2:-build}
RUNS=${3:-5}
PANDAS_RUNS=${PANDAS_RUNS:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
ORDERFLOW="$BUILD/orderflow"
GEN="$BUILD/bench/gen_orders"
PYTHON=/usr/bin/python3  # Debian's python3-pandas, not a pyenv python first on PATH
THREADS=$(nproc)
for tool in "$ORDERFLOW" "$GEN"; do
  [[ -x "$tool" ]] || { echo "report_vs_duckdb: $tool not built (cmake --build $BUILD --target orderflow gen_orders)" >&2; exit 2; }
done
command -v node >/dev/null || { echo "report_vs_duckdb: node not found (apt install nodejs npm)" >&2; exit 2; }
# The exact DuckDB of the lock file; a clean clone has no node_modules yet.
if [[ ! -d "$HERE/duckdb/node_modules/@duckdb/node-api" ]]; then
  command -v npm >/dev/null || { echo "report_vs_duckdb: npm not found (apt install npm)" >&2; exit 2; }
  (cd "$HERE/duckdb" && npm ci --no-audit --no-fund)
fi

WORK=$(mktemp -d /tmp/report_vs_duckdb.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
INVALID=$((EVENTS / 20))
"$GEN" --data-dir "$WORK/data" --events $((EVENTS - INVALID)) --invalid-events "$INVALID" --files 8
BYTES=$(cat "$WORK"/data/orders_json/*.json "$WORK"/data/invalid_events/*.json | wc -c)
cat "$WORK"/data/orders_json/*.json "$WORK"/data/invalid_events/*.json > /dev/null

# CPU seconds and peak RSS of each whole process, when GNU time is installed (Debian: time): on a
# shared machine CPU seconds move less with the load than wall time does.
TIMER=()
[[ -x /usr/bin/time ]] && TIMER=(/usr/bin/time -f '%U %S %M' -o "$WORK/time.txt")
cpu_rss() { if ((${#TIMER[@]})); then awk '{ printf "%.2f %.1f", $1 + $2, $3 / 1024 }' "$WORK/time.txt"; else echo "0 0"; fi; }
key() { sed -nE "s/.*[[:space:]]$1=([^[:space:]]+).*/\\1/p" | tail -1; }
now() { date +%s.%N; }

# One run of each; appends "scan_s summarize_s write_s whole_s rows revenue cpu_s rss_mb" to
# orderflow.runs and "total_s read_s queries_s whole_s rows revenue cpu_s rss_mb" to duckdb.runs.
# The whole_s, cpu_s and rss_mb of orderflow include its gnuplot runs.
run_orderflow() {
  local start end out
  start=$(now)
  out=$("${TIMER[@]}" "$ORDERFLOW" report --data-dir "$WORK/data" --output-dir "$WORK/output" --threads "$THREADS")
  end=$(now)
  local phases summary
  phases=$(grep '^\[report\]\[phases\]' <<<"$out") || { echo "report_vs_duckdb: no [report][phases] line from $ORDERFLOW (rebuild it)" >&2; exit 1; }
  summary=$(grep '^\[report\]\[summary\]' <<<"$out")
  echo "$(key scan_s <<<" $phases") $(key summarize_s <<<" $phases") $(key write_s <<<" $phases")" \
       "$(echo "$end - $start" | bc -l) $(( $(key order_rows <<<" $summary") + $(key invalid_rows <<<" $summary") ))" \
       "$(key revenue <<<" $summary") $(cpu_rss)" \
       >> "$WORK/orderflow.runs"
}
run_duckdb() {
  local start end out
  start=$(now)
  out=$("${TIMER[@]}" node "$HERE/duckdb/report_queries.mjs" --data "$WORK/data" --threads "$THREADS" "$@")
  end=$(now)
  echo "$out" | grep '^\[duckdb\]\[compare\]' || true
  local line
  line=$(grep '^\[duckdb\] ' <<<"$out")
  [[ -s "$WORK/duckdb.version" ]] || key version <<<" $line" > "$WORK/duckdb.version"
  echo "$(key total_s <<<" $line") $(key read_s <<<" $line") $(key queries_s <<<" $line")" \
       "$(echo "$end - $start" | bc -l) $(key rows <<<" $line") $(key revenue <<<" $line") $(cpu_rss)" \
       >> "$WORK/duckdb.runs"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Warm-up (untimed): also checks every figure of DuckDB against orderflow's report.json.
run_orderflow
run_duckdb --compare "$WORK/output/report.json" | tee "$WORK/compare.txt"
SAME_FIGURES=$(key same_figures <<<" $(cat "$WORK/compare.txt")")
: > "$WORK/orderflow.runs"
: > "$WORK/duckdb.runs"
for ((i = 1; i <= RUNS; i++)); do
  run_orderflow
  run_duckdb
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

PANDAS_S=na
if ((PANDAS_RUNS > 0)) && "$PYTHON" -c 'import pandas' 2>/dev/null; then
  PANDAS_VERSION=$("$PYTHON" -c 'import pandas; print(pandas.__version__)')
  for ((i = 1; i <= PANDAS_RUNS; i++)); do
    "$PYTHON" "$HERE/report_pandas.py" "$WORK/data" | tee -a "$WORK/pandas.txt"
  done
  sed -nE 's/.*pandas_total_s=([0-9.]+).*/\1/p' "$WORK/pandas.txt" > "$WORK/pandas.runs"
  PANDAS_REVENUE=$(key revenue < "$WORK/pandas.txt")
  PANDAS_ROWS=$(key rows < "$WORK/pandas.txt")
elif ((PANDAS_RUNS > 0)); then
  echo "report_vs_duckdb: $PYTHON has no pandas (apt install python3-pandas); pandas left out" >&2
fi

# min and median of column $2 of file $1
stats() { awk -v c="$2" '{ print $c }' "$1" | sort -g |
          awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f\n", v[1], m }'; }
# orderflow's scan + aggregations per run: scan_s + summarize_s
awk '{ printf "%.3f\n", $1 + $2 }' "$WORK/orderflow.runs" > "$WORK/orderflow.agg"
read -r OF_MIN OF_MED < <(stats "$WORK/orderflow.agg" 1)
read -r OF_SCAN_MIN OF_SCAN_MED < <(stats "$WORK/orderflow.runs" 1)
read -r OF_WRITE_MIN OF_WRITE_MED < <(stats "$WORK/orderflow.runs" 3)
read -r OF_WHOLE_MIN OF_WHOLE_MED < <(stats "$WORK/orderflow.runs" 4)
read -r DK_MIN DK_MED < <(stats "$WORK/duckdb.runs" 1)
read -r DK_READ_MIN DK_READ_MED < <(stats "$WORK/duckdb.runs" 2)
read -r DK_QUERY_MIN DK_QUERY_MED < <(stats "$WORK/duckdb.runs" 3)
read -r DK_WHOLE_MIN DK_WHOLE_MED < <(stats "$WORK/duckdb.runs" 4)
read -r OF_CPU_MIN OF_CPU_MED < <(stats "$WORK/orderflow.runs" 7)
read -r DK_CPU_MIN DK_CPU_MED < <(stats "$WORK/duckdb.runs" 7)
OF_RSS=$(awk '$8 > m { m = $8 } END { print m + 0 }' "$WORK/orderflow.runs")
DK_RSS=$(awk '$8 > m { m = $8 } END { print m + 0 }' "$WORK/duckdb.runs")

# Same rows and the same revenue to the cent in every run (both print revenue with 2 decimals).
SAME=1
ROWS=$(awk 'NR == 1 { print $5 }' "$WORK/orderflow.runs")
REVENUE=$(awk 'NR == 1 { print $6 }' "$WORK/orderflow.runs")
for f in orderflow duckdb; do
  awk -v r="$ROWS" -v v="$REVENUE" '$5 != r || $6 != v { bad = 1 } END { exit bad }' "$WORK/$f.runs" || SAME=0
done
[[ "$SAME_FIGURES" == 1 ]] || SAME=0

RATIO=$(awk -v d="$DK_MED" -v o="$OF_MED" 'BEGIN { printf "%.2f", d / o }')
echo "[bench][report_vs_duckdb] events=$EVENTS (invalid $INVALID) bytes=$BYTES threads=$THREADS runs=$RUNS" \
     "duckdb=$(cat "$WORK/duckdb.version") node=$(node --version) load_before=\"$LOAD_BEFORE\" load_after=\"$LOAD_AFTER\""
echo "  orderflow scan + aggregations: min $OF_MIN s, median $OF_MED s (scan alone: min $OF_SCAN_MIN, median $OF_SCAN_MED)"
echo "  orderflow whole command (+ forecast, 6 charts, HTML/JSON): min $OF_WHOLE_MIN s, median $OF_WHOLE_MED s;" \
     "of which write (charts + report files): min $OF_WRITE_MIN s, median $OF_WRITE_MED s"
echo "  duckdb read_json + the same queries: min $DK_MIN s, median $DK_MED s" \
     "(read: median $DK_READ_MED s, queries: median $DK_QUERY_MED s)"
echo "  duckdb whole node process (+ start, open): min $DK_WHOLE_MIN s, median $DK_WHOLE_MED s"
if ((${#TIMER[@]})); then
  echo "  whole processes, CPU seconds (user + sys): orderflow min $OF_CPU_MIN, median $OF_CPU_MED (with gnuplot);" \
       "duckdb min $DK_CPU_MIN, median $DK_CPU_MED; peak RSS: orderflow $OF_RSS MB, duckdb $DK_RSS MB"
fi
if [[ -s "$WORK/pandas.runs" ]]; then
  read -r PD_MIN PANDAS_S < <(stats "$WORK/pandas.runs" 1)
  echo "  pandas $PANDAS_VERSION read_json(lines=True) + groupbys, one thread: min $PD_MIN s, median $PANDAS_S s" \
       "over $PANDAS_RUNS run(s) (rows $PANDAS_ROWS, revenue $PANDAS_REVENUE)"
fi
echo "  per run (s): orderflow scan + aggregations $(tr '\n' ' ' < "$WORK/orderflow.agg")| duckdb $(awk '{ printf "%s ", $1 }' "$WORK/duckdb.runs")"
echo "  ratio duckdb / orderflow (medians, scan + aggregations): ${RATIO}x;" \
     "whole commands: $(awk -v d="$DK_WHOLE_MED" -v o="$OF_WHOLE_MED" 'BEGIN { printf "%.2f", d / o }')x"
echo "  rows $ROWS, revenue $REVENUE: same in every run of both: $SAME; every report.json figure: ${SAME_FIGURES:-0}"
echo "RESULT report_vs_duckdb events=$EVENTS orderflow_s=$OF_MED duckdb_s=$DK_MED ratio=$RATIO same_revenue=$SAME pandas_s=$PANDAS_S"
[[ "$SAME" == 1 ]]

#!/usr/bin/env bash
# orderflow against the original's engine, Spark Structured Streaming (bench/spark), in one run on
# a local Apache Kafka cluster (deploy/kafka/kafka-local.sh); figures go to BENCHMARKS.md.
#   1. catch-up: a backlog of EVENTS (5 % invalid, the original's five modes) in `orders`;
#      `orderflow process` and Spark (Trigger.AvailableNow) each read it all, one after the other,
#      each with its own output folder and group. events/s steady (first file created -> last
#      row visible, timed by the watcher) and whole run (start-up included, wall clock of the
#      command; orderflow's minus its --until-idle wait), peak RSS of each (/usr/bin/time).
#   2. freshness: RATE events/s for SECONDS while both run side by side, each with its own
#      group, starting at the log end: once at each tool's lowest trigger (orderflow 1ms, Spark
#      processing time 0) and once at the original's 5 s. One watcher (bench/spark/
#      watch_output.py) times when each row becomes visible (see its header for what visible
#      means for each tool) and computes visible - event_time_ms: p50 and p99 for each.
#   3. spark.read.json over orderflow's catch-up output (bench/spark SparkReadCheck).
# Usage: bench/spark_vs_orderflow.sh [EVENTS=500000] [BUILD_DIR=build]
# Env: SPARK_BENCH_RATE (2000), SPARK_BENCH_SECONDS (60), SPARK_BENCH_KEEP=1 keeps the work dir,
#      SPARK_BENCH_DRAIN (120: the most seconds to wait after producing for the last rows),
# Not on the embedded cluster: Spark's Kafka source fetches offsets with the Admin API, which
# librdkafka's mock cluster does not serve (describeTopics times out).
set -euo pipefail
events=${1:-500000}
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$repo/build}
rate=${SPARK_BENCH_RATE:-2000}
seconds=${SPARK_BENCH_SECONDS:-60}
bin=$(realpath "$build/orderflow")
peer=$repo/bench/spark
work=$(mktemp -d /tmp/orderflow-vs-spark-XXXXXX)
pids=()
cluster_up=

cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n $cluster_up ]]; then
    "$repo/deploy/kafka/kafka-local.sh" stop --dir "$work/kafka" >/dev/null 2>&1 || true
  fi
  if [[ ${SPARK_BENCH_KEEP:-0} == 1 ]]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
cd "$work"
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | tail -1; }  # field KEY FILE
watch_field() { sed -n "/tool=$1 /s/.* $2=\([^ ]*\).*/\1/p" "$3"; }  # watch_field TOOL KEY FILE

"$peer/build.sh"
# The bootstrap list is the last line of start's stdout (its messages go to stderr).
"$repo/deploy/kafka/kafka-local.sh" start --dir "$work/kafka" --ports auto > kafka.log 2> kafka.err ||
  { cat kafka.log kafka.err >&2; exit 1; }
cluster_up=1
bootstrap=$(tail -1 kafka.log)
kafka_version=$(sed -n 's/.*Kafka \([0-9.]*\) running.*/\1/p' kafka.log kafka.err | tail -1)
echo "== Kafka $kafka_version (kafka-local) at $bootstrap"

# ---- 1. catch-up -------------------------------------------------------------------------
invalid=$(( events / 20 ))
valid=$(( events - invalid ))
echo "== produce the backlog: $valid valid + $invalid invalid (the original's five modes)"
"$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max --max-events "$valid" \
  --seed 21 --report-every-seconds 0 | tee produce.log
"$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max --max-events "$invalid" \
  --invalid-mode random --seed 22 --report-every-seconds 0 | tee produce_invalid.log

python3 "$peer/watch_output.py" --tool orderflow=orderflow:of_catchup \
  --tool spark=spark:spark_catchup --report watch_catchup.txt > watch_catchup.log 2>&1 &
watcher=$!; pids+=("$watcher")
for _ in $(seq 100); do grep -q ready watch_catchup.log && break; sleep 0.1; done

echo "== orderflow process (catch-up, --trigger 100ms, --until-idle 1)"
t0=$(now)
/usr/bin/time -f '%M' -o of_catchup.rss "$bin" process --bootstrap-servers "$bootstrap" \
  --data-dir of_catchup --group-id bench-catchup --starting-offsets earliest --trigger 100ms \
  --until-idle 1 --report-every-seconds 0 > of_catchup.log 2> of_catchup.err
t1=$(now)
cat of_catchup.log
of_whole_s=$(calc "$t1 - $t0 - 1" 3)

echo "== Spark OrdersStreamingJob (catch-up, Trigger.AvailableNow)"
t0=$(now)
/usr/bin/time -f '%M' -o spark_catchup.rss "$peer/run.sh" OrdersStreamingJob \
  --bootstrap-servers "$bootstrap" --output spark_catchup --trigger available-now \
  --starting-offsets earliest --group-id bench-spark-catchup > spark_catchup.log 2> spark_catchup.err ||
  { tail -40 spark_catchup.err >&2; exit 1; }
t1=$(now)
cat spark_catchup.log
spark_whole_s=$(calc "$t1 - $t0" 3)
# Spark's start-up: JVM start to both queries started (the "[spark][start]" line's time is not
# printed, so take it from the first batch's planning in the checkpoint: offsets/0's mtime).
spark_start_s=$(calc "$(stat -c %.3Y spark_catchup/_checkpoints/valid/offsets/0) - $t0" 2)
sleep 1  # let the watcher read the last commit
kill -TERM "$watcher"; wait "$watcher" || true
cat watch_catchup.txt

of_rows=$(watch_field orderflow rows watch_catchup.txt)
spark_rows=$(watch_field spark rows watch_catchup.txt)
steady() {  # TOOL -> events/s between the first file created and the last row visible
  local first last rows
  first=$(watch_field "$1" first_write_ms watch_catchup.txt)
  last=$(watch_field "$1" last_visible_ms watch_catchup.txt)
  rows=$(watch_field "$1" rows watch_catchup.txt)
  calc "$rows / (($last - $first) / 1000)" 0
}
of_eps=$(steady orderflow)
spark_eps=$(steady spark)
of_whole_eps=$(calc "$of_rows / $of_whole_s" 0)
spark_whole_eps=$(calc "$spark_rows / $spark_whole_s" 0)
of_rss_mb=$(calc "$(cat of_catchup.rss | tail -1) / 1024" 0)
spark_rss_mb=$(calc "$(cat spark_catchup.rss | tail -1) / 1024" 0)
for t in orderflow spark; do
  r=$(watch_field $t rows watch_catchup.txt)
  [[ $r == "$events" ]] || echo "WARNING: $t wrote $r rows, the backlog holds $events" >&2
done
of_valid=$(find of_catchup/orders_json -name '*.json' -exec cat {} + | wc -l)
spark_valid=$(find spark_catchup/orders_json -maxdepth 1 -name 'part-*.json' -exec cat {} + | wc -l)
echo "catch-up: orderflow ${of_eps} events/s steady, ${of_whole_eps} whole (${of_whole_s} s), ${of_rss_mb} MB;" \
  "Spark ${spark_eps} events/s steady, ${spark_whole_eps} whole (${spark_whole_s} s, start-up to first batch ${spark_start_s} s), ${spark_rss_mb} MB;" \
  "valid rows orderflow ${of_valid} Spark ${spark_valid}"

# ---- 2. freshness --------------------------------------------------------------------------
fresh() {  # NAME ORDERFLOW_TRIGGER SPARK_TRIGGER DRAIN_S -> watch_NAME.txt
  local name=$1 of_trigger=$2 spark_trigger=$3 drain=$4 of_pid spark_pid
  echo "== freshness $name: $rate events/s for $seconds s; orderflow --trigger $of_trigger, Spark trigger $spark_trigger"
  python3 "$peer/watch_output.py" --tool orderflow=orderflow:of_$name \
    --tool spark=spark:spark_$name --report "watch_$name.txt" > "watch_$name.log" 2>&1 &
  watcher=$!; pids+=("$watcher")
  # A file per batch (--roll-interval 0), as Spark writes one per trigger: freshness is when a
  # reader sees the lines (with rolled files, at the roll).
  "$bin" process --bootstrap-servers "$bootstrap" --data-dir "of_$name" --group-id "bench-$name" \
    --starting-offsets latest --trigger "$of_trigger" --roll-interval 0 --report-every-seconds 0 \
    > "of_$name.log" 2> "of_$name.err" & of_pid=$!; pids+=("$of_pid")
  "$peer/run.sh" OrdersStreamingJob --bootstrap-servers "$bootstrap" --output "spark_$name" \
    --trigger "$spark_trigger" --starting-offsets latest --group-id "bench-spark-$name" \
    > "spark_$name.log" 2> "spark_$name.err" & spark_pid=$!; pids+=("$spark_pid")
  # Both ready: orderflow has its partitions; Spark has committed its first (empty) batch of
  # both queries: it resolved "latest" to offsets and its first batch's one-off costs (code
  # generation, first job) are behind it. No event is produced before a tool reads.
  local ready=0
  for _ in $(seq 900); do
    if grep -q 'assigned partitions' "of_$name.log" "of_$name.err" 2>/dev/null &&
       [[ -e spark_$name/_checkpoints/valid/commits/0 && -e spark_$name/_checkpoints/invalid/commits/0 ]]
    then ready=1; break; fi
    kill -0 "$spark_pid" 2>/dev/null || { tail -30 "spark_$name.err" >&2; exit 1; }
    sleep 0.2
  done
  [[ $ready == 1 ]] || { echo "freshness $name: a tool did not start within 180 s" >&2; exit 1; }
  sleep 2
  "$bin" produce --bootstrap-servers "$bootstrap" --events-per-second "$rate" \
    --duration-seconds "$seconds" --seed 31 --report-every-seconds 0 | tee "produce_$name.log"
  # Drain: until each tool has made every event of the topic visible (orderflow: lines in its
  # files; Spark: its last committed batch ends at the log end), at most DRAIN_S. Rows still
  # invisible then are counted as missing, and the p99 of the rows seen is a lower bound.
  log_end=$(( log_end + $(field sent_ok "produce_$name.log") ))
  local deadline=$(( $(date +%s) + drain )) of_done=0 spark_done=0
  while (( $(date +%s) < deadline )); do
    (( of_done )) || { [[ $(of_visible "of_$name") -ge $(field sent_ok "produce_$name.log") ]] && of_done=1; }
    (( spark_done )) || { [[ $(spark_committed_end "spark_$name") -ge $log_end ]] && spark_done=1; }
    (( of_done && spark_done )) && break
    sleep 1
  done
  echo "drained: orderflow $of_done Spark $spark_done (1 = every event visible) after $(( $(date +%s) - deadline + drain )) s"
  kill -TERM "$of_pid" "$spark_pid"
  wait "$of_pid" || true; wait "$spark_pid" || true
  kill -TERM "$watcher"; wait "$watcher" || true
  cat "watch_$name.txt"
  echo "freshness $name: produced $(field sent_ok "produce_$name.log"), visible orderflow" \
    "$(watch_field orderflow valid_rows "watch_$name.txt") Spark $(watch_field spark valid_rows "watch_$name.txt")"
}
of_visible() { find "$1/orders_json" -name '*.json' ! -name '.*' -exec cat {} + 2>/dev/null | wc -l; }
spark_committed_end() {  # DIR -> sum of the end offsets of the last batch both queries committed
  python3 - "$1/_checkpoints" <<'PY'
import json, os, sys
ends = []
for q in ("valid", "invalid"):
    commits = [int(n) for n in os.listdir(os.path.join(sys.argv[1], q, "commits")) if n.isdigit()]
    if not commits:
        print(0); sys.exit()
    last = open(os.path.join(sys.argv[1], q, "offsets", str(max(commits)))).read().splitlines()[-1]
    ends.append(sum(sum(p.values()) for p in json.loads(last).values()))
print(min(ends))
PY
}
log_end=$events
fresh lowest 1ms 0 ${SPARK_BENCH_DRAIN:-120}
fresh five 5s 5s ${SPARK_BENCH_DRAIN:-120}
of_p99=$(watch_field orderflow p99_ms watch_lowest.txt)
spark_p99=$(watch_field spark p99_ms watch_lowest.txt)

# ---- 3. Spark reads orderflow's catch-up output --------------------------------------------
echo "== spark.read.json over orderflow's catch-up output"
of_valid_sum=$(field valid of_catchup.log)
of_invalid_sum=$(field invalid of_catchup.log)
"$peer/run.sh" SparkReadCheck --data-dir of_catchup > spark_read.out 2> spark_read.err ||
  { tail -30 spark_read.err >&2; exit 1; }
python3 "$peer/check_read.py" spark_read.out "$of_valid_sum" "$of_invalid_sum" > check_read.txt || true
cat check_read.txt

echo
printf 'freshness p50/p99 ms: lowest trigger orderflow %s/%s Spark %s/%s; 5 s trigger orderflow %s/%s Spark %s/%s\n' \
  "$(watch_field orderflow p50_ms watch_lowest.txt)" "$of_p99" \
  "$(watch_field spark p50_ms watch_lowest.txt)" "$spark_p99" \
  "$(watch_field orderflow p50_ms watch_five.txt)" "$(watch_field orderflow p99_ms watch_five.txt)" \
  "$(watch_field spark p50_ms watch_five.txt)" "$(watch_field spark p99_ms watch_five.txt)"
echo "RESULT load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT spark_vs_orderflow events=$events orderflow_eps=$of_eps spark_eps=$spark_eps" \
  "throughput_ratio=$(calc "$of_eps / $spark_eps" 2) orderflow_p99_ms=$of_p99 spark_p99_ms=$spark_p99" \
  "latency_ratio=$(calc "$of_p99 / $spark_p99" 3) orderflow_rss_mb=$of_rss_mb spark_rss_mb=$spark_rss_mb"
echo "RESULT spark_read rows=$(sed -n 's/.* rows=\([0-9]*\).*/\1/p' check_read.txt)" \
  "expected=$(sed -n 's/.* expected=\([0-9]*\).*/\1/p' check_read.txt)" \
  "schema_ok=$(sed -n 's/.* schema_ok=\([01]\).*/\1/p' check_read.txt)"

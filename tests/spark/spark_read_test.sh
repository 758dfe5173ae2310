#!/usr/bin/env bash
# The contract's promise "readable by spark.read.json(dir)", checked with Spark itself:
# orderflow broker + produce (valid and invalid events, fixed seeds) + process until idle +
# report, then bench/spark's SparkReadCheck over the data dir. Passes when
#   - Spark's row counts equal the processor's summary counts (valid=, invalid=),
#   - Spark infers the contract's types (orders_json: quantity bigint, unit_price double, ...;
#     invalid_events: kafka_partition/kafka_offset bigint, json_str/invalid_reason string),
#   - Spark's revenue by item (sum of total_amount) equals report.json's items[].revenue to
#     the cent.
# Then the same topic again, processed with --compression gzip --partition-by purchase_date into a
# second data dir: Spark's partition discovery must find every purchase_date=D/ folder with as many
# rows as its .json.gz files have lines (each valid line in the folder of its own date, unreadable
# dates under __HIVE_DEFAULT_PARTITION__ as null), the same counts and revenue as before.
# The first run builds bench/spark (Maven downloads Spark: ~224 MB, ~2 min here); later runs
# are offline. Measured on the 2-core machine: 46 s at load ~5, 57-76 s at load 10-13, most of it
# the JVM and Spark; the partitioned pass adds about as much again.
# Usage: spark_read_test.sh ORDERFLOW_BINARY SPARK_PEER_DIR
set -euo pipefail
. "$(dirname "$(realpath "$0")")/../../bench/embedded_broker.sh"
bin=$(realpath "$1")
peer=$(realpath "$2")
valid_events=${SPARK_TEST_VALID:-20000}
invalid_events=${SPARK_TEST_INVALID:-1500}

work=$(mktemp -d /tmp/orderflow-spark-read-XXXXXX)
broker=
cleanup() {
  if [[ -n $broker ]]; then kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$work"

# Build the peer first: a Maven failure should not leave a broker running for minutes.
"$peer/build.sh" || fail "bench/spark/build.sh failed (needs a JDK 17 and maven)"

start_embedded_broker "$bin" || fail "the embedded broker did not start"

"$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max \
  --max-events "$valid_events" --seed 11 --report-every-seconds 0 > produce.log
# The original's five modes, then ours (malformed JSON, wrong types), so Spark also meets the
# odd lines of invalid_events.
third=$(( invalid_events / 3 ))
for mode in random malformed_json wrong_type; do
  n=$third; [[ $mode == random ]] && n=$(( invalid_events - 2 * third ))
  "$bin" produce --bootstrap-servers "$bootstrap" --events-per-second max --invalid-mode "$mode" \
    --max-events "$n" --seed 12 --report-every-seconds 0 > "produce_$mode.log"
done
"$bin" process --bootstrap-servers "$bootstrap" --data-dir data --starting-offsets earliest \
  --trigger 200ms --until-idle 2 --report-every-seconds 0 > process.log 2>process.err ||
  { cat process.err >&2; fail "orderflow process failed"; }
summary=$(grep '^\[processor\]\[summary\]' process.log) || fail "no processor summary in: $(cat process.log)"
want_valid=$(sed -n 's/.* valid=\([0-9]*\).*/\1/p' <<<"$summary")
want_invalid=$(sed -n 's/.* invalid=\([0-9]*\).*/\1/p' <<<"$summary")
[[ $want_valid == "$valid_events" && $want_invalid == "$invalid_events" ]] ||
  fail "processor counted valid=$want_valid invalid=$want_invalid, produced $valid_events + $invalid_events"
# The same messages into a second data dir (own group): gzip files in purchase_date= folders.
"$bin" process --bootstrap-servers "$bootstrap" --data-dir data-gz --group-id spark-read-gz \
  --starting-offsets earliest --trigger 200ms --until-idle 2 --report-every-seconds 0 \
  --compression gzip --partition-by purchase_date > process-gz.log 2>process-gz.err ||
  { cat process-gz.err >&2; fail "orderflow process --compression gzip --partition-by purchase_date failed"; }
grep -q " valid=$want_valid invalid=$want_invalid " process-gz.log ||
  fail "the partitioned run counted otherwise: $(grep summary process-gz.log)"
kill "$broker"; wait "$broker" 2>/dev/null || true; broker=
[[ -z $(find data-gz/orders_json -name '*.json' -print -quit) ]] || fail "plain files in data-gz"
ls -d data-gz/orders_json/purchase_date=* > /dev/null || fail "no purchase_date= folders in data-gz"

for dir in data data-gz; do
  out=output; [[ $dir == data-gz ]] && out=output-gz
  "$bin" report --data-dir "$dir" --output-dir "$out" > "report-$dir.log" 2>&1 ||
    { cat "report-$dir.log" >&2; fail "orderflow report --data-dir $dir failed"; }
  [[ -s $out/report.json ]] || fail "report wrote no $out/report.json"
  grep -q "order_rows=$want_valid invalid_rows=$want_invalid " "report-$dir.log" ||
    fail "report over $dir: $(grep summary "report-$dir.log")"

  SPARK_PEER_HEAP=512m "$peer/run.sh" SparkReadCheck --data-dir "$dir" > "spark-$dir.out" 2> "spark-$dir.err" ||
    { tail -40 "spark-$dir.err" >&2; fail "SparkReadCheck over $dir failed"; }

  # Every difference is listed, not just the first.
  partitioned=(); [[ $dir == data-gz ]] && partitioned=(--partitioned data-gz)
  python3 "$peer/check_read.py" "${partitioned[@]}" "spark-$dir.out" "$want_valid" "$want_invalid" \
    "$out/report.json" || fail "Spark and orderflow disagree over $dir (DIFF lines above)"
  grep '^spark_read_elapsed_s' "spark-$dir.out"
done

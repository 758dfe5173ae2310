#!/usr/bin/env bash
# End-to-end throughput of the pipeline's Kafka stages against kcat, measured in one run on the
# embedded cluster (figures go to BENCHMARKS.md, "Kafka stages against kcat"):
#   produce: `orderflow produce --events-per-second max` (builds every event) vs
#            `kcat -P -l` sending the same number of pre-built events (same librdkafka settings)
#            and bench/librdkafka_producer_ceiling sending them from memory (librdkafka's own limit),
#            the three one after the other at the end (one round: bench/produce_bench.sh runs
#            several)
#   process: `orderflow process` catching up on the backlog (parse, validate, route, write
#            files, checkpoints) vs `kcat -C -e -o beginning` writing the values to a file.
#            Like is compared with like:
#            - kcat's data phase (first message to last, without its start-up and its wait for
#              the end of every partition; measured below) against the processor's steady rate
#              (first message to last durable commit, the group join left out);
#            - kcat's whole run against the processor's whole run (group join included, the
#              --until-idle wait at the end left out).
#            What durability costs is measured too: the processor with its data dir in memory
#            (tmpfs: its fdatasyncs cost nothing, as kcat's unsynced writes cost it nothing), the
#            CPU the hypervisor takes while the disk writes (steal time), and the disk's own
#            floor for the processor's writes (bench/durable_write_floor).
# Usage: bench/pipeline_bench.sh [EVENTS] [BUILD_DIR]     (defaults: 480000 build)
#   COMPARE_BIN=path  also run this orderflow binary's processor (e.g. one built before a change)
#                     on the same backlog, alternating with BUILD_DIR's, against the same kcat runs
#   KCAT_ROUNDS=n     rounds of the four kcat runs below, default 3
#   PROCESS_ROUNDS=n  rounds of the processor runs (each trigger, each binary), default 3: one
#                     run of the same binary spreads +-8 % here, so medians are compared, as kcat's
#   SKIP_PRODUCE_COMPARISON=1  skip kcat -P and the librdkafka producer ceiling
#   MEMORY_DIR=path   a tmpfs for the in-memory processor runs (default /dev/shm; skipped when
#                     it is not a writable tmpfs)
set -euo pipefail
. "$(dirname "$(realpath "$0")")/embedded_broker.sh"
events=${1:-480000}
build=${2:-build}
bin=$(realpath "$build/orderflow")
compare_bin=${COMPARE_BIN:+$(realpath "$COMPARE_BIN")}
kcat_rounds=${KCAT_ROUNDS:-3}
process_rounds=${PROCESS_ROUNDS:-3}
work=$(mktemp -d /tmp/orderflow-bench-XXXXXX)
cleanup() { [ -n "${broker:-}" ] && kill "$broker" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

# 24 partitions: the embedded cluster keeps about 5 MB per partition (of lz4-compressed batches),
# and the backlog must fit; it is checked below (kcat must read every event produced).
start_embedded_broker "$bin" --partitions 24
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== produce: $events events"
"$bin" produce --events-per-second max --max-events "$events" --seed 1 --report-every-seconds 0 | tee produce.log
# From the command's start, and the send phase alone (client created to last delivery report, as
# the ceiling below times itself).
summary_figure() { sed -n "s/.*\[summary\].* $1=\([0-9.]*\).*/\1/p" "$2"; }
produce_eps=$(summary_figure throughput_eps produce.log)
produce_active_eps=$(summary_figure active_eps produce.log)

# kcat's data phase, two ways, rounds interleaved (medians reported):
# - "-e difference": `-e -o beginning` minus `-e -o end` (the same command reading nothing: start-up
#   and end-of-partition wait). Biased: with fetch.wait.max.ms at librdkafka's 500 ms, the run from
#   the end waits for 2-3 empty fetches (1.0-1.5 s: the partitions join the fetch list while the
#   first fetch waits) and the run from the beginning for one after its data, so the difference
#   leaves out 0.5-1.0 s of the data phase and overstates kcat's rate (up to 2.3M events/s seen).
# - "-c difference": `-o beginning -c EVENTS` minus `-o beginning -c 1`: both stop at their last
#   message without any end-of-partition wait, both pay the same start-up and first fetch (the
#   `-c 1` run takes 20-40 ms). This one is compared with the processor's steady rate.
# - "durable": the -c difference plus `sync` of kcat's output file right after it (fsync): kcat
#   leaves its data in the page cache, while the processor's steady rate ends at its last durable
#   commit (every byte fsynced), so this is the like-with-like peer of the steady rate; the disk's
#   write bandwidth is in both.
# - "without its stall": the -c difference with kcat's pre-fetch queue raised
#   (queued.min.messages 300,000): librdkafka 2.0.2 then never stops fetching at the queue's
#   limit (the stall the processor avoids with its fetch nudge, src/kafka/fetch_nudger.h), so
#   this is kcat at its best on this machine, with its data still in the page cache. Printed
#   beside the goal's yardstick, not instead of it. "Made durable": plus the fsync of its output,
#   kcat at its best doing what the processor's steady rate includes.
kcat_consume() {  # OUT KCAT-ARGS... -> seconds on stdout
  local out=$1 t0 t1
  shift
  t0=$(now)
  kcat -C -b "$bootstrap" -t orders -q -f '%s\n' "$@" > "$out"
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
check_count() {  # FILE EXPECTED WHAT
  local n
  n=$(wc -l < "$1")
  if [ "$n" -ne "$2" ]; then
    echo "$3 read $n events of $2: does the backlog fit the embedded cluster's retention (use fewer events), or is something else producing?" >&2
    exit 1
  fi
}
lists_whole="" lists_end="" lists_ediff="" lists_one="" lists_count="" lists_cdiff="" lists_durable=""
lists_unstalled="" lists_unstalled_durable=""
no_stall=(-X queued.min.messages=300000 -X queued.max.messages.kbytes=1000000)
for round in $(seq "$kcat_rounds"); do
  end_s=$(kcat_consume empty.jsonl -e -o end)
  check_count empty.jsonl 0 "kcat -e -o end"
  whole_s=$(kcat_consume values.jsonl -e -o beginning)
  check_count values.jsonl "$events" "kcat -e -o beginning"
  one_s=$(kcat_consume one.jsonl -o beginning -c 1)
  rm -f counted.jsonl
  count_s=$(kcat_consume counted.jsonl -o beginning -c "$events")
  t0=$(now)
  sync counted.jsonl
  sync_s=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
  check_count counted.jsonl "$events" "kcat -c $events"
  one_unstalled_s=$(kcat_consume one.jsonl -o beginning -c 1 "${no_stall[@]}")
  unstalled_s=$(kcat_consume unstalled.jsonl -o beginning -c "$events" "${no_stall[@]}")
  t0=$(now)
  sync unstalled.jsonl
  unstalled_sync_s=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
  check_count unstalled.jsonl "$events" "kcat -c $events (queue raised)"
  rm -f unstalled.jsonl
  unstalled_s=$(awk -v a="$unstalled_s" -v b="$one_unstalled_s" 'BEGIN { print a - b }')
  unstalled_durable_s=$(awk -v a="$unstalled_s" -v b="$unstalled_sync_s" 'BEGIN { print a + b }')
  ediff_s=$(awk -v a="$whole_s" -v b="$end_s" 'BEGIN { print a - b }')
  cdiff_s=$(awk -v a="$count_s" -v b="$one_s" 'BEGIN { print a - b }')
  durable_s=$(awk -v a="$cdiff_s" -v b="$sync_s" 'BEGIN { print a + b }')
  echo "kcat round $round: -e -o beginning ${whole_s}s, -e -o end ${end_s}s, difference ${ediff_s}s = $(rate "$events" "$ediff_s") events/s; -c $events ${count_s}s, -c 1 ${one_s}s, difference ${cdiff_s}s = $(rate "$events" "$cdiff_s") events/s; its fsync ${sync_s}s, durable $(rate "$events" "$durable_s") events/s; without its stall ${unstalled_s}s = $(rate "$events" "$unstalled_s") events/s, made durable (its fsync ${unstalled_sync_s}s) $(rate "$events" "$unstalled_durable_s") events/s"
  lists_whole+=" $whole_s" lists_end+=" $end_s" lists_ediff+=" $ediff_s"
  lists_one+=" $one_s" lists_count+=" $count_s" lists_cdiff+=" $cdiff_s" lists_durable+=" $durable_s"
  lists_unstalled+=" $unstalled_s" lists_unstalled_durable+=" $unstalled_durable_s"
done
rm -f counted.jsonl
kcat_whole_s=$(echo "$lists_whole" | median)
kcat_end_s=$(echo "$lists_end" | median)
kcat_ediff_s=$(echo "$lists_ediff" | median)
kcat_one_s=$(echo "$lists_one" | median)
kcat_data_s=$(echo "$lists_cdiff" | median)
kcat_whole_eps=$(rate "$events" "$kcat_whole_s")
kcat_ediff_eps=$(rate "$events" "$kcat_ediff_s")
kcat_data_eps=$(rate "$events" "$kcat_data_s")
kcat_durable_s=$(echo "$lists_durable" | median)
kcat_durable_eps=$(rate "$events" "$kcat_durable_s")
kcat_unstalled_s=$(echo "$lists_unstalled" | median)
kcat_unstalled_eps=$(rate "$events" "$kcat_unstalled_s")
kcat_unstalled_durable_s=$(echo "$lists_unstalled_durable" | median)
kcat_unstalled_durable_eps=$(rate "$events" "$kcat_unstalled_durable_s")

# The processor on the same backlog, each run with its own group and data dir, at --trigger 1s
# (the default: the last batch of a catch-up waits up to 1 s for its interval to end, and that
# wait counts in the steady rate) and 250ms (a catch-up setting). --roll-interval is the default
# (1m): each batch appends to the partitions' open files, published on the clean stop after the
# idle second (not counted in the steady rate).
# Each run also counts the CPU time the hypervisor took from this machine (steal, /proc/stat): on
# a virtual machine the host's work for the disk's writes can come out of the guest's CPU share.
declare -A steady whole batches steady_runs steal
cpu_steal() { awk '/^cpu / { print $9 / 100 }' /proc/stat; }  # seconds, all CPUs
process_run() {  # LABEL BIN TRIGGER ROUND [DATA_DIR_BASE]
  local label=$1 binary=$2 trigger=$3 key="$1-$3-$4" base=${5:-.} t0 t1 processed process_s s0
  s0=$(cpu_steal)
  t0=$(now)
  "$binary" process --bootstrap-servers "$bootstrap" --data-dir "$base/run-$key" \
    --group-id "bench-$key" --starting-offsets earliest --trigger "$trigger" --until-idle 1 \
    --report-every-seconds 0 2>"process-$key.err" | tee "process-$key.log"
  t1=$(now)
  steal[$key]=$(awk -v a="$s0" -v b="$(cpu_steal)" 'BEGIN { printf "%.2f", b - a }')
  grep 'spent writing' "process-$key.err" || true
  processed=$(sed -n 's/.*\[summary\] processed=\([0-9]*\) .*/\1/p' "process-$key.log")
  if [ "$processed" -ne "$events" ]; then
    echo "process ($label, --trigger $trigger) processed $processed events of $events" >&2
    exit 1
  fi
  steady[$key]=$(sed -n 's/.*\[processor\]\[summary\].* active_eps=\([0-9.]*\).*/\1/p' "process-$key.log")
  batches[$key]=$(sed -n 's/.*\[summary\].* batches=\([0-9]*\) .*/\1/p' "process-$key.log")
  # Whole run minus the --until-idle wait at the end (the group join stays in, as kcat's
  # start-up stays in its whole run).
  process_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a - 1 }')
  whole[$key]=$(rate "$processed" "$process_s")
  [ "$label" = this ] && [ "$trigger" = 250ms ] && du -sb "$base/run-$key" | cut -f1 > output.bytes
  rm -rf "${base:?}/run-$key"
}
memory_dir=${MEMORY_DIR:-/dev/shm}
if [ "$(stat -f -c %T "$memory_dir" 2>/dev/null)" = tmpfs ] && [ -w "$memory_dir" ]; then
  memory_base=$(mktemp -d "$memory_dir/orderflow-bench-XXXXXX")
  trap 'rm -rf "$memory_base"; cleanup' EXIT
else
  echo "== no writable tmpfs at $memory_dir: the in-memory processor runs are skipped"
  memory_base=""
fi
labels="this"
[ -n "$compare_bin" ] && labels="this compare"
for round in $(seq "$process_rounds"); do
  for trigger in 1s 250ms; do
    # With a second binary, the order alternates from one trigger to the next.
    order=$labels
    [ "$trigger" = 250ms ] && order=$(echo "$labels" | tr ' ' '\n' | tac | tr '\n' ' ')
    for label in $order; do
      binary=$bin
      [ "$label" = compare ] && binary=$compare_bin
      echo "== orderflow process (catch-up, $label: $binary), --trigger $trigger, round $round"
      process_run "$label" "$binary" "$trigger" "$round"
    done
  done
  if [ -n "$memory_base" ]; then
    echo "== orderflow process (catch-up into memory: $memory_base), --trigger 250ms, round $round"
    process_run memory "$bin" 250ms "$round" "$memory_base"
  fi
done
# Per binary and trigger: the median of the rounds (reported), and every round's steady rate.
summarize() {  # KEY (LABEL-TRIGGER)
  local key=$1 runs_steady="" runs_whole="" runs_batches="" runs_steal="" round
  for round in $(seq "$process_rounds"); do
    runs_steady+=" ${steady[$key-$round]}"
    runs_whole+=" ${whole[$key-$round]}"
    runs_batches+=" ${batches[$key-$round]}"
    runs_steal+=" ${steal[$key-$round]}"
  done
  steady[$key]=$(echo "$runs_steady" | median)
  whole[$key]=$(echo "$runs_whole" | median)
  batches[$key]=$(echo "$runs_batches" | median)
  steal[$key]=$(echo "$runs_steal" | median)
  steady_runs[$key]=$(echo "$runs_steady" | awk '{ for (i = 1; i <= NF; i++) printf "%s%.0fk", (i > 1 ? ", " : ""), $i / 1000 }')
}
[ -n "$memory_base" ] && summarize memory-250ms
for trigger in 1s 250ms; do
  for label in $labels; do
    key="$label-$trigger"
    summarize "$key"
  done
done

if [ -z "${SKIP_PRODUCE_COMPARISON:-}" ]; then
  # The peers below run on a cluster that already holds the backlog; the first produce ran on a
  # fresh one. orderflow sends again here, right before them, so that all three run alike.
  echo "== produce again, next to the peers: $events events"
  "$bin" produce --events-per-second max --max-events "$events" --seed 2 --report-every-seconds 0 | tee produce-again.log
  again_eps=$(summary_figure throughput_eps produce-again.log)
  again_active_eps=$(summary_figure active_eps produce-again.log)
  echo "== kcat -P -l of the same number of pre-built events"
  # In the order a producer of independent orders sends them: every key's partition drawn anew.
  # values.jsonl came from kcat -C, one partition's run after another; sent in that order,
  # librdkafka fills one partition's batch at a time and both peers ran 1.1-1.5 times faster
  # than on the same events shuffled (BENCHMARKS.md), a workload no generator of events has.
  head -n "$events" values.jsonl | shuf --random-source=<(yes) > prebuilt.jsonl
  t0=$(now)
  kcat -P -l -b "$bootstrap" -t orders -X linger.ms=5 -X compression.type=lz4 -X enable.idempotence=true \
    -X batch.num.messages=10000 prebuilt.jsonl
  t1=$(now)
  kcat_p_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  kcat_p_eps=$(rate "$(wc -l < prebuilt.jsonl)" "$kcat_p_s")

  echo "== librdkafka's own ceiling: the same pre-built events from memory, same settings"
  "$(dirname "$bin")/bench/librdkafka_producer_ceiling" "$bootstrap" orders prebuilt.jsonl | tee ceiling.log
  ceiling_eps=$(sed -n 's/.*throughput_eps=\([0-9.]*\).*/\1/p' ceiling.log)
fi

echo
if [ -z "${SKIP_PRODUCE_COMPARISON:-}" ]; then
  echo "RESULT produce (next to the peers): orderflow ${again_eps} events/s from the command's start, kcat -P (pre-built, shuffled, whole run) ${kcat_p_eps} events/s, ratio $(ratio "$again_eps" "$kcat_p_eps"); send phase (client created to last ack) ${again_active_eps} events/s against the librdkafka ceiling's (pre-built, shuffled, in memory, same window) ${ceiling_eps} events/s, ratio $(ratio "$again_active_eps" "$ceiling_eps"); the first produce, on the fresh cluster: ${produce_eps} events/s from its start, ${produce_active_eps} send phase"
fi
echo "RESULT kcat -C (medians of ${kcat_rounds} rounds, ${events} events): whole run (-e -o beginning) ${kcat_whole_s}s = ${kcat_whole_eps} events/s; -e -o end ${kcat_end_s}s; -e difference ${kcat_ediff_s}s = ${kcat_ediff_eps} events/s (overstated, see above); data phase (-c difference) ${kcat_data_s}s = ${kcat_data_eps} events/s (-c 1 ${kcat_one_s}s); data phase made durable (plus fsync of its output) ${kcat_durable_s}s = ${kcat_durable_eps} events/s; data phase without its stall (queue raised) ${kcat_unstalled_s}s = ${kcat_unstalled_eps} events/s, made durable ${kcat_unstalled_durable_s}s = ${kcat_unstalled_durable_eps} events/s"
for trigger in 1s 250ms; do
  for label in $labels; do
    key="$label-$trigger"
    echo "RESULT process --trigger ${trigger} (${label}): steady ${steady[$key]} events/s (median of ${process_rounds} runs: ${steady_runs[$key]}; first message to last commit, ${batches[$key]} batches), ratio $(ratio "${steady[$key]}" "$kcat_data_eps") to kcat's data phase, $(ratio "${steady[$key]}" "$kcat_durable_eps") to it made durable, $(ratio "${steady[$key]}" "$kcat_unstalled_eps") to it without its stall, $(ratio "${steady[$key]}" "$kcat_unstalled_durable_eps") to it without its stall made durable ($(ratio "${steady[$key]}" "$kcat_ediff_eps") to the -e difference); whole run ${whole[$key]} events/s (group join in, idle wait out), ratio $(ratio "${whole[$key]}" "$kcat_whole_eps") to kcat's whole run; CPU taken by the hypervisor (steal) ${steal[$key]} s a run"
  done
done
# The disk's durable write bandwidth bounds both durable figures (the processor's steady rate and
# kcat's data phase made durable): the same number of bytes as the values, written and fsynced.
mb=$(( $(stat -c %s values.jsonl) / 1048576 + 1 ))
disk=$(dd if=/dev/zero of=disk.tmp bs=1M count="$mb" conv=fdatasync 2>&1 | sed -n 's/.*copied, \([0-9.]*\) s, \(.*\)/\1 s, \2/p')
rm -f disk.tmp
echo "RESULT disk: ${mb} MB written and fsynced by dd in ${disk}"
if [ -n "$memory_base" ]; then
  key=memory-250ms
  echo "RESULT process --trigger 250ms into memory (tmpfs, no disk write; like kcat's unsynced output): steady ${steady[$key]} events/s (median of ${process_rounds} runs: ${steady_runs[$key]}), ratio $(ratio "${steady[$key]}" "$kcat_unstalled_eps") to kcat's data phase without its stall, $(ratio "${steady[$key]}" "$kcat_data_eps") to its data phase; steal ${steal[$key]} s a run (on the disk: ${steal[this-250ms]} s)"
fi
# The disk's floor for the processor's writes: its output's size (the last --trigger 250ms run),
# appended to as many files as it writes (24 partitions, one open file each) in rounds of 10 and
# 20 MB, each round fdatasynced; then all of it in one file, as kcat's output (dd's pattern).
output_mb=$(awk '{ printf "%.0f", $1 / 1e6 }' output.bytes)
floor=$(dirname "$bin")/bench/durable_write_floor
floors=""
for shape in "24 10" "24 20" "1 $output_mb"; do
  rm -rf floor
  # shellcheck disable=SC2086
  figure=$("$floor" floor "$output_mb" $shape)
  floors+="; $(echo "$figure" | sed -n 's/files=\([0-9]*\) round_mb=\([0-9.]*\) .*seconds=\([0-9.]*\) mb_per_s=\([0-9]*\)/\1 files in rounds of \2 MB: \3 s (\4 MB\/s)/p')"
done
rm -rf floor
echo "RESULT disk floor for the processor's ${output_mb} MB of output (bench/durable_write_floor, no consuming)${floors}"
echo "RESULT load average: $(cut -d' ' -f1-3 /proc/loadavg)"

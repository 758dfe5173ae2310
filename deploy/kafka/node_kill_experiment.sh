#!/usr/bin/env bash
# What a SIGKILLed node does to the pipeline on the local 2-node KRaft cluster: a producer sends
# at a fixed rate, a processor runs, node N is killed, started again after a while, and at the
# end every event sent must be in the output exactly once. Prints a timeline and the counts;
# the figures in deploy/kafka/README.md come from this script.
#
# Usage: deploy/kafka/node_kill_experiment.sh ORDERFLOW_BINARY [--version V] [--rate EPS]
#          [--duration S] [--kill-at S] [--down-for S] [--node N] [--keep]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K="$here/kafka-local.sh"
[ $# -ge 1 ] || { sed -n '7,8p' "$0" >&2; exit 2; }
orderflow="$(realpath "$1")"
shift
version=
rate=2000
duration=60
kill_at=15
down_for=25
node=2
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --kill-at) kill_at="$2"; shift 2 ;;
    --down-for) down_for="$2"; shift 2 ;;
    --node) node="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$orderflow" ] || { echo "not an executable: $orderflow" >&2; exit 2; }

work="$(mktemp -d)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  "$K" stop --dir "$work/kafka" >/dev/null 2>&1 || true
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

t0=$SECONDS
at() { echo "[t=$((SECONDS - t0))s] $*"; }

start_args=(start --ports auto --dir "$work/kafka")
[ -n "$version" ] && start_args+=(--version "$version")
b="$("$K" "${start_args[@]}" | tail -n 1)"
at "cluster up: $b ($(grep VERSION "$work/kafka/cluster.env"))"
cd "$work"
t0=$SECONDS

"$orderflow" process --bootstrap-servers "$b" --starting-offsets earliest --trigger 1s \
  --report-every-seconds 1 >process.log 2>&1 &
proc_pid=$!
pids+=("$proc_pid")
"$orderflow" produce --bootstrap-servers "$b" --events-per-second "$rate" \
  --duration-seconds "$duration" --report-every-seconds 1 >produce.log 2>&1 &
prod_pid=$!
pids+=("$prod_pid")
at "producer ($rate events/s for ${duration}s) and processor started"

valid_lines() { find data/orders_json -name '*.json' -exec cat {} + 2>/dev/null | wc -l; }
leaders() { timeout 10 kcat -L -b "$b" -t orders 2>&1 | grep -oE 'partition [0-9]+, leader -?[0-9]+' |
  sed 's/partition //; s/, leader /:/' | tr '\n' ' ' || true; }

sleep "$kill_at"
at "leaders before the kill: $(leaders)"
at "kill-node $node: $("$K" kill-node "$node" --dir "$work/kafka" 2>&1)"
kill_s=$SECONDS
while [ $((SECONDS - kill_s)) -lt "$down_for" ]; do
  sleep 5
  at "node $node down $((SECONDS - kill_s))s: output lines $(valid_lines); leaders $(leaders)"
done
restart_s=$SECONDS
at "start-node $node: $("$K" start-node "$node" --dir "$work/kafka" 2>&1 | tail -n 1)"
at "leaders after restart: $(leaders)"

prod_rc=0
wait "$prod_pid" || prod_rc=$?
at "producer exited $prod_rc: $(grep -F '[summary]' produce.log || echo 'no summary')"

# Let the processor catch up, then stop it with SIGTERM (a clean stop checkpoints).
sent="$(grep -F '[summary]' produce.log | grep -oE 'sent_ok=[0-9]+' | cut -d= -f2 || echo 0)"
for _ in $(seq 120); do
  [ "$(valid_lines)" -ge "${sent:-0}" ] && break
  if ! kill -0 "$proc_pid" 2>/dev/null; then break; fi
  sleep 1
done
proc_rc=0
if kill -0 "$proc_pid" 2>/dev/null; then
  kill -TERM "$proc_pid"
  wait "$proc_pid" || proc_rc=$?
  at "processor stopped by SIGTERM, exit $proc_rc"
else
  wait "$proc_pid" || proc_rc=$?
  at "processor had exited on its own with $proc_rc"
fi

for n in 1 2; do
  pid="$(cat "$work/kafka/node-$n/pid" 2>/dev/null || true)"
  at "node $n RSS after the run: $(ps -o rss= -p "${pid:-0}" 2>/dev/null | awk '{printf "%d MB", $1/1024}')"
done

echo "--- producer lines around the kill (1 s reports) ---"
grep -vF '[summary]' produce.log | head -n $((kill_at + down_for + 25)) | tail -n $((down_for + 30)) || true
echo "--- processor log: warnings, errors, summary ---"
# Reconnect warnings repeat several times a second while a node is down: count them instead.
echo "($(grep -c 'Connection refused' process.log || true) 'Connection refused' warnings)"
grep -iE 'warn|error|fail|summary|revoked|assigned' process.log | grep -v 'Connection refused' || true
echo "--- counts ---"
out_ids="$(find data/orders_json -name '*.json' -exec cat {} + | grep -oE '"order_id":"[^"]+"' || true)"
total="$(echo "$out_ids" | grep -c . || true)"
unique="$(echo "$out_ids" | sort -u | grep -c . || true)"
invalid="$(find data/invalid_events -name '*.json' -exec cat {} + 2>/dev/null | wc -l)"
echo "sent_ok=$sent valid_output=$total unique_order_ids=$unique duplicates=$((total - unique)) invalid_output=$invalid"
echo "node $node was down $((restart_s - kill_s))s (plus the restart itself); producer exit $prod_rc; processor exit $proc_rc"
[ "$total" = "$sent" ] && [ "$unique" = "$total" ] && [ "$prod_rc" = 0 ] && echo "RESULT: exactly once, no producer error" ||
  echo "RESULT: MISMATCH"

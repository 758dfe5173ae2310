#!/usr/bin/env bash
# Smoke test of deploy/kafka/kafka-local.sh: start on free ports, status, the topic, a second
# start, kill-node / start-node, a tool, and stop leaving no process behind.
# Usage: tests/kafka/kafka_local_test.sh [path/to/kafka-local.sh]
set -euo pipefail

K="${1:-$(cd "$(dirname "$0")/../.." && pwd)/deploy/kafka/kafka-local.sh}"
dir="$(mktemp -d)"
t0=$SECONDS

cleanup() {
  "$K" stop --dir "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($((SECONDS - t0))s)"; }
# Java processes started for this DIR (the script marks their command lines with it).
cluster_pids() { pgrep -f -- "-Dorderflow[.]kafka[.]dir=$dir " || true; }

step "bad usage exits 2"
rc=0; "$K" kill-node 3 --dir "$dir" 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "kill-node 3 exited $rc, want 2"
rc=0; "$K" start --ports nonsense --dir "$dir" 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "start --ports nonsense exited $rc, want 2"

step "start --ports auto"
out="$("$K" start --ports auto --dir "$dir")" || fail "start exited $?"
bootstrap="$(echo "$out" | tail -n 1)"
[[ "$bootstrap" =~ ^127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+$ ]] || fail "last line is not a bootstrap list: '$bootstrap'"
[ "$(cat "$dir/bootstrap")" = "$bootstrap" ] || fail "$dir/bootstrap differs from '$bootstrap'"
[ "$(cluster_pids | wc -l)" -eq 2 ] || fail "want 2 java processes for $dir, have: $(cluster_pids | tr '\n' ' ')"

step "status: both running"
"$K" status --dir "$dir" || fail "status exited non-zero on a running cluster"

step "topic orders: 6 partitions, RF 2, min.insync.replicas 1"
desc="$("$K" tool kafka-topics --bootstrap-server "$bootstrap" --describe --topic orders --dir "$dir")"
echo "$desc" | head -n 1
echo "$desc" | grep -q 'PartitionCount: 6' || fail "orders has not 6 partitions"
echo "$desc" | grep -q 'ReplicationFactor: 2' || fail "orders has not RF 2"
echo "$desc" | grep -q 'min.insync.replicas=1' || fail "orders lacks min.insync.replicas=1"
[ "$(echo "$desc" | grep -c 'Leader: [12]')" -eq 6 ] || fail "not every partition has a leader"

step "second start on the running cluster"
out="$("$K" start --dir "$dir")" || fail "second start exited $?"
echo "$out" | grep -q 'already running' || fail "second start did not say it was running: $out"
[ "$(echo "$out" | tail -n 1)" = "$bootstrap" ] || fail "second start's last line is not the bootstrap list"

step "kill-node 2"
"$K" kill-node 2 --dir "$dir"
rc=0; st="$("$K" status --dir "$dir")" || rc=$?
[ "$rc" -ne 0 ] || fail "status exited 0 with node 2 killed"
echo "$st" | grep -q 'node 2: stopped' || fail "status does not show node 2 stopped: $st"
[ "$(cluster_pids | wc -l)" -eq 1 ] || fail "want 1 java process after kill-node 2"

step "start-node 2"
"$K" start-node 2 --dir "$dir"
"$K" status --dir "$dir" || fail "status exited non-zero after start-node 2"

step "tool kafka-topics --list"
list="$("$K" tool kafka-topics --bootstrap-server "$bootstrap" --list --dir "$dir")"
echo "$list" | grep -qx orders || fail "kafka-topics --list does not list orders: $list"

step "stop"
"$K" stop --dir "$dir"
[ -z "$(cluster_pids)" ] || fail "java processes of $dir left after stop: $(cluster_pids | tr '\n' ' ')"
rc=0; "$K" status --dir "$dir" >/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "status exited 0 after stop"

step "PASS"

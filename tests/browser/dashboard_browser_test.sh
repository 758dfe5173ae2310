#!/usr/bin/env bash
# Browser test of `orderflow dashboard` (ctest dashboard_browser): starts an embedded broker,
# the processor, the tracker, a valid and an invalid producer (all with --metrics-listen) and
# the dashboard in a temporary directory, then opens the page in headless Chromium
# (dashboard_page.mjs) and checks that the live figures appear and change. Saves a screenshot.
# Usage: dashboard_browser_test.sh ORDERFLOW_BINARY SCREENSHOT.png
set -euo pipefail
bin=$(realpath "$1")
screenshot=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/orderflow-browser.XXXXXX)
pids=()
cleanup() {
  # Newest first, the broker last: clients close cleanly while it is still there.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  if [ "${keep_logs:-0}" = 1 ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
cd "$work"

start() {  # start NAME ARGS...: runs orderflow ARGS in the background, output in NAME.log
  local name=$1; shift
  "$bin" "$@" >"$name.log" 2>&1 &
  pids+=($!)
}
wait_for() {  # wait_for FILE PATTERN: prints the first match of PATTERN in FILE (20 s at most)
  for _ in $(seq 200); do
    if grep -oE "$2" "$1" 2>/dev/null | head -1 | grep .; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; keep_logs=1; exit 1
}

start broker broker
wait_for broker.log 'bootstrap published' >/dev/null
start processor process --metrics-listen 127.0.0.1:0 --trigger 500ms --starting-offsets earliest --report-every-seconds 0
start tracker track --metrics-listen 127.0.0.1:0 --report-every-seconds 0
start producer produce --metrics-listen 127.0.0.1:0 --events-per-second 400 --duration-seconds 90 --profile realistic --report-every-seconds 0
start invalid produce --metrics-listen 127.0.0.1:0 --invalid-mode random --events-per-second 8 --duration-seconds 90 --report-every-seconds 0
targets=""
for name in processor tracker producer invalid; do
  url=$(wait_for $name.log 'http://[0-9.]+:[0-9]+/metrics')
  targets+="${targets:+,}${url#http://}"
done
start dashboard dashboard --listen 127.0.0.1:0 --metrics "$targets"
page=$(wait_for dashboard.log 'http://[0-9.]+:[0-9]+/')

# Bad requests get 4xx, never a crash.
for path in /../CMakeLists.txt /..%2f..%2fetc/passwd /nope.js /%00 "/index.html?x=<script>"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${page%/}$path" || true)
  case "$code" in 200) [ "$path" = "/index.html?x=<script>" ] || { echo "GET $path: $code" >&2; exit 1; } ;;
                  4??) ;;
                  *) echo "GET $path: $code" >&2; exit 1 ;; esac
done

if ! node "$here/dashboard_page.mjs" "$page" "$screenshot" 2> >(grep -v -e dbus -e 'Fontconfig' >&2); then
  keep_logs=1
  exit 1
fi
kill -0 "${pids[-1]}" || { echo "the dashboard died" >&2; cat dashboard.log >&2; exit 1; }

#!/usr/bin/env bash
# The long crash torture: the same test as `make test`'s short one
# (CrashTortureTest in tests/e2e/reliability_e2e_test.cc), with >= 20 kills over 1,000,000
# events (produced first: the embedded cluster cannot retain 1M events sent in tiny batches;
# the short test produces while killing) with the kills spread over the run (random SIGKILLs during joins and
# batches, and the test-only crash points between the steps of a batch commit).
# 48 partitions keep 1M lz4-compressed events within the embedded cluster's retention.
# Usage: scripts/crash_torture.sh [EVENTS=1000000] [KILLS=24] [BUILD_DIR=build]
# Env: ORDERFLOW_TORTURE_PARTITIONS (48), ORDERFLOW_TORTURE_RATE (events/s while killing; 0 = all first, the default here),
#      ORDERFLOW_TORTURE_SEED (kill schedule; default: the time).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
kills=${2:-24}
build=${3:-build}
[ -x "$build/tests/e2e/reliability_e2e_test" ] || cmake --build "$build" --target reliability_e2e_test orderflow -j2
ORDERFLOW_TORTURE_EVENTS=$events ORDERFLOW_TORTURE_KILLS=$kills \
ORDERFLOW_TORTURE_PARTITIONS=${ORDERFLOW_TORTURE_PARTITIONS:-48} \
ORDERFLOW_TORTURE_RATE=${ORDERFLOW_TORTURE_RATE:-0} \
  "$build/tests/e2e/reliability_e2e_test" --gtest_filter='CrashTortureTest.*' 2>&1 |
  grep -E '^\[torture\]|^\[ *(OK|FAILED|RUN) *\]|Failure|Expected|Which is|valid_lines' 

# Sourced by the scripts that run on the embedded cluster (bench/*.sh, tests/spark): the one place
# that starts `orderflow broker` and reads the bootstrap it publishes (data/broker.bootstrap,
# common/data_layout.h).
#   start_embedded_broker BINARY [broker flags...]
# starts it in the current directory (its log: broker.log), sets $broker (its pid) and $bootstrap,
# and returns 1 with the log on stderr when no bootstrap is published within 20 s.
start_embedded_broker() {
  "$1" broker "${@:2}" > broker.log 2>&1 &
  broker=$!
  for _ in $(seq 200); do [ -s data/broker.bootstrap ] && break; sleep 0.1; done
  if [ ! -s data/broker.bootstrap ]; then
    cat broker.log >&2
    echo "the embedded broker did not start" >&2
    return 1
  fi
  bootstrap=$(cat data/broker.bootstrap)
}

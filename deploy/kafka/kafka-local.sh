#!/usr/bin/env bash
# A local 2-node Apache Kafka cluster in KRaft mode (the original's topology), from Maven
# Central's jars: no Docker, no tarball. Both nodes are broker+controller (node ids 1 and 2,
# both voters), listen on 127.0.0.1, and keep data, logs and state under DIR.
#
#   kafka-local.sh start      [--dir DIR] [--version V] [--ports P1,P2|auto]
#   kafka-local.sh stop       [--dir DIR]
#   kafka-local.sh status     [--dir DIR]
#   kafka-local.sh kill-node N   [--dir DIR]   # SIGKILL node N (1 or 2)
#   kafka-local.sh start-node N  [--dir DIR]
#   kafka-local.sh tool NAME [ARGS...] [--dir DIR]   # a Kafka CLI tool, e.g. kafka-topics
#
# start prints the bootstrap list as its last line of stdout and writes it to DIR/bootstrap.
# Exit codes: 0 done, 1 runtime failure, 2 bad usage. See deploy/kafka/README.md.
set -euo pipefail

readonly DEFAULT_VERSION=3.9.2 # newest 3.9.x on Maven Central (3.9.3 is not served)
readonly DEFAULT_PORTS=9092,9094
readonly TOPIC=orders
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly CACHE_ROOT="${ORDERFLOW_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orderflow}"
readonly START_TIMEOUT_S="${KAFKA_LOCAL_START_TIMEOUT:-120}"
readonly STOP_TIMEOUT_S="${KAFKA_LOCAL_STOP_TIMEOUT:-30}"
# Bounded heap per node; Kafka's own default is 1 GB.
readonly NODE_HEAP="${KAFKA_LOCAL_HEAP_OPTS:--Xmx512m -Xms256m}"

usage() {
  sed -n '6,11p' "${BASH_SOURCE[0]}" | sed 's/^#  */  /' >&2
}
die() { echo "kafka-local: $*" >&2; exit 1; }
usage_error() { echo "kafka-local: $*" >&2; usage; exit 2; }
log() { echo "kafka-local: $*"; }

# ---- arguments ---------------------------------------------------------------------------

cmd="${1:-}"
[ -n "$cmd" ] || usage_error "missing command"
shift
dir=.kafka-local
version=
ports=
node=
tool_name=
tool_args=()

case "$cmd" in
  start | stop | status) ;;
  kill-node | start-node)
    node="${1:-}"
    [[ "$node" == 1 || "$node" == 2 ]] || usage_error "$cmd needs a node number, 1 or 2 (got '${node}')"
    shift
    ;;
  tool)
    tool_name="${1:-}"
    [ -n "$tool_name" ] || usage_error "tool needs a NAME, e.g. kafka-topics"
    shift
    # Everything but --dir goes to the tool untouched.
    while [ $# -gt 0 ]; do
      case "$1" in
        --dir) [ $# -ge 2 ] || usage_error "--dir needs a value"; dir="$2"; shift 2 ;;
        --dir=*) dir="${1#--dir=}"; shift ;;
        *) tool_args+=("$1"); shift ;;
      esac
    done
    ;;
  -h | --help | help) usage; exit 0 ;;
  *) usage_error "unknown command '$cmd'" ;;
esac

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage_error "--dir needs a value"; dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    --version | --ports)
      [ "$cmd" = start ] || usage_error "$1 is an option of start only"
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      if [ "$1" = --version ]; then version="$2"; else ports="$2"; fi
      shift 2
      ;;
    --version=* | --ports=*)
      [ "$cmd" = start ] || usage_error "${1%%=*} is an option of start only"
      if [[ "$1" == --version=* ]]; then version="${1#*=}"; else ports="${1#*=}"; fi
      shift
      ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[ -n "$dir" ] || usage_error "--dir needs a value"
if [ -n "$version" ] && ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]]; then
  usage_error "--version must look like 3.9.2 or 4.1.0 (got '$version')"
fi
if [ -n "$ports" ] && [ "$ports" != auto ] && ! [[ "$ports" =~ ^[0-9]+,[0-9]+$ ]]; then
  usage_error "--ports must be P1,P2 or auto (got '$ports')"
fi

# Absolute, so that the marker in each java command line names this cluster only.
abs_dir() {
  local d="$1"
  if [ -d "$d" ]; then (cd "$d" && pwd); else
    case "$d" in /*) echo "$d" ;; *) echo "$PWD/$d" ;; esac
  fi
}
DIR="$(abs_dir "$dir")"
readonly DIR STATE="$DIR/cluster.env"

# ---- state remembered in DIR -----------------------------------------------------------

# cluster.env holds KEY=VALUE lines written by this script; read without `source`.
declare -A S=()
load_state() {
  [ -f "$STATE" ] || return 1
  local k v
  while IFS='=' read -r k v; do
    [[ "$k" =~ ^[A-Z0-9_]+$ ]] && S[$k]="$v"
  done <"$STATE"
  return 0
}
save_state() {
  local tmp="$STATE.tmp"
  {
    for k in VERSION CLUSTER_ID PORT1 PORT2 CTRL1 CTRL2; do echo "$k=${S[$k]}"; done
  } >"$tmp"
  mv "$tmp" "$STATE"
}
bootstrap() { echo "127.0.0.1:${S[PORT1]},127.0.0.1:${S[PORT2]}"; }
node_dir() { echo "$DIR/node-$1"; }
major_of() { echo "${1%%.*}"; }

# ---- jars: resolved once per version, outside the repo ----------------------------------

libs_dir() { echo "$CACHE_ROOT/kafka-$1"; }

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found: install a JDK 17 (scripts/install-deps.sh installs openjdk-17-jdk-headless)"
}

# Prints the directory of jars for version $1, running Maven only when it is not cached yet.
resolve_jars() {
  local v="$1" dest
  dest="$(libs_dir "$v")"
  if [ -f "$dest/complete" ]; then echo "$dest"; return 0; fi
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found: install Maven (scripts/install-deps.sh installs maven)"
  mkdir -p "$CACHE_ROOT"
  # Parallel first starts (tests) must not resolve into the same directory at once.
  exec 8>"$CACHE_ROOT/.kafka-$v.lock"
  flock 8
  if [ ! -f "$dest/complete" ]; then
    local line tmp mvn_log
    line=3
    [ "$(major_of "$v")" -ge 4 ] && line=4
    tmp="$CACHE_ROOT/.kafka-$v.tmp.$$"
    mvn_log="$CACHE_ROOT/kafka-$v.maven.log"
    rm -rf "$tmp"
    log "resolving Apache Kafka $v from Maven Central (once; log: $mvn_log)" >&2
    if ! mvn -B -f "$SCRIPT_DIR/pom.xml" -Dkafka.version="$v" -Dkafka.line="$line" \
      -Dkafka.libs="$tmp/libs" dependency:copy-dependencies >"$mvn_log" 2>&1; then
      rm -rf "$tmp"
      grep -m1 -E '\[ERROR\]' "$mvn_log" >&2 || tail -n 5 "$mvn_log" >&2
      die "Maven could not resolve org.apache.kafka:kafka_2.13:$v (is that version on Maven Central?)"
    fi
    # Class index: `tool NAME` picks the class a version has (tools moved between 3.x and 4.x).
    local jar
    for jar in "$tmp"/libs/*.jar; do
      unzip -Z1 "$jar" 2>/dev/null | grep '\.class$' | grep -v '\$' || true
    done | sed 's/\.class$//; s#/#.#g' | sort -u >"$tmp/classes.txt"
    echo "$v" >"$tmp/complete"
    rm -rf "$dest"
    mv "$tmp" "$dest"
  fi
  exec 8>&-
  echo "$dest"
}

# Logging: the broker writes to DIR/node-N/logs/server.log, tools to DIR/logs/tools.log;
# nothing goes to the terminal. 3.x uses reload4j (log4j 1 syntax), 4.x uses log4j2.
write_log_configs() {
  local v="$1"
  mkdir -p "$DIR/logs"
  if [ "$(major_of "$v")" -ge 4 ]; then
    cat >"$DIR/log4j2-server.properties" <<'EOF'
status = warn
appender.f.type = RollingFile
appender.f.name = f
appender.f.fileName = ${sys:kafka.logs.dir}/server.log
appender.f.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.f.layout.type = PatternLayout
appender.f.layout.pattern = [%d] %p %m (%c)%n
appender.f.policies.type = Policies
appender.f.policies.size.type = SizeBasedTriggeringPolicy
appender.f.policies.size.size = 20MB
appender.f.strategy.type = DefaultRolloverStrategy
appender.f.strategy.max = 2
rootLogger.level = info
rootLogger.appenderRef.f.ref = f
logger.req.name = kafka.request.logger
logger.req.level = warn
EOF
    # shellcheck disable=SC2016 # ${sys:...} is log4j2's syntax, not the shell's
    sed -e 's/rootLogger.level = info/rootLogger.level = warn/' \
      -e 's#${sys:kafka.logs.dir}/server.log#${sys:kafka.logs.dir}/tools.log#g' \
      "$DIR/log4j2-server.properties" >"$DIR/log4j2-tools.properties"
  else
    cat >"$DIR/log4j-server.properties" <<'EOF'
log4j.rootLogger=INFO, f
log4j.appender.f=org.apache.log4j.RollingFileAppender
log4j.appender.f.File=${kafka.logs.dir}/server.log
log4j.appender.f.MaxFileSize=20MB
log4j.appender.f.MaxBackupIndex=2
log4j.appender.f.layout=org.apache.log4j.PatternLayout
log4j.appender.f.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
EOF
    sed -e 's/rootLogger=INFO/rootLogger=WARN/' -e 's#/server.log#/tools.log#' \
      "$DIR/log4j-server.properties" >"$DIR/log4j-tools.properties"
  fi
}

log_opts() { # $1 = server|tools
  if [ "$(major_of "${S[VERSION]}")" -ge 4 ]; then
    echo "-Dlog4j2.configurationFile=$DIR/log4j2-$1.properties"
  else
    echo "-Dlog4j.configuration=file:$DIR/log4j-$1.properties"
  fi
}

# ---- processes ----------------------------------------------------------------------------

marker() { echo "-Dorderflow.kafka.dir=$DIR"; }

# The pid of node $1 when it is alive and really is that node of this DIR (pids get reused).
node_pid() {
  local f pid
  f="$(node_dir "$1")/pid"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "$(marker)" || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "-Dorderflow.kafka.node=$1" || return 1
  # A zombie or a process being torn down does not count as running.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Free loopback ports chosen by the kernel; all sockets are held until every port is chosen,
# so the ports differ from each other.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

log_tail() { # $1 = node
  local d
  d="$(node_dir "$1")/logs"
  echo "--- last lines of $d/server.log and stdout.log ---" >&2
  tail -n 15 "$d/server.log" 2>/dev/null >&2 || true
  tail -n 10 "$d/stdout.log" 2>/dev/null >&2 || true
}

write_node_config() { # $1 = node
  local n="$1" d port ctrl
  d="$(node_dir "$n")"
  port="${S[PORT$n]}"
  ctrl="${S[CTRL$n]}"
  mkdir -p "$d/data" "$d/logs"
  cat >"$d/server.properties" <<EOF
# Written by kafka-local.sh: node $n of a 2-node KRaft cluster, both nodes broker+controller.
process.roles=broker,controller
node.id=$n
controller.quorum.voters=1@127.0.0.1:${S[CTRL1]},2@127.0.0.1:${S[CTRL2]}
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctrl
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$d/data
# The original's settings (cp-kafka 7.8 in docker-compose).
num.partitions=6
default.replication.factor=2
min.insync.replicas=1
offsets.topic.replication.factor=2
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=2
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Small machine: fewer threads than Kafka's defaults.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
# Retention by size or time is applied within seconds, not Kafka's 5 minutes: a topic's small
# retention.bytes (the real-Kafka retention test) takes effect while someone waits for it.
log.retention.check.interval.ms=2000
EOF
}

launch_node() { # $1 = node; starts the JVM in its own session, returns at once
  local n="$1" d
  d="$(node_dir "$n")"
  # A fresh server.log per launch, so "started" below means this launch.
  [ -f "$d/logs/server.log" ] && mv "$d/logs/server.log" "$d/logs/server.previous.log"
  rm -f "$d/pid"
  # The child writes its own pid (= java's after exec); setsid keeps it out of our session.
  # shellcheck disable=SC2086,SC2016 # NODE_HEAP holds several options; $$ is the child's
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$d/pid" \
    java $NODE_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    "$(marker)" "-Dorderflow.kafka.node=$n" "-Dkafka.logs.dir=$d/logs" "$(log_opts server)" \
    -cp "$LIBS/libs/*" kafka.Kafka "$d/server.properties" \
    >"$d/logs/stdout.log" 2>&1 </dev/null 9>&- &
  local _
  for _ in $(seq 50); do [ -s "$d/pid" ] && return 0; sleep 0.1; done
  die "node $n did not start a process"
}

# Waits until node $1 logs that it started and accepts connections; dies with its log tail.
wait_node() {
  local n="$1" d deadline
  d="$(node_dir "$n")"
  deadline=$((SECONDS + START_TIMEOUT_S))
  while :; do
    if ! node_pid "$n" >/dev/null; then
      log_tail "$n"
      die "node $n exited while starting (logs in $d/logs)"
    fi
    if grep -q 'Kafka Server started' "$d/logs/server.log" 2>/dev/null && port_open "${S[PORT$n]}"; then
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$n"
      die "node $n did not come up within ${START_TIMEOUT_S}s (logs in $d/logs)"
    fi
    sleep 0.5
  done
}

stop_pids() { # SIGTERM, wait, then SIGKILL; $@ = pids
  local deadline pid alive
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while :; do
    alive=()
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "still running after ${STOP_TIMEOUT_S}s, sending SIGKILL to ${alive[*]}" >&2
      kill -KILL "${alive[@]}" 2>/dev/null || true
      sleep 0.5
      return 0
    fi
    sleep 0.2
  done
}

# ---- tools --------------------------------------------------------------------------------

# The main class of a Kafka CLI tool (the name of its bin/ script) in this version's jars.
tool_class() {
  local name="${1%.sh}" c candidates
  case "$name" in
    *.*) candidates="$name" ;; # a class name given as is
    kafka-topics) candidates="org.apache.kafka.tools.TopicCommand kafka.admin.TopicCommand" ;;
    kafka-consumer-groups) candidates="org.apache.kafka.tools.consumer.group.ConsumerGroupCommand kafka.admin.ConsumerGroupCommand" ;;
    kafka-configs) candidates="org.apache.kafka.tools.ConfigCommand kafka.admin.ConfigCommand" ;;
    kafka-storage) candidates="kafka.tools.StorageTool" ;;
    kafka-console-producer) candidates="org.apache.kafka.tools.ConsoleProducer kafka.tools.ConsoleProducer" ;;
    kafka-console-consumer) candidates="org.apache.kafka.tools.consumer.ConsoleConsumer kafka.tools.ConsoleConsumer" ;;
    kafka-metadata-quorum) candidates="org.apache.kafka.tools.MetadataQuorumCommand" ;;
    kafka-get-offsets) candidates="org.apache.kafka.tools.GetOffsetShell kafka.tools.GetOffsetShell" ;;
    kafka-producer-perf-test) candidates="org.apache.kafka.tools.ProducerPerformance" ;;
    kafka-consumer-perf-test) candidates="org.apache.kafka.tools.ConsumerPerformance kafka.tools.ConsumerPerformance" ;;
    kafka-delete-records) candidates="org.apache.kafka.tools.DeleteRecordsCommand kafka.admin.DeleteRecordsCommand" ;;
    kafka-log-dirs) candidates="org.apache.kafka.tools.LogDirsCommand kafka.admin.LogDirsCommand" ;;
    kafka-dump-log) candidates="org.apache.kafka.tools.DumpLogSegments kafka.tools.DumpLogSegments" ;;
    kafka-reassign-partitions) candidates="org.apache.kafka.tools.reassign.ReassignPartitionsCommand kafka.admin.ReassignPartitionsCommand" ;;
    kafka-leader-election) candidates="org.apache.kafka.tools.LeaderElectionCommand kafka.admin.LeaderElectionCommand" ;;
    kafka-features) candidates="org.apache.kafka.tools.FeatureCommand kafka.admin.FeatureCommand" ;;
    kafka-transactions) candidates="org.apache.kafka.tools.TransactionsCommand" ;;
    kafka-acls) candidates="org.apache.kafka.tools.AclCommand kafka.admin.AclCommand" ;;
    kafka-broker-api-versions) candidates="org.apache.kafka.tools.BrokerApiVersionsCommand kafka.admin.BrokerApiVersionsCommand" ;;
    kafka-cluster) candidates="org.apache.kafka.tools.ClusterTool kafka.tools.ClusterTool" ;;
    kafka-verifiable-producer) candidates="org.apache.kafka.tools.VerifiableProducer" ;;
    kafka-verifiable-consumer) candidates="org.apache.kafka.tools.VerifiableConsumer" ;;
    *) return 2 ;;
  esac
  for c in $candidates; do
    if grep -qxF "$c" "$LIBS/classes.txt"; then echo "$c"; return 0; fi
  done
  return 1
}

# Runs a tool in the foreground; a short-lived JVM, so C1 only and a small heap start it faster.
run_tool() { # $1 = class, rest = its arguments
  local class="$1"
  shift
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
    "-Dkafka.logs.dir=$DIR/logs" "$(log_opts tools)" -cp "$LIBS/libs/*" "$class" "$@"
}

# Creates `orders` (6 partitions, RF 2) unless it exists, then waits until it has 6
# partitions, RF 2 and both replicas in sync: proof that both brokers serve.
ensure_topic() {
  local topics deadline out b
  topics="$(tool_class kafka-topics)"
  b="$(bootstrap)"
  deadline=$((SECONDS + START_TIMEOUT_S))
  # Creation with RF 2 fails until both brokers have registered; retry until then.
  until out="$(run_tool "$topics" --bootstrap-server "$b" --create --if-not-exists --topic "$TOPIC" \
    --partitions 6 --replication-factor 2 --config min.insync.replicas=1 2>&1)"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$out" | tail -n 5 >&2
      die "could not create topic $TOPIC on $b within ${START_TIMEOUT_S}s"
    fi
    sleep 1
  done
  while :; do
    out="$(run_tool "$topics" --bootstrap-server "$b" --describe --topic "$TOPIC" 2>&1 || true)"
    if echo "$out" | grep -q 'PartitionCount: 6' && echo "$out" | grep -q 'ReplicationFactor: 2' &&
      [ "$(echo "$out" | grep -cE 'Isr: ([0-9]+,[0-9]+)')" -eq 6 ]; then
      return 0
    fi
    if echo "$out" | grep -q 'PartitionCount:' &&
      ! { echo "$out" | grep -q 'PartitionCount: 6' && echo "$out" | grep -q 'ReplicationFactor: 2'; }; then
      echo "$out" | head -n 1 >&2
      die "topic $TOPIC exists with other settings than 6 partitions, RF 2"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$out" | tail -n 8 >&2
      die "topic $TOPIC did not get 6 partitions with 2 in-sync replicas within ${START_TIMEOUT_S}s"
    fi
    sleep 1
  done
}

# ---- commands -----------------------------------------------------------------------------

# A Kafka Uuid: 16 random bytes, base64url without padding. Like Kafka's Uuid.randomUuid, never
# one that starts with '-', which the storage tool would parse as an option.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || break
  done
  echo "$id"
}

pick_ports() {
  local p1 p2 c1 c2 p
  if [ "$ports" = auto ]; then
    read -r p1 p2 c1 c2 <<<"$(free_ports 4)" || die "could not pick free ports (python3 missing?)"
  else
    p1="${ports%,*}"
    p2="${ports#*,}"
    [ "$p1" != "$p2" ] || usage_error "--ports needs two different ports"
    for p in "$p1" "$p2"; do
      if [ "$p" -lt 1 ] || [ "$p" -gt 65534 ]; then usage_error "port $p is out of range"; fi
    done
    # Controllers next to their brokers (9093, 9095 by default) unless those are taken.
    c1=$((p1 + 1))
    c2=$((p2 + 1))
    if [ "$c1" = "$p2" ] || [ "$c2" = "$p1" ] || port_open "$c1" || port_open "$c2"; then
      read -r c1 c2 <<<"$(free_ports 2)" || die "could not pick free ports (python3 missing?)"
    fi
  fi
  S[PORT1]="$p1"
  S[PORT2]="$p2"
  S[CTRL1]="$c1"
  S[CTRL2]="$c2"
}

check_ports_free() { # $@ = nodes about to start
  local n p
  for n in "$@"; do
    for p in "${S[PORT$n]}" "${S[CTRL$n]}"; do
      if port_open "$p"; then
        die "port $p (node $n) is busy: stop what listens there, or use a new --dir with --ports auto"
      fi
    done
  done
}

format_node() { # $1 = node
  local n="$1" d out storage
  d="$(node_dir "$n")"
  [ -f "$d/data/meta.properties" ] && return 0
  storage="$(tool_class kafka-storage)"
  if ! out="$(run_tool "$storage" format -t "${S[CLUSTER_ID]}" -c "$d/server.properties" 2>&1)"; then
    echo "$out" | tail -n 5 >&2
    die "formatting the storage of node $n failed"
  fi
}

cmd_start() {
  local have_state=0 v n down=()
  require_java
  load_state && have_state=1
  if [ "$have_state" = 1 ]; then
    # Restarting a cluster of this DIR: its version and ports are fixed by its data.
    if [ -n "$version" ] && [ "$version" != "${S[VERSION]}" ]; then
      usage_error "$DIR holds a Kafka ${S[VERSION]} cluster; use another --dir for $version"
    fi
    if [ -n "$ports" ] && [ "$ports" != auto ] && [ "$ports" != "${S[PORT1]},${S[PORT2]}" ]; then
      usage_error "$DIR holds a cluster on ports ${S[PORT1]},${S[PORT2]}; use another --dir for $ports"
    fi
  fi
  for n in 1 2; do node_pid "$n" >/dev/null || down+=("$n"); done
  if [ "$have_state" = 1 ] && [ ${#down[@]} -eq 0 ]; then
    log "already running in $DIR (Kafka ${S[VERSION]})"
    bootstrap
    return 0
  fi

  local t0=$SECONDS
  if [ "$have_state" = 0 ]; then
    v="${version:-$DEFAULT_VERSION}"
    [ "$(major_of "$v")" -ge 3 ] || usage_error "KRaft needs Kafka 3.x or newer (got $v)"
    mkdir -p "$DIR"
    S[VERSION]="$v"
    ports="${ports:-$DEFAULT_PORTS}"
    pick_ports
    S[CLUSTER_ID]="$(new_cluster_id)"
  fi
  LIBS="$(resolve_jars "${S[VERSION]}")"
  check_ports_free "${down[@]}"
  save_state
  write_log_configs "${S[VERSION]}"
  bootstrap >"$DIR/bootstrap"
  for n in "${down[@]}"; do write_node_config "$n"; done
  # Both formats in parallel: each is a JVM start.
  local pids=()
  for n in "${down[@]}"; do format_node "$n" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || exit 1; done
  # A start that fails half-way must not leave a node running behind the caller's back.
  STARTING_NODES=("${down[@]}")
  trap stop_starting_nodes EXIT
  for n in "${down[@]}"; do launch_node "$n"; done
  for n in "${down[@]}"; do wait_node "$n"; done
  ensure_topic
  trap - EXIT
  log "Kafka ${S[VERSION]} running in $DIR: nodes 1 and 2 up, topic $TOPIC 6 partitions RF 2 ($((SECONDS - t0))s)"
  bootstrap
}

STARTING_NODES=()
stop_starting_nodes() {
  local rc=$? n pid pids=()
  [ "$rc" -ne 0 ] || return 0
  for n in "${STARTING_NODES[@]}"; do
    if pid="$(node_pid "$n")"; then pids+=("$pid"); fi
  done
  if [ ${#pids[@]} -gt 0 ]; then
    echo "kafka-local: start failed, stopping the nodes it started" >&2
    stop_pids "${pids[@]}" >&2
  fi
  exit "$rc"
}

need_state() {
  load_state || die "no cluster in $DIR (run: $0 start --dir $DIR)"
}

cmd_stop() {
  if ! load_state; then log "no cluster in $DIR, nothing to stop"; return 0; fi
  local n pid pids=()
  for n in 1 2; do
    if pid="$(node_pid "$n")"; then pids+=("$pid"); fi
  done
  if [ ${#pids[@]} -eq 0 ]; then log "not running ($DIR)"; return 0; fi
  # Both at once: with two voters, either one alone would wait for the lost quorum.
  stop_pids "${pids[@]}"
  for n in 1 2; do rm -f "$(node_dir "$n")/pid"; done
  log "stopped ($DIR)"
}

cmd_status() {
  need_state
  local n pid up=0
  for n in 1 2; do
    if pid="$(node_pid "$n")"; then
      if port_open "${S[PORT$n]}"; then
        echo "node $n: running (pid $pid, 127.0.0.1:${S[PORT$n]}, controller 127.0.0.1:${S[CTRL$n]})"
        up=$((up + 1))
      else
        echo "node $n: starting (pid $pid, 127.0.0.1:${S[PORT$n]} not accepting connections yet)"
      fi
    else
      echo "node $n: stopped (127.0.0.1:${S[PORT$n]})"
    fi
  done
  echo "Kafka ${S[VERSION]}, cluster id ${S[CLUSTER_ID]}, dir $DIR"
  echo "bootstrap: $(bootstrap)"
  [ "$up" -eq 2 ]
}

cmd_kill_node() {
  need_state
  local pid
  if ! pid="$(node_pid "$node")"; then log "node $node is not running"; return 0; fi
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(node_dir "$node")/pid"
  log "node $node killed (pid $pid)"
}

cmd_start_node() {
  need_state
  require_java
  if node_pid "$node" >/dev/null; then log "node $node is already running"; return 0; fi
  LIBS="$(resolve_jars "${S[VERSION]}")"
  check_ports_free "$node"
  write_log_configs "${S[VERSION]}"
  write_node_config "$node"
  format_node "$node"
  local t0=$SECONDS
  launch_node "$node"
  wait_node "$node"
  log "node $node running on 127.0.0.1:${S[PORT$node]} ($((SECONDS - t0))s)"
}

cmd_tool() {
  require_java
  if ! load_state; then S[VERSION]="$DEFAULT_VERSION"; fi
  LIBS="$(resolve_jars "${S[VERSION]}")"
  mkdir -p "$DIR/logs"
  [ -f "$DIR/log4j-tools.properties" ] || [ -f "$DIR/log4j2-tools.properties" ] ||
    write_log_configs "${S[VERSION]}"
  local class rc=0
  class="$(tool_class "$tool_name")" || rc=$?
  case "$rc" in
    0) ;;
    2) usage_error "unknown tool '$tool_name' (use a bin/ script name such as kafka-topics, or a class name)" ;;
    *) die "Kafka ${S[VERSION]} has no class for $tool_name" ;;
  esac
  run_tool "$class" "${tool_args[@]}"
}

# One command at a time changes a cluster: a second `start` (or a stop) on the same DIR waits for
# the first instead of racing it. The nodes do not inherit the lock (9>&- in launch_node).
lock_dir() {
  if [ "$cmd" = start ]; then mkdir -p "$DIR"; fi
  [ -d "$DIR" ] || return 0
  exec 9>"$DIR/.lock"
  flock 9
}

case "$cmd" in
  start | stop | kill-node | start-node) lock_dir ;;
esac
case "$cmd" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill-node) cmd_kill_node ;;
  start-node) cmd_start_node ;;
  tool) cmd_tool ;;
esac

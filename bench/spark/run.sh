#!/usr/bin/env bash
# run.sh CLASS [ARGS...]: one of the Spark peers (OrdersStreamingJob, SparkReadCheck) in one JVM,
# local[2], bounded heap (SPARK_PEER_HEAP, default 1g), no UI, warnings only. Builds first if
# needed (build.sh). Java 17 needs the --add-opens list of Spark's launcher (JavaModuleOptions).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $# -ge 1 ]] || { echo "usage: run.sh CLASS [ARGS...]" >&2; exit 2; }
class=$1; shift
"$here/build.sh"
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}  # loopback only
exec java -Xmx"${SPARK_PEER_HEAP:-1g}" -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false \
  -Dio.netty.tryReflectionSetAccessible=true \
  -Dlog4j2.configurationFile="$here/log4j2.properties" \
  -cp "$here/target/classes:$here/target/lib/*" "orderflow.spark.$class" "$@"

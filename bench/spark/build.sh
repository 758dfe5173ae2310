#!/usr/bin/env bash
# build.sh: compile the Spark peers and copy their runtime jars into target/lib.
# The first run resolves Spark from Maven Central (about 224 MB of jars, 151 files, ~2 min here);
# later runs are offline (-o) and skip Maven altogether when nothing changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
stamp=target/.built
if [[ -f $stamp && -d target/lib ]] &&
   [[ -z $(find pom.xml src -newer "$stamp" -print -quit) ]]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "build.sh: mvn not found (scripts/install-deps.sh installs maven)" >&2; exit 1; }
# Offline first: once ~/.m2 holds the jars, nothing touches the network.
if ! mvn -B -q -o -s settings.xml package -DskipTests >target.offline.log 2>&1; then
  echo "build.sh: resolving Spark from Maven Central (first run: ~224 MB)" >&2
  mvn -B -q -s settings.xml package -DskipTests
fi
rm -f target.offline.log
touch "$stamp"

#!/usr/bin/env bash
# Installs the Debian packages orderflow needs to build, test and run; idempotent, and quiet
# when everything is already there. Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  librdkafka-dev libsimdjson-dev libfmt-dev libspdlog-dev libcli11-dev libcpp-httplib-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libzstd-dev zstd  # process --compression gzip / zstd (zstd: zstdcat in tests)
  gnuplot-nox kcat ccache
  prometheus chromium nodejs curl  # promtool rule checks; the dashboard browser test
  clang clang-format libclang-rt-14-dev
  openjdk-17-jdk-headless maven unzip python3  # deploy/kafka/kafka-local.sh (Kafka from Maven Central)
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "install-deps: run as root (or install sudo): apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

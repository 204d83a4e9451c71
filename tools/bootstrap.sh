#!/usr/bin/env bash
# Installs every Debian package nvmesim needs. Idempotent: apt-get runs only
# when something is missing. Run as root on Debian 12 (or with sudo).
set -euo pipefail

PACKAGES=(
  bazel-bootstrap bazel-platforms bazel-rules-java   # Bazel 4.2.3, offline rules
  g++ libsystemc-dev verilator                        # compiler, SystemC/TLM-2.0, Verilator
  libboost-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev          # GoogleTest/GoogleMock, Google Benchmark
  gnuplot-nox                                         # nvmesim bench --plot (SVG)
  clang-format                                        # tools/lint.sh, run by tools/test.sh
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: installed ${#missing[@]} package(s)"

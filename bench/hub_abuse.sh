#!/usr/bin/env bash
# A normal agent's sync latency and the hub's RSS while others abuse the sync port (issue 15,
# item 5; bench/README.md "The sync port under abuse"): cks-bench-hub-abuse against a real
# cks-hub on loopback, release build of those two targets only.
#   bash bench/hub_abuse.sh [SECONDS]
# CKS_BENCH_BIN=DIR uses programs already built in DIR/bin (DIR: a build folder such as
# build/dev); CKS_HUB_BUILD=DIR runs the cks-hub of another build (an older one, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -n "${CKS_BENCH_BIN:-}" ]; then
  build=$CKS_BENCH_BIN
else
  cmake --preset release >/dev/null
  cmake --build --preset release --target cks-hub cks-bench-hub-abuse >/dev/null
  build=$root/build/release
fi
CKS_BUILD_DIR=${CKS_HUB_BUILD:-$build} "$build/bin/cks-bench-hub-abuse" "${1:-20}"

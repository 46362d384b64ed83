#!/usr/bin/env bash
# The soak (issue 15, item 3; bench/README.md "Soak"): ROUNDS rounds of token changes, requests
# filed, cancelled and handled by the province, each synced through a fault (SIGKILL of the agent
# or the hub at a random moment, the network refusing, delaying, cutting or losing an answer),
# with the hub and the agent compared after every round: tests/fault/soak_test.cc, the same test
# CI runs for a few rounds. Not a CI test: 1,000 rounds take about 35 min on SQLite and 50 on
# PostgreSQL on 2 cores.
#   bash bench/soak.sh [ROUNDS] [sqlite|postgresql|both] [SEED]
# Builds the dev preset's programs, then runs a copy of them (build/soak/bin), so that building
# meanwhile does not change the programs under test. Each run's output: build/soak/*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1000}
which=${2:-both}
seed=${3:-$(date +%s)}
case "$which" in
  sqlite) backends=(Sqlite) ;;
  postgresql) backends=(Postgresql) ;;
  both) backends=(Sqlite Postgresql) ;;
  *) echo "soak: the database is sqlite, postgresql or both, not '$which'" >&2; exit 2 ;;
esac

cmake --preset dev >/dev/null
cmake --build --preset dev --target fault_tests >/dev/null
mkdir -p build/soak
rm -rf build/soak/bin
cp -a build/dev/bin build/soak/bin

failed=0
for backend in "${backends[@]}"; do
  log=build/soak/$(date -u +%Y%m%dT%H%M%SZ)-$backend.log
  echo "soak: $rounds rounds on $backend, seed $seed: $log"
  start=$(date +%s)
  if ! CKS_BUILD_DIR=$PWD/build/soak CKS_FAULT_ROUNDS=$rounds CKS_FAULT_SEED=$seed \
      build/soak/bin/fault_tests --gtest_filter="Backends/SoakTest.*/$backend" >"$log" 2>&1; then
    failed=1
  fi
  grep -E '^\[fault\].*rounds in agreement|^\[  (PASSED|FAILED)' "$log" || true
  echo "soak: $backend took $(( $(date +%s) - start )) s"
done
exit $failed

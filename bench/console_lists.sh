#!/usr/bin/env bash
# The console's calls on the national data set (issue 14, bench/README "The console's lists and
# the dashboard"): cks-bench-console-lists on SQLite and on a throwaway PostgreSQL 15 server
# (bench/throwaway_postgres.sh), release build. Each store is filled with AGENCIES agencies
# (15,000), CERTIFICATES certificates (1,000,000), 30,000 requests, 50,000 alerts and 100,000
# audit lines, then every list page (50 rows, with a filter and a sort) and the dashboard are
# timed through ConsoleApi: median and p95 of ROUNDS rounds.
#   bash bench/console_lists.sh [CERTIFICATES [ROUNDS [AGENCIES]]]
#   bash bench/console_lists.sh 100000      a first look (minutes)
# CKS_BENCH_BIN=DIR uses a cks-bench-console-lists already built in DIR.
# CKS_BENCH_STORES="sqlite" (or "postgresql") measures one store only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
certificates=${1:-1000000}
rounds=${2:-20}
agencies=${3:-15000}
stores=${CKS_BENCH_STORES:-sqlite postgresql}

if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  bash scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target cks-bench-console-lists >/dev/null
  bin=$root/build/release/bin
fi
bench=$bin/cks-bench-console-lists

work=$(mktemp -d /tmp/cks-bench-console.XXXXXX)
source bench/throwaway_postgres.sh
cleanup() {
  stop_throwaway_postgres
  rm -rf "$work"
}
trap cleanup EXIT

for backend in $stores; do
  echo "== $backend, $agencies agencies, $certificates certificates =="
  if [ "$backend" = sqlite ]; then
    "$bench" --store "sqlite:$work/console.db" --certificates "$certificates" --rounds "$rounds" \
      --agencies "$agencies"
    rm -f "$work/console.db"*
  else
    start_throwaway_postgres
    psql_admin -c "CREATE ROLE cks LOGIN PASSWORD 'bench'" >/dev/null
    psql_admin -c "CREATE DATABASE console OWNER cks" >/dev/null
    "$bench" --store "postgresql://cks:bench@127.0.0.1:$pg_port/console" \
      --certificates "$certificates" --rounds "$rounds" --agencies "$agencies"
  fi
done

#!/usr/bin/env bash
# A page of the province's certificate list at the sizes the console meets (issue 13, bench/README
# "The province's certificate list"): cks-bench-certificate-page on SQLite and on a throwaway
# PostgreSQL 15 server (bench/throwaway_postgres.sh), release build.
#   at LIST certificates (100,000 by default): the page against listing everything and
#     filtering in C++ (the old way), the ratio of the two
#   at PAGE certificates (1,000,000 by default): the page alone (listing takes minutes a round)
#   bash bench/certificate_page.sh [LIST [PAGE [ROUNDS]]]
# CKS_BENCH_BIN=DIR uses a cks-bench-certificate-page already built in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
list_size=${1:-100000}
page_size=${2:-1000000}
rounds=${3:-3}

if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  bash scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target cks-bench-certificate-page >/dev/null
  bin=$root/build/release/bin
fi
bench=$bin/cks-bench-certificate-page

work=$(mktemp -d /tmp/cks-bench-page.XXXXXX)
source bench/throwaway_postgres.sh
cleanup() {
  stop_throwaway_postgres
  rm -rf "$work"
}
trap cleanup EXIT

start_throwaway_postgres
psql_admin -c "CREATE ROLE cks LOGIN PASSWORD 'bench'" >/dev/null
pg_url=postgresql://cks:bench@127.0.0.1:$pg_port
for size in "$list_size" "$page_size"; do
  psql_admin -c "CREATE DATABASE page_$size OWNER cks" >/dev/null
done

run() {  # $1 backend, $2 size, $3… extra options
  local store
  if [ "$1" = sqlite ]; then store=sqlite:$work/page-$2.db; else store=$pg_url/page_$2; fi
  echo "== $1, $2 certificates =="
  "$bench" --store "$store" --certificates "$2" --rounds "$rounds" "${@:3}"
  [ "$1" = sqlite ] && rm -f "$work/page-$2.db"*
  return 0
}
for backend in sqlite postgresql; do
  run "$backend" "$list_size"
  run "$backend" "$page_size" --no-list
done

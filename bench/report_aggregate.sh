#!/usr/bin/env bash
# The province's yearly-report aggregate (issue 6: 300 agencies and 30,000 certificates in
# ≤ 200 ms; issue 14: a national 15,000 agencies and 1,000,000 certificates in ≤ 1 s, on SQLite
# and on PostgreSQL). For each dataset, cks-bench-report-aggregate fills a hub store through the hub's
# own HubStore::push with the reports core's draftReport makes (1 % of the agencies missing,
# 5 % with two versions), then:
#   end to end   `cks-hub --config X admin report province --year Y --json`, the command the
#                province runs (process start, store open, read, parse, aggregate, print),
#                timed by hyperfine (or a loop and the median when it is not installed)
#   floor        the same command for a year without reports: what is not the aggregate
#   in process   the same steps one by one, median of several rounds (bench/report_aggregate.cc):
#                the aggregate of the figures kept at ingest (schema 12), the console's
#                workbook of it, and in the same rounds the path of before (every latest report
#                parsed), which must give the same JSON
# PostgreSQL is a throwaway 15 server (Debian's binaries), as durable as the SQLite store.
#   bash bench/report_aggregate.sh [RUNS]     RUNS end-to-end runs and in-process rounds (10)
# CKS_BENCH_BIN=DIR uses programs already built in DIR instead of building the release preset.
# CKS_BENCH_SKIP_NATIONAL=1 leaves the 15,000-agency datasets out (a quick look).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-10}
year=2025

if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  bash scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target cks-bench-report-aggregate cks-hub >/dev/null
  bin=$root/build/release/bin
fi
bench=$bin/cks-bench-report-aggregate

# The datasets live in /tmp, never in the tree.
work=$(mktemp -d /tmp/cks-bench-report.XXXXXX)
source bench/throwaway_postgres.sh
cleanup() {
  stop_throwaway_postgres
  rm -rf "$work"
}
trap cleanup EXIT

# key=value field $2 of the `result` line in file $1.
field() { grep '^result ' "$1" | tail -1 | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# Median wall time in ms of $runs runs of the command in "$@" (after 2 warm-ups), output dropped.
time_command() {
  if command -v hyperfine >/dev/null; then
    local quoted
    quoted=$(printf '%q ' "$@")
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/hyperfine.json" "$quoted" >&2
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.1f %.1f %.1f" % (r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))' "$work/hyperfine.json"
  else
    local i start end
    for i in 1 2; do "$@" >/dev/null; done
    for i in $(seq "$runs"); do
      start=$(date +%s%N)
      "$@" >/dev/null
      end=$(date +%s%N)
      echo $(((end - start) / 1000))
    done | sort -n | awk '{v[NR] = $1 / 1000} END {
      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.1f %.1f %.1f\n", m, v[1], v[NR]}'
  fi
}

# Dataset $1 in store $2: fill with $3 agencies and $4 certificates, then time it both ways.
datasets=()
run_dataset() {
  local name=$1 url=$2 agencies=$3 certificates=$4
  echo "== $name: $agencies agencies, $certificates certificates =="
  "$bench" fill --store "$url" --agencies "$agencies" --certificates "$certificates" \
    --year "$year" | tee "$work/$name.fill"
  printf '[store]\nurl = %s\n[log]\nlevel = warning\nfile = %s\nconsole = false\n' \
    "$url" "$work/$name.log" >"$work/$name.ini"
  "$bin/cks-hub" --config "$work/$name.ini" admin report province --year "$year" --json \
    >"$work/$name.json"
  echo "[$name] end to end, $runs runs: cks-hub admin report province --year $year --json"
  time_command "$bin/cks-hub" --config "$work/$name.ini" admin report province --year "$year" \
    --json >"$work/$name.e2e"
  # The fixed part: the same command for a year nobody reported (process, config, store open,
  # the agency list, every agency printed as missing).
  echo "[$name] end to end, a year without reports"
  time_command "$bin/cks-hub" --config "$work/$name.ini" admin report province --year 2000 \
    --json >"$work/$name.floor"
  echo "[$name] in process, $runs rounds"
  "$bench" time --store "$url" --year "$year" --rounds "$runs" | tee "$work/$name.time"
  datasets+=("$name")
}

echo "machine before the run: $(uptime)"
national=${CKS_BENCH_SKIP_NATIONAL:-0}
run_dataset "sqlite-300" "sqlite:$work/province.db" 300 30000
du -m "$work/province.db" | cut -f1 >"$work/sqlite-300.mb"
if [ "$national" != 1 ]; then
  run_dataset "sqlite-15000" "sqlite:$work/national.db" 15000 1000000
  du -m "$work/national.db" | cut -f1 >"$work/sqlite-15000.mb"
fi

pg_status="not run: no PostgreSQL 15 server programs in $pg_bin"
if [ -x "$pg_bin/initdb" ]; then
  start_throwaway_postgres
  psql_admin -c "CREATE ROLE cks LOGIN PASSWORD 'bench'" >/dev/null
  for db in province national; do
    psql_admin -c "CREATE DATABASE $db OWNER cks ENCODING 'UTF8'" >/dev/null
  done
  pg_url=postgresql://cks:bench@127.0.0.1:$pg_port
  run_dataset "postgresql-300" "$pg_url/province" 300 30000
  psql_admin -c "SELECT pg_database_size('province') / 1048576" >"$work/postgresql-300.mb"
  if [ "$national" != 1 ]; then
    run_dataset "postgresql-15000" "$pg_url/national" 15000 1000000
    psql_admin -c "SELECT pg_database_size('national') / 1048576" >"$work/postgresql-15000.mb"
  fi
  pg_status="PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), synchronous_commit=off"
fi
echo "machine after the run: $(uptime)"

# The tables.
echo
echo "## Results ($(date -u +%Y-%m-%d), $(nproc) cores, year $year, median of $runs)"
echo
echo "| store | agencies (reported) | certificates | store size | latest report bodies | \`report province --json\` end to end (min–max) | same, a year without reports | in process: command path, figures | same, bodies parsed (before) | before / after | JSON printed |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in "${datasets[@]}"; do
  t=$work/$name.time
  read -r e2e e2e_min e2e_max <"$work/$name.e2e"
  read -r floor _ <"$work/$name.floor"
  printf '| %s | %s (%s) | %s | %s MB | %s MB | **%s ms** (%s–%s) | %s ms | %s ms | %s ms | %s× | %s MB |\n' \
    "${name%-*}" "$(field "$t" agencies)" "$(field "$t" reported)" "$(field "$t" certificates)" \
    "$(cat "$work/$name.mb")" "$(field "$t" body_mb)" "$e2e" "$e2e_min" "$e2e_max" "$floor" \
    "$(field "$t" command_ms)" "$(field "$t" before_ms)" \
    "$(awk -v a="$(field "$t" before_ms)" -v b="$(field "$t" command_ms)" 'BEGIN {printf "%.1f", a / b}')" \
    "$(awk -v b="$(field "$t" json_bytes)" 'BEGIN {printf "%.2f", b / 1e6}')"
done
echo
echo "In process, ms (median of $runs rounds; the command path is agencies + figures + aggregate + JSON tree + stringify, the console's workbook agencies + figures + aggregate + XLSX; before: the same with \`reports()\` parsing every latest report instead of the figures):"
echo
echo "| store | agencies | open store | \`agencies()\` | \`reportFigures()\` | aggregate | JSON tree | stringify | **command path** | XLSX written | **console workbook** | before: \`reports()\` | — its SQL alone | — \`parseReport\` alone | before: aggregate | before: command path |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in "${datasets[@]}"; do
  t=$work/$name.time
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | **%s** | %s | **%s** | %s | %s | %s | %s | %s |\n' "${name%-*}" \
    "$(field "$t" agencies)" "$(field "$t" open_ms)" "$(field "$t" agencies_ms)" \
    "$(field "$t" figures_ms)" "$(field "$t" aggregate_ms)" "$(field "$t" tojson_ms)" \
    "$(field "$t" stringify_ms)" "$(field "$t" command_ms)" "$(field "$t" xlsx_ms)" \
    "$(field "$t" workbook_ms)" "$(field "$t" reports_ms)" "$(field "$t" sql_ms)" \
    "$(field "$t" parse_ms)" "$(field "$t" aggregate_parsed_ms)" "$(field "$t" before_ms)"
done
echo
echo "PostgreSQL: $pg_status"
for name in "${datasets[@]}"; do
  echo "fill $name: $(grep '^fill: .* reported' "$work/$name.fill" | sed 's/^fill: //')"
done
echo
read -r small _ <"$work/sqlite-300.e2e"
met() { if awk "BEGIN {exit !($1)}"; then echo met; else echo "**not met**"; fi; }
echo "target: the province's aggregate over 300 agencies / 30,000 certificates ≤ 200 ms (SQLite," \
  "end to end) — $(met "$small <= 200") ($small ms)"
if [ -f "$work/postgresql-300.e2e" ]; then
  read -r small_pg _ <"$work/postgresql-300.e2e"
  echo "  on PostgreSQL: $(met "$small_pg <= 200") ($small_pg ms)"
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}'; }
if [ -f "$work/sqlite-15000.e2e" ]; then
  read -r big _ <"$work/sqlite-15000.e2e"
  echo "national / province, SQLite end to end: $(ratio "$big" "$small")× for 50× the agencies and 33× the certificates"
fi
if [ -f "$work/postgresql-15000.e2e" ] && [ -f "$work/sqlite-15000.e2e" ]; then
  read -r big_pg _ <"$work/postgresql-15000.e2e"
  echo "national, PostgreSQL / SQLite end to end: $(ratio "$big_pg" "$big")×"
fi
for name in sqlite-15000 postgresql-15000; do
  if [ -f "$work/$name.e2e" ]; then
    read -r national_ms _ <"$work/$name.e2e"
    echo "target: the national aggregate, 15,000 agencies / 1,000,000 certificates ≤ 1 s" \
      "(issue 14), ${name%-*} end to end — $(met "$national_ms <= 1000") ($national_ms ms)"
  fi
done

#!/usr/bin/env bash
# Merger-batch benchmark (issue 5: a 300-request merger batch queues in ≤ 1 s). Seed 004's four
# wards (Nguyễn Nghiêm, Trần Hưng Đạo, Nghĩa Chánh, Chánh Lộ → phường Cẩm Thành), 74 holders
# each: cks-bench-merger-batch records 300 real certificates in the agent's store, then times
# the agent's real MergerApi: the plan, and the apply that checks every item against the rules
# and files 300 requests with their outbox entries in one transaction (what `cksctl merger
# plan|apply` do through the local API, without the HTTP hop).
#   bash bench/merger_batch.sh [ROUNDS]
# CKS_BENCH_BIN=DIR uses a cks-bench-merger-batch already built in DIR instead of building the
# release preset.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-7}

if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  bash scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target cks-bench-merger-batch >/dev/null
  bin=$root/build/release/bin
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/cks-bench-merger-batch" "$work" "$rounds" | tee "$work/out.txt"

field() { grep '^result ' "$work/out.txt" | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
met() { awk "BEGIN {exit !($1)}" && echo met || echo "NOT met"; }

echo
echo "| $(field certificates) certificates → $(field requests) requests, median of $(field rounds) rounds | ms |"
echo "|---|---:|"
echo "| plan (\`POST /v1/mergers/plan\`) | $(field plan_median_ms) |"
echo "| apply: check and file the batch in one transaction (\`POST /v1/mergers/apply\`) | **$(field apply_median_ms)** |"
echo "| apply, worst round | $(field apply_worst_ms) |"
echo
apply=$(field apply_median_ms)
echo "target: a 300-request merger batch queues in ≤ 1 s — $(met "$apply <= 1000") (median $apply ms)"

#!/usr/bin/env bash
# Alert-evaluation benchmark (issue: with 10,000 certificates in the store, evaluating all
# alerts takes ≤ 50 ms). cks-bench-alert-eval issues 10,000 real certificates (EC P-256, the
# government CA's name, Vietnamese subjects) on 2,500 tokens, records them in the agent's store
# with three scans, then times the agent's real AlertMonitor::evaluate(): the first evaluation
# (raises every alert at once), the periodic one where nothing changed (the monitor keeps the
# inventory it read), and one after a scan (the inventory read again), split into reading the
# inventory, the rules and the store's reconcile.
#   bash bench/alert_eval.sh [STEADY_RUNS]
# CKS_BENCH_BIN=DIR uses a cks-bench-alert-eval already built in DIR instead of building the
# release preset (for working on the benchmark itself; numbers for bench/README.md come from
# the preset).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-40}

if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  bash scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release >/dev/null
  bin=$root/build/release/bin
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/cks-bench-alert-eval" "$work" "$runs" | tee "$work/out.txt"

# key=value fields of the `result` line: value of key $1.
field() { grep '^result ' "$work/out.txt" | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
met() { awk "BEGIN {exit !($1)}" && echo met || echo "NOT met"; }

echo
echo "| $(field certificates) certificates, $(field tokens) tokens | ms |"
echo "|---|---:|"
echo "| first evaluation ($(field raised) alerts raised, one transaction) | $(field first_ms) |"
echo "| periodic: every minute, and after a scan that changed nothing (the inventory kept), median of $(field runs) | **$(field median_ms)** |"
echo "| periodic, p90 | $(field p90_ms) |"
echo "| periodic, max | $(field max_ms) |"
echo "| after a scan that changed the inventory (read again), median | $(field after_scan_ms) |"
echo "| split of an evaluation after a scan that changed the inventory: | |"
echo "| — read the inventory (\`certificates()\` + \`tokens()\` + \`modules()\`) | $(field read_ms) |"
echo "| &nbsp;&nbsp;of which \`certificates()\` | $(field certificates_ms) |"
echo "| &nbsp;&nbsp;of which \`tokens()\` | $(field tokens_ms) |"
echo "| — hub sync state (offset, enrolment, last contact) | $(field sync_ms) |"
echo "| — \`evaluateAlerts\` ($(field conditions) conditions, $(field settled) settled) | $(field rules_ms) |"
echo "| — \`Alerts::reconcile\` ($(field open) open alerts, nothing to change) | $(field reconcile_ms) |"
echo "| — freeing the inputs and conditions | $(field free_ms) |"
echo
median=$(field median_ms)
after=$(field after_scan_ms)
echo "target: evaluating all alerts ≤ 50 ms for 10,000 certificates — periodic and after unchanged scans $(met "$median <= 50") (median $median ms); after a scan that changed the inventory $(met "$after <= 50") (median $after ms)"

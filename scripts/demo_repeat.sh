#!/usr/bin/env bash
# The demo, N times in a row (default 20) from a fresh clone of this repository's HEAD: the
# quick start must work every time, not most times (issue 12: the hub's CA was made twice when
# the hub and `admin server-ca` started together). Stops at the first failure and prints its
# output; exit 0 only when every run passed.
#   bash scripts/demo_repeat.sh [N]
set -euo pipefail
runs="${1:-20}"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
clone="$(mktemp -d)/cks"
git clone --quiet "$source_dir" "$clone"
echo "demo_repeat: fresh clone of $(git -C "$clone" rev-parse --short HEAD) in $clone"
for run in $(seq "$runs"); do
  log="$clone/../demo-$run.log"
  start=$(date +%s)
  if ! bash "$clone/scripts/demo.sh" >"$log" 2>&1; then
    echo "demo_repeat: run $run of $runs FAILED; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  echo "demo_repeat: run $run of $runs passed ($(($(date +%s) - start)) s)"
done
echo "demo_repeat: $runs of $runs runs passed"

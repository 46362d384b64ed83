#!/usr/bin/env bash
# A fuzzing campaign (bench/README.md, "Fuzzing"): each target of tests/fuzz for a number of
# executions (-runs) or seconds, one process at a time (the machine is shared: no -jobs, no
# -workers), from its seeds, regressions and what earlier campaigns found (build/fuzz/corpus).
# Prints one Markdown row per target: executions, exec/s, corpus (files, bytes), coverage
# (libFuzzer's cov: edges and ft: features) and the outcome; exit 1 on any finding.
#   bash bench/fuzz.sh --runs 1000000            every target, a million executions each
#   bash bench/fuzz.sh --seconds 600 crl         one target, ten minutes
set -euo pipefail
cd "$(dirname "$0")/.."

limit=(-runs=1000000)
case "${1:-}" in
  --runs) limit=(-runs="${2:?--runs needs a number}"); shift 2 ;;
  --seconds) limit=(-max_total_time="${2:?--seconds needs a number}"); shift 2 ;;
esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^cks_fuzz_target(\([a-z0-9_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null

echo "| target | executions | exec/s | seconds | corpus (files / bytes) | cov | ft | outcome |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
status=0
for target in "${targets[@]}"; do
  work="build/fuzz/corpus/$target"
  findings="build/fuzz/findings"
  log="build/fuzz/campaign-$target.log"
  mkdir -p "$work" "$findings"
  start=$(date +%s)
  outcome="no finding"
  if ! "build/fuzz/bin/fuzz_$target" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$findings/$target-" \
      "$work" "tests/fuzz/corpus/$target" $([ -d "tests/fuzz/regressions/$target" ] &&
        echo "tests/fuzz/regressions/$target") > "$log" 2>&1; then
    outcome="FINDING: $(grep -m1 -oE 'fuzz invariant broken: .*' "$log" || grep -m1 -oE 'SUMMARY: .*' "$log" || echo see "$log")"
    status=1
  fi
  seconds=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | cut -d' ' -f2)
  files=$(find "$work" -type f | wc -l)
  bytes=$(du -sb "$work" | cut -f1)
  echo "| $target | ${runs:-?} | ${speed:-?} | $seconds | $files / $bytes | ${cov:-?} | ${ft:-?} | $outcome |"
done
exit $status

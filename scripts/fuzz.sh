#!/usr/bin/env bash
# Builds the fuzz targets (the fuzz preset: clang 14, libFuzzer, ASan + UBSan; only the modules
# they need) and runs each for a bounded time from its seeds and regressions
# (docs/fuzzing.md). Exit 1 when any target finds a crash, a leak, a timeout or a
# broken invariant; the input is kept in build/fuzz/findings/.
#   bash scripts/fuzz.sh                        every target, 60 s each
#   bash scripts/fuzz.sh --seconds 20 crl gzip_body
# New inputs the fuzzer finds go to build/fuzz/corpus/<target> (not the seeds: those stay small
# and are chosen by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
if [ "${1:-}" = "--seconds" ]; then seconds="${2:?--seconds needs a number}"; shift 2; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^cks_fuzz_target(\([a-z0-9_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

failed=()
for target in "${targets[@]}"; do
  work="build/fuzz/corpus/$target"
  findings="build/fuzz/findings"
  mkdir -p "$work" "$findings"
  echo "fuzz: $target for ${seconds}s"
  # -timeout: one input that takes 10 s is a finding (a hang); -rss_limit_mb: so is 2 GB.
  if ! "build/fuzz/bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$findings/$target-" \
      "$work" "tests/fuzz/corpus/$target" $([ -d "tests/fuzz/regressions/$target" ] &&
        echo "tests/fuzz/regressions/$target") > "build/fuzz/$target.log" 2>&1; then
    failed+=("$target")
    tail -n 40 "build/fuzz/$target.log"
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE' "build/fuzz/$target.log" || true
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]} (inputs in build/fuzz/findings/; docs/fuzzing.md says how" \
       "to keep one as a regression)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no finding"

#!/usr/bin/env bash
# The tests that involve dates, once more at the turn of the year (issue 12: a test expected
# the province's deadline and met the 1 December reminder instead). Each test starts with every
# process it runs (agents, hubs, cksctl) on a clock moved by libfaketime to the moment given,
# in Vietnam time; the clock then runs on, so a test crosses the moment as users would.
#   bash scripts/test_dates.sh [--preset dev] [MOMENT...]
# Default moments: 31/12 23:59 and 01/01 00:01 (Asia/Ho_Chi_Minh, UTC+7) of the coming year.
# Needs a built preset (scripts/test.sh builds it) and Debian's faketime (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

preset=dev
if [ "${1:-}" = "--preset" ]; then
  preset="${2:?--preset needs a name}"
  shift 2
fi
moments=("$@")
if [ ${#moments[@]} -eq 0 ]; then
  year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
  moments=("$year-12-31 23:59:00 +0700" "$((year + 1))-01-01 00:01:00 +0700")
fi
command -v faketime >/dev/null || { echo "test_dates: faketime is missing (scripts/bootstrap.sh)" >&2; exit 2; }

failed=0
for moment in "${moments[@]}"; do
  echo "test_dates: the tests labelled 'dates', each starting at $moment"
  # ctest lists each test's command and environment; each runs with libfaketime preloaded.
  ctest --preset "$preset" -L dates --show-only=json-v1 >"build/$preset/dates-tests.json"
  if ! python3 scripts/run_tests_at.py "build/$preset/dates-tests.json" "$moment"; then
    failed=1
  fi
done
exit $failed

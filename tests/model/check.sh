#!/usr/bin/env bash
# Checks the sync protocol's model with Spin (docs/sync-protocol.md, "The model"): the model of
# the code must hold every property, and each variant with a known defect must be rejected, so
# that a check that cannot fail does not pass unnoticed. Prints the states, transitions, memory
# and time of each run. Run by ctest (sync_protocol_model).
#   bash tests/model/check.sh           the configuration CI checks (2 lanes × 2 entries)
#   N=3 bash tests/model/check.sh       3 entries per lane (10 million states, 1.5 GB, minutes)
set -euo pipefail

model="$(cd "$(dirname "$0")" && pwd)/sync.pml"
entries="${N:-2}"

for tool in spin gcc; do
  if ! command -v "$tool" >/dev/null; then
    echo "check.sh: $tool is not installed: run scripts/bootstrap.sh (Debian package $tool)" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# pan leaves its trail as sync.pml.trail beside the model spin -t replays.
cp "$model" sync.pml

failures=0

# verify NAME EXPECT MACROS PAN_FLAGS GCC_FLAGS: EXPECT is "pass" (no error) or the start of the
# error Spin must report (another error, say an index out of bounds, is no proof). Prints one
# line of figures, the violated property of a run that fails, and the last steps of a trail
# that was not expected.
verify() {
  local name="$1" expect="$2" macros="$3" pan_flags="$4" gcc_flags="$5"
  rm -f pan pan.* ./*.trail
  # shellcheck disable=SC2086
  spin -DN="$entries" $macros -a sync.pml >spin.log 2>&1 || {
    cat spin.log >&2
    echo "FAIL $name: spin could not read the model" >&2
    failures=$((failures + 1))
    return
  }
  # pan.c trips gcc's array-bound warnings on Spin's own range checks: -w.
  # shellcheck disable=SC2086
  gcc -O2 -w -DCOLLAPSE $gcc_flags -o pan pan.c
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  ./pan -m100000 $pan_flags >pan.log 2>&1 || true
  end=$(date +%s.%N)
  local errors states transitions memory seconds
  errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.log | tail -1)
  states=$(awk '/states, stored/ {print $1}' pan.log | tail -1)
  transitions=$(awk '/transitions \(=/ {print $1}' pan.log | tail -1)
  memory=$(awk '/total actual memory usage/ {print $1}' pan.log | tail -1)
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", e - s}')
  if [ -z "$errors" ]; then
    cat pan.log >&2
    echo "FAIL $name: pan did not finish" >&2
    failures=$((failures + 1))
    return
  fi
  local line="$name: $errors error(s), $states states stored, $transitions transitions, ${memory} MB, ${seconds} s"
  local why=""
  if [ "$errors" != 0 ]; then
    why=$(grep -m1 -E '^pan:1: ' pan.log | sed 's/^pan:1: //')
  fi
  if { [ "$expect" = pass ] && [ "$errors" = 0 ]; } ||
    { [ "$expect" != pass ] && [ "${why#"$expect"}" != "$why" ]; }; then
    echo "ok   $line${why:+; rejected: $why}"
  else
    echo "FAIL $line${why:+: $why} (expected: $expect)" >&2
    if [ "$errors" != 0 ]; then
      # shellcheck disable=SC2086
      spin -DN="$entries" $macros -t -p sync.pml 2>&1 | grep -E '^ *[0-9]+:' | tail -30 >&2 || true
    fi
    failures=$((failures + 1))
  fi
}

echo "Spin $(spin -V | sed 's/Spin Version //'), 2 lanes × $entries entries"
# The model of the code: every property holds.
verify "safety (exactly once across re-enrolment, lane order, dropped after stored, no deadlock)" pass "" "" \
  "-DSAFETY -DNOCLAIM"
verify "liveness under weak fairness (every entry delivered)" pass "" "-a -f -N delivered" \
  "-DNFAIR=3"
# A kill between the new certificate and the enrolment's record: the next sync's undo puts the
# recorded enrolment's files back (sync::undoUnrecordedEnrollment).
verify "safety with a kill during enrol --force before the record, undone at the next sync" pass \
  "-DENROL_KILLED_BEFORE_RECORD" "" "-DSAFETY -DNOCLAIM"
verify "liveness with that kill (every entry delivered after the undo)" pass \
  "-DENROL_KILLED_BEFORE_RECORD" "-a -f -N delivered" "-DNFAIR=3"
# Proof the checks can fail.
verify "the hub acknowledges before its commit" "assertion violated (stored[" \
  "-DACK_BEFORE_COMMIT" "" "-DSAFETY -DNOCLAIM"
verify "liveness without fairness" "acceptance cycle" "" "-a -N delivered" "-DNFAIR=3"
# The fixed defects (docs/sync-protocol.md, "What the model found"): the code before each fix
# must still be rejected.
verify "the new certificate with the old record, never undone (before 074db2c, or split writes)" \
  "assertion violated ((ans_acked+1)>=front)" "-DENROL_KILLED_BEFORE_RECORD -DNO_UNDO_AT_SYNC" \
  "" "-DSAFETY -DNOCLAIM"
verify "the hub stores an entry once per agent_id (before the uuid rule)" \
  "assertion violated (stored[u]==1)" "-DSTORE_PER_AGENT_ID" "" "-DSAFETY -DNOCLAIM"

if [ "$failures" != 0 ]; then
  echo "check.sh: $failures check(s) failed" >&2
  exit 1
fi

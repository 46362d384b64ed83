#!/usr/bin/env bash
# A CA's revocation list of 200,000 entries against 1,000,000 certificates at the hub (issue 16,
# bench/README.md "Revocation lists"): cks-bench-crl-match, release build of that target only.
#   bash bench/crl_match.sh [ENTRIES [CERTIFICATES [ROUNDS]]]
# CKS_BENCH_BIN=DIR uses a cks-bench-crl-match already built in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  cmake --preset release >/dev/null
  cmake --build --preset release --target cks-bench-crl-match >/dev/null
  bin=$root/build/release/bin
fi
"$bin/cks-bench-crl-match" --entries "${1:-200000}" --certificates "${2:-1000000}" \
  --rounds "${3:-5}"

#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole test suite.
#   bash scripts/test.sh                 the dev preset (warnings are errors)
#   bash scripts/test.sh --preset asan   the same suite under ASan + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."

preset=dev
if [ "${1:-}" = "--preset" ]; then preset="${2:?--preset needs a name}"; fi

bash scripts/bootstrap.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"

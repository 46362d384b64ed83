#!/usr/bin/env bash
# Checks that every C and C++ source follows .clang-format (fix with: clang-format -i FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cc' '*.c' 2>/dev/null || find . -name '*.cc' -o -name '*.h' -o -name '*.c')
clang-format --dry-run --Werror "${files[@]}"
echo "${#files[@]} files formatted"

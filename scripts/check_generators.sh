#!/usr/bin/env bash
# Any CMake generator builds the project (issue 12): configures a fresh build with the default
# generator, Unix Makefiles, and builds the step that once failed there, the Windows programs'
# own build (cmake/windows_programs.cmake). The dev and asan presets build the rest with Ninja.
#   bash scripts/check_generators.sh [SOURCE_DIR]
set -euo pipefail
source_dir="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT

cmake -S "$source_dir" -B "$build_dir" -G "Unix Makefiles" -DCKS_BUILD_TESTS=OFF >/dev/null
if ! grep -q '^CKS_MINGW_CXX:FILEPATH=/' "$build_dir/CMakeCache.txt"; then
  echo "check_generators: mingw-w64 is not installed (scripts/bootstrap.sh installs it)" >&2
  exit 1
fi
make -C "$build_dir" --no-print-directory -j2 cks-windows >/dev/null
test -x "$build_dir/windows/cks-tray.exe" || {
  echo "check_generators: Unix Makefiles did not build windows/cks-tray.exe" >&2
  exit 1
}
echo "check_generators: Unix Makefiles builds windows/cks-tray.exe"

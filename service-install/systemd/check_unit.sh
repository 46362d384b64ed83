#!/usr/bin/env bash
# Verifies the systemd units offline (there is no systemd PID 1 in CI): their syntax, and that
# ExecStart names a program that exists (the built programs stand in for /usr/bin/…).
#   check_unit.sh BUILD_BIN_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: check_unit.sh BUILD_BIN_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for unit in cks-agent cks-hub; do
  sed "s|/usr/bin/$unit|$bin/$unit|" "$here/$unit.service" >"$work/$unit.service"
  output=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/$unit.service" 2>&1 || true)
  # Complaints about the host (no running systemd, missing dependencies) are not the unit's.
  problems=$(grep -F "$unit.service" <<<"$output" |
             grep -v -E "network-online|pcscd|postgresql|Failed to connect|Cannot add dependency" || true)
  if [ -n "$problems" ]; then
    echo "$problems"
    status=1
  else
    echo "$unit.service verifies"
  fi
done
exit $status

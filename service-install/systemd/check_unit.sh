#!/usr/bin/env bash
# Verifies the systemd unit offline (there is no systemd PID 1 in CI): its syntax, and that
# ExecStart names a program that exists (a built cks-agent stands in for /usr/bin/cks-agent).
#   check_unit.sh BUILD_BIN_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: check_unit.sh BUILD_BIN_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/bin/cks-agent|$bin/cks-agent|" "$here/cks-agent.service" >"$work/cks-agent.service"
output=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/cks-agent.service" 2>&1 || true)
# Complaints about the host (no running systemd, missing dependencies) are not the unit's.
problems=$(grep -F "cks-agent.service" <<<"$output" | grep -v -E "network-online|pcscd|Failed to connect|Cannot add dependency" || true)
if [ -n "$problems" ]; then
  echo "$problems"
  exit 1
fi
echo "cks-agent.service verifies"

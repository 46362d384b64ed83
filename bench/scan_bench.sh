#!/usr/bin/env bash
# Scan benchmark (issue: full scan ≤ 2× the libp11 floor) and idle-agent footprint.
# 20 SoftHSM tokens × 3 certificates; three ways to read them, timed by hyperfine in one run:
#   floor      one process, one libp11 context, every token's certificates enumerated once
#   cks        cks-agent --once: probe child process, JSON, parse, SQLite writes (fresh store)
#   cks-warm   cks-agent --once on a store that already knows everything (the periodic case)
#   admin      pkcs11-tool --list-objects once per token (what an admin does by hand today)
# Then an idle agent for 60 s: RSS and CPU time between scans.
#   bash bench/scan_bench.sh [SECONDS_IDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
idle_seconds=${1:-60}

bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=$root/build/release/bin

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOFTHSM2_CONF=$work/softhsm2.conf
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$work" >"$SOFTHSM2_CONF"
module=/usr/lib/softhsm/libsofthsm2.so

echo "creating 20 tokens × 3 certificates…"
for t in $(seq -w 1 20); do
  softhsm2-util --init-token --free --label "Token $t" --so-pin 87654321 --pin 123456 >/dev/null
  for c in 1 2 3; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
      -utf8 -subj "/C=VN/O=UBND tỉnh Quảng Ngãi/CN=Cán bộ $t-$c" -days 365 -outform DER \
      -out "$work/c.der" 2>/dev/null
    pkcs11-tool --module "$module" --token-label "Token $t" --login --pin 123456 \
      --write-object "$work/c.der" --type cert --label "cert $c" --id "0$c" >/dev/null 2>&1
  done
done

cat >"$work/agent.ini" <<INI
[pkcs11]
modules = $module
[scan]
interval = 30s
slot_events = false
[store]
path = $work/agent.db
[api]
port = 18799
secret_file = $work/api.secret
[log]
syslog = false
console = false
INI
"$bin/cks-agent" --config "$work/agent.ini" --once
echo "the agent sees: $(sqlite3 "$work/agent.db" 'select count(*) from tokens') tokens," \
  "$(sqlite3 "$work/agent.db" 'select count(*) from certificates') certificates"

sed "s|$work/agent.db|$work/fresh.db|" "$work/agent.ini" >"$work/fresh.ini"
admin_loop="for t in \$(seq -w 1 20); do pkcs11-tool --module $module --token-label \"Token \$t\" --list-objects --type cert >/dev/null 2>&1; done"
hyperfine --warmup 2 --runs 20 --export-markdown "$work/scan.md" \
  -n floor "$bin/cks-bench-p11-floor $module" \
  -n cks --prepare "rm -f $work/fresh.db $work/fresh.db-wal $work/fresh.db-shm" \
  "$bin/cks-agent --config $work/fresh.ini --once" \
  -n cks-warm "$bin/cks-agent --config $work/agent.ini --once" \
  -n admin "$admin_loop"
cat "$work/scan.md"

echo
echo "idle agent for ${idle_seconds}s (scan interval 30 s)…"
"$bin/cks-agent" --config "$work/agent.ini" &
agent=$!
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
start_ticks=$(ticks)
max_rss=0
for _ in $(seq "$idle_seconds"); do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$agent/status")
  [ "$rss" -gt "$max_rss" ] && max_rss=$rss
  sleep 1
done
end_ticks=$(ticks)
kill $agent
wait $agent || true
hz=$(getconf CLK_TCK)
echo "idle agent: max RSS $((max_rss / 1024)) MB ($max_rss kB);" \
  "CPU $(( (end_ticks - start_ticks) * 1000 / hz )) ms over ${idle_seconds} s (including its scans)"

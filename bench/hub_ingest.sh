#!/usr/bin/env bash
# Hub benchmarks (issue: ingest ≥ 20,000 events/s from 200 agents on SQLite with 2 cores shared
# with the load generator; an idle sync ≤ 512 bytes of HTTP payload; a 10,000-entry backlog
# drained in ≤ 10 s on loopback). One run, compared as ratios within it:
#   load      200 agents enrolled through the hub's /v1/enroll with codes from
#             `cks-hub admin enroll-code`, one thread each, pushing 100-entry batches over
#             mutual TLS with the agent's real transport (cpprestsdk, gzip) to a real cks-hub
#             (hub.ini: the defaults but paths and port): events stored per second, latency
#   storage   the same entries in the same batches, one thread, straight into a SQLite file
#             through the hub's own store code (HubStore::push, one transaction per batch)
#   backlog   one more agent with the agent's own store and HubSync: 10,000 outbox entries
#             drained by one sync, then syncs with nothing to send (bytes from SyncReport)
# Two mixes of entries (bench/hub_ingest/event_mix.h): "office", what the agent's store
# journals for an office plugging tokens in and out (5 % carry a DER certificate), and
# "certificates", a stress mix where 40 % do. Then load and storage again on a throwaway
# PostgreSQL 15 when this cks-hub accepts postgresql:// stores.
#   bash bench/hub_ingest.sh [SECONDS_MEASURED] [AGENTS]
# CKS_BENCH_BIN=DIR uses programs already built in DIR instead of building the release preset
# (for working on the benchmark itself; numbers for bench/README.md come from the preset).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-20}
agents=${2:-200}
warmup=5
batch=100

if [ -n "${CKS_BENCH_BIN:-}" ]; then
  bin=$CKS_BENCH_BIN
else
  bash scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release >/dev/null
  bin=$root/build/release/bin
fi
bench=$bin/cks-bench-hub-ingest

work=$(mktemp -d)
hub_pid=
source bench/throwaway_postgres.sh
cleanup() {
  if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; fi
  stop_throwaway_postgres
  rm -rf "$work"
}
trap cleanup EXIT

# Waits (at most 15 s) until $1 accepts connections on 127.0.0.1.
wait_for_port() {
  for _ in $(seq 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1 after 15 s" >&2
  return 1
}

# key=value fields of the last line of file $1 that starts with $2: value of key $3.
field() { grep "^$2 " "$1" | tail -1 | tr ' ' '\n' | sed -n "s/^$3=//p"; }

# Starts cks-hub with store URL $2 in folder $1 (hub.ini with the defaults but the paths, and
# room for every agent's handshake at once: they all come from 127.0.0.1).
start_hub() {
  local dir=$1 store=$2
  mkdir -p "$dir"
  port=$(free_port 18443)
  cat >"$dir/hub.ini" <<INI
[server]
port = $port
bind = 127.0.0.1
connections_per_address = 512
[tls]
dir = tls
[store]
url = $store
[log]
level = warning
file = hub.log
console = false
INI
  "$bin/cks-hub" --config "$dir/hub.ini" >"$dir/hub.out" 2>&1 &
  hub_pid=$!
  wait_for_port "$port" || { cat "$dir/hub.out" "$dir/hub.log" >&2 || true; exit 1; }
  hub_url=https://127.0.0.1:$port
}

stop_hub() {
  kill "$hub_pid"
  wait "$hub_pid" || true
  hub_pid=
}

# One enrolment code per agent from the province's own command (agencies H21.001 …).
make_codes() {
  local dir=$1 count=$2 i
  : >"$dir/codes.txt"
  for i in $(seq -f %03g 1 "$count"); do
    "$bin/cks-hub" --config "$dir/hub.ini" admin enroll-code --agency "H21.$i" \
      --name "UBND xã Thử tải $i" | tail -1 >>"$dir/codes.txt"
  done
}

# Hub with store $2 in folder $1: enrol the agents, run the load with mix $4, then the storage
# limit on store $3 with the same entries.
run_ingest() {
  local dir=$1 store=$2 storage_store=$3 mix=$4 label="$5 $4" store_user=${6:-}
  start_hub "$dir" "$store"
  "$bin/cks-hub" --config "$dir/hub.ini" admin server-ca >"$dir/hub-ca.pem"
  echo "[$label] enrolment codes and $agents enrolments…"
  make_codes "$dir" "$agents"
  "$bench" enroll --hub "$hub_url" --hub-ca "$dir/hub-ca.pem" --codes "$dir/codes.txt" \
    --dir "$dir/agents" | head -1
  echo "[$label] load: $agents agents, ${warmup} s warm-up once all are connected, ${seconds} s measured…"
  local load_status=0
  "$bench" load --pool "$pool" --mix "$mix" --hub "$hub_url" --dir "$dir/agents" \
    --batch "$batch" --warmup "$warmup" --seconds "$seconds" --hub-pid "$hub_pid" \
    ${store_user:+--store-user "$store_user"} |
    tee "$dir/load.txt" || load_status=$?
  [ "$load_status" -eq 0 ] || echo "[$label] the load reported errors (see above)"
  awk '/VmHWM/ {print $2}' "/proc/$hub_pid/status" >"$dir/hub_rss_kb"
  stop_hub
  local total warm
  total=$(field "$dir/load.txt" load total_events)
  warm=$(field "$dir/load.txt" load warmup_events)
  echo "[$label] storage limit: the same $total entries through HubStore::push, one thread…"
  "$bench" storage --pool "$pool" --mix "$mix" --store "$storage_store" --agents "$agents" \
    --batch "$batch" --events "$total" --warmup-events "$warm" | tee "$dir/storage.txt"
}

pool=$work/certificates.bin
echo "machine before the run: $(uptime)"
for mix in office certificates; do
  echo "== SQLite, $mix mix =="
  run_ingest "$work/sqlite-$mix" "sqlite:hub.db" "sqlite:$work/storage-$mix.db" "$mix" sqlite
done

echo "[sqlite] backlog drain and idle sync (on the hub of the office run, which keeps its data)…"
start_hub "$work/sqlite-office" "sqlite:hub.db"
code=$("$bin/cks-hub" --config "$work/sqlite-office/hub.ini" admin enroll-code --agency H21.999 \
  --name "UBND xã Ngoại tuyến" | tail -1)
"$bench" backlog --pool "$pool" --hub "$hub_url" --hub-ca "$work/sqlite-office/hub-ca.pem" \
  --code "$code" --dir "$work/backlog" --entries 10000 | tee "$work/backlog.txt"
stop_hub

# PostgreSQL: only when this build's hub accepts a postgresql:// store.
pg_status="not run"
if [ ! -x "$pg_bin/initdb" ]; then
  pg_status="not run: no PostgreSQL 15 server programs in $pg_bin"
elif printf '[store]\nurl = postgresql://cks@127.0.0.1:1/cks\n' >"$work/pg-probe.ini" &&
  "$bin/cks-hub" --config "$work/pg-probe.ini" admin agents 2>&1 | grep -q "not supported"; then
  pg_status="not run: this cks-hub refuses postgresql:// stores"
else
  echo "== PostgreSQL 15 =="
  start_throwaway_postgres
  for mix in office certificates; do
    for db in "hub_$mix" "storage_$mix"; do
      psql_admin -c "CREATE DATABASE $db ENCODING 'UTF8'" >/dev/null
    done
  done
  psql_admin -c "CREATE ROLE cks LOGIN PASSWORD 'bench';
     ALTER DATABASE hub_office OWNER TO cks; ALTER DATABASE storage_office OWNER TO cks;
     ALTER DATABASE hub_certificates OWNER TO cks;
     ALTER DATABASE storage_certificates OWNER TO cks;" >/dev/null
  pg_url=postgresql://cks:bench@127.0.0.1:$pg_port
  # The server's own processes, for its CPU time (only when it runs as a user of its own).
  pg_user=
  [ "$(id -u)" -eq 0 ] && pg_user=postgres
  pg_status=ran
  for mix in office certificates; do
    echo "== PostgreSQL 15, $mix mix =="
    run_ingest "$work/postgres-$mix" "$pg_url/hub_$mix" "$pg_url/storage_$mix" "$mix" \
      postgresql "$pg_user" || pg_status="failed (see above)"
  done
fi

# The table.
echo
echo "## Results ($(date -u +%Y-%m-%d), $(nproc) cores, $agents agents × $batch entries per push, ${seconds} s measured)"
echo
echo "| store | mix | hub ingest (events/s) | p50 ms | p99 ms | storage limit (events/s) | hub / limit | hub CPU | database server CPU | generator CPU | other processes | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row() {
  local dir=$1 label=$2 mix=$3
  [ -f "$dir/storage.txt" ] || return 0
  local l=$dir/load.txt s=$dir/storage.txt
  local hub_eps limit_eps secs hub_cores gen_cores busy
  hub_eps=$(field "$l" load events_per_s)
  limit_eps=$(field "$s" storage events_per_s)
  secs=$(field "$l" load seconds)
  hub_cores=$(awk -v c="$(field "$l" load hub_cpu_s)" -v s="$secs" 'BEGIN {printf "%.2f", c / s}')
  gen_cores=$(awk -v c="$(field "$l" load generator_cpu_s)" -v s="$secs" 'BEGIN {printf "%.2f", c / s}')
  busy=$(field "$l" load machine_busy_cores)
  local db_cpu db_cores=0 db_text="in the hub"
  db_cpu=$(field "$l" load store_cpu_s)
  if awk -v c="$db_cpu" 'BEGIN {exit !(c >= 0)}'; then
    db_cores=$(awk -v c="$db_cpu" -v s="$secs" 'BEGIN {printf "%.2f", c / s}')
    db_text="$db_cores cores"
  elif [ "$label" != SQLite ]; then
    db_text="not measured"
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s cores | %s | %s cores | %s cores | %s |\n' \
    "$label" "$mix" "$hub_eps" "$(field "$l" load p50_ms)" "$(field "$l" load p99_ms)" \
    "$limit_eps" "$(awk -v a="$hub_eps" -v b="$limit_eps" 'BEGIN {printf "%.2f", a / b}')" \
    "$hub_cores" "$db_text" "$gen_cores" \
    "$(awk -v b="$busy" -v h="$hub_cores" -v g="$gen_cores" -v d="$db_cores" \
      'BEGIN {o = b - h - g - d; printf "%.2f", o < 0 ? 0 : o}')" \
    "$(field "$l" load errors)"
}
for mix in office certificates; do row "$work/sqlite-$mix" SQLite "$mix"; done
for mix in office certificates; do row "$work/postgres-$mix" "PostgreSQL 15" "$mix"; done
echo
for mix in office certificates; do
  s=$work/sqlite-$mix/storage.txt
  echo "hub request path per entry, one thread, no TLS (SQLite, $mix mix):" \
    "inflate $(field "$s" storage inflate_us) µs, decode $(field "$s" storage decode_us) µs," \
    "validate $(field "$s" storage validate_us) µs, agent lookup $(field "$s" storage lookup_us) µs," \
    "store $(field "$s" storage store_us) µs"
  echo "  hub CPU per entry under load: $(awk -v c="$(field "$work/sqlite-$mix/load.txt" load hub_cpu_s)" \
    -v e="$(field "$work/sqlite-$mix/load.txt" load events)" 'BEGIN {printf "%.1f", c / e * 1e6}') µs;" \
    "generator: $(awk -v c="$(field "$work/sqlite-$mix/load.txt" load generator_cpu_s)" \
    -v e="$(field "$work/sqlite-$mix/load.txt" load events)" 'BEGIN {printf "%.1f", c / e * 1e6}') µs;" \
    "hub peak RSS $(($(cat "$work/sqlite-$mix/hub_rss_kb") / 1024)) MB"
done
echo "PostgreSQL: $pg_status"
echo "machine after the run: $(uptime)"
echo
ingest=$(field "$work/sqlite-office/load.txt" load events_per_s)
idle=$(field "$work/backlog.txt" backlog idle_worst_total)
drain=$(field "$work/backlog.txt" backlog drain_s)
drained=$(field "$work/backlog.txt" backlog outcome)
met() { if awk "BEGIN {exit !($1)}"; then echo met; else echo "**not met**"; fi; }
echo "| check | measured | target | |"
echo "|---|---:|---:|---|"
echo "| ingest, SQLite, office mix, 2 cores shared | $ingest events/s | ≥ 20,000 events/s | $(met "$ingest >= 20000") |"
echo "| idle sync, HTTP payload both ways | $idle bytes ($(field "$work/backlog.txt" backlog idle_requests) requests) | ≤ 512 bytes | $(met "$idle <= 512") |"
echo "| $(field "$work/backlog.txt" backlog entries)-entry backlog drained by one sync ($drained) | $drain s | ≤ 10 s | $(met "$drain <= 10") |"
# The byte budget and the drain are checks that must hold; throughput depends on the machine.
[ "$idle" -le 512 ] && [ "$drained" = ok ] && awk "BEGIN {exit !($drain <= 10)}"

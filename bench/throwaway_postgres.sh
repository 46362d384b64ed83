# Sourced by the benchmarks that measure a PostgreSQL store: a throwaway PostgreSQL 15 server
# (Debian's programs) on 127.0.0.1, as durable as the hub's SQLite store (WAL with
# synchronous=NORMAL: the log is flushed in the background, not at each commit; checkpoints still
# fsync). The caller stops it with stop_throwaway_postgres (in its EXIT trap).
#   start_throwaway_postgres   sets pg_root, pg_data, pg_port and psql_admin (psql as postgres)

pg_bin=${CKS_POSTGRES_BINDIR:-/usr/lib/postgresql/15/bin}
pg_root=
pg_data=
pg_port=

# A server program run as the postgres user when this script runs as root.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- env -C / "$pg_bin/$1" "${@:2}"; else "$pg_bin/$1" "${@:2}"; fi
}

# A TCP port on 127.0.0.1 nobody listens on, from $1 up.
free_port() {
  local port
  for port in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port from $1" >&2
  exit 1
}

start_throwaway_postgres() {
  # Outside the caller's mode-0700 work folder: the server runs as postgres and must reach it.
  pg_root=$(mktemp -d /tmp/cks-bench-pg.XXXXXX)
  chmod 0755 "$pg_root"
  mkdir -p "$pg_root/socket"
  pg_data=$pg_root/data
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$pg_root"
  as_postgres initdb -D "$pg_data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
  pg_port=$(free_port 15432)
  as_postgres pg_ctl -D "$pg_data" -l "$pg_root/server.log" -w -t 30 \
    -o "-p $pg_port -k $pg_root/socket -c listen_addresses=127.0.0.1 -c synchronous_commit=off" \
    start >/dev/null
}

psql_admin() { as_postgres psql -h "$pg_root/socket" -p "$pg_port" -U postgres -q -At "$@"; }

stop_throwaway_postgres() {
  if [ -n "$pg_data" ]; then
    as_postgres pg_ctl -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_root"
  fi
}

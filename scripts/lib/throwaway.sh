# Shell helpers shared by demo.sh and the benchmarks: a throwaway PostgreSQL cluster under a
# directory (run as `nobody` when we are root, since postgres refuses root), a taosync-sim in
# the background, and free TCP ports. Source it; it defines PG_BIN, and pg_start sets PG_PORT,
# sim_start sets SIM_PORT and SIM_PID.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
BIN="${BIN:-${TAOSYNC_BUILD_DIR:-$ROOT/build}/bin}"
PG_BIN="${TAOSYNC_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

# free_port [START]: the first port from START (default 20000) that nobody listens on.
free_port() {
  local port="${1:-20000}"
  port=$((port + RANDOM % 500))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  echo "$port"
}

# as_pg_user CMD...: runs CMD as the cluster's owner (nobody when root).
as_pg_user() {
  if ((EUID == 0)); then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

# pg_start DIR [SETTING=VALUE...]: initdb in DIR/data and start on a free 127.0.0.1 port.
pg_start() {
  local dir="$1"
  shift
  if ((EUID == 0)); then chown nobody "$dir"; fi
  as_pg_user "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  PG_PORT="$(free_port 25000)"
  local opts="-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
  opts+=" -c fsync=off -c full_page_writes=off -c max_connections=50"
  local setting
  for setting in "$@"; do opts+=" -c $setting"; done
  as_pg_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w start \
    >/dev/null || { cat "$dir/server.log" >&2; return 1; }
}

# pg_stop DIR: stops the cluster in DIR/data if it runs.
pg_stop() {
  local dir="$1"
  [[ -f "$dir/data/postmaster.pid" ]] || return 0
  as_pg_user "$PG_BIN/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true
}

# pgbouncer_start DIR MODE: Debian's pgbouncer in front of the cluster (every database, trust,
# pool_mode MODE) on a free port, as nobody when root (it refuses root); sets PGBOUNCER_PORT
# and PGBOUNCER_PID. Its log: DIR/pgbouncer.log.
pgbouncer_start() {
  local dir="$1" mode="$2" i
  PGBOUNCER_PORT="$(free_port 26000)"
  cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = $mode
max_client_conn = 200
default_pool_size = 20
INI
  echo '"postgres" ""' >"$dir/userlist.txt"
  local run=()
  if ((EUID == 0)); then
    chmod a+r "$dir/pgbouncer.ini" "$dir/userlist.txt"
    run=(setpriv --reuid=nobody --regid=nogroup --clear-groups --) # execs: its pid is pgbouncer's
  fi
  "${run[@]}" "${TAOSYNC_PGBOUNCER:-/usr/sbin/pgbouncer}" "$dir/pgbouncer.ini" \
    2>"$dir/pgbouncer.log" &
  PGBOUNCER_PID=$!
  for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PGBOUNCER_PORT") 2>/dev/null && return 0
    kill -0 "$PGBOUNCER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "pgbouncer did not start:" >&2
  cat "$dir/pgbouncer.log" >&2
  return 1
}

# pgbouncer_stop: stops the pgbouncer pgbouncer_start started, if any.
pgbouncer_stop() {
  [[ -n "${PGBOUNCER_PID:-}" ]] || return 0
  kill "$PGBOUNCER_PID" 2>/dev/null || true
  wait "$PGBOUNCER_PID" 2>/dev/null || true
  PGBOUNCER_PID=""
}

# psql_at DB ARGS...: psql against the throwaway cluster.
psql_at() {
  local db="$1"
  shift
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}

# sim_start DIR FLAGS...: starts taosync-sim on a free port; waits for its listening line.
sim_start() {
  local dir="$1"
  shift
  "$BIN/taosync-sim" --listen 127.0.0.1:0 "$@" >"$dir/sim.out" 2>"$dir/sim.err" &
  SIM_PID=$!
  local line="" i
  for ((i = 0; i < 3000; i++)); do
    line="$(grep -m1 -o 'taosync-sim listening on 127.0.0.1:[0-9]*' "$dir/sim.out" || true)"
    [[ -n "$line" ]] && break
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      echo "taosync-sim exited:" >&2
      cat "$dir/sim.err" >&2
      return 1
    fi
    sleep 0.1
  done
  [[ -n "$line" ]] || { echo "taosync-sim did not start" >&2; return 1; }
  SIM_PORT="${line##*:}"
}

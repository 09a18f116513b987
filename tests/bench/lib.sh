# Helpers for tests/bench/run.sh: one scenario's world (PostgreSQL, taosync-sim, config),
# timed daemon runs, simulator stats, the COPY floor, and the results table.
# Needs scripts/lib/throwaway.sh sourced first.

BENCH_DIR=""
DAEMON_PID=""

# bench_begin NAME SIM_FLAGS...: fresh PostgreSQL (database "bench") and simulator. With
# BENCH_POOLER=session or transaction, the daemon reaches it through a pgbouncer in that
# pool_mode (DAEMON_DB_URL); the comparisons and the COPY floor stay direct (DB_URL).
bench_begin() {
  local name="$1"
  shift
  BENCH_DIR="$(mktemp -d "/tmp/taosync-bench-$name-XXXXXX")"
  pg_start "$BENCH_DIR"
  psql_at postgres -c 'CREATE DATABASE bench'
  sim_start "$BENCH_DIR" "$@"
  DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/bench"
  DAEMON_DB_URL="$DB_URL"
  case "${BENCH_POOLER:-none}" in
    none) ;;
    session | transaction)
      pgbouncer_start "$BENCH_DIR" "$BENCH_POOLER"
      DAEMON_DB_URL="postgresql://postgres@127.0.0.1:$PGBOUNCER_PORT/bench"
      ;;
    *) echo "bench: BENCH_POOLER must be none, session or transaction" >&2; return 64 ;;
  esac
}

# bench_end: stops everything and removes the scenario's dir (BENCH_KEEP=1 keeps it).
bench_end() {
  stop_daemon_run
  if [[ -n "${SIM_PID:-}" ]]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  SIM_PID=""
  pgbouncer_stop
  [[ -n "$BENCH_DIR" ]] || return 0
  pg_stop "$BENCH_DIR"
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$BENCH_DIR"; fi
  return 0
}

# bench_config "key=value ...": writes $BENCH_DIR/taosync.yaml (rps, burst, poll, lag,
# overlap, batch).
bench_config() {
  local rps=1000 burst=100 poll=1s lag=0ms overlap=10s batch=500 kv
  for kv in $1; do
    case "${kv%%=*}" in
      rps) rps="${kv#*=}" ;; burst) burst="${kv#*=}" ;; poll) poll="${kv#*=}" ;;
      lag) lag="${kv#*=}" ;; overlap) overlap="${kv#*=}" ;; batch) batch="${kv#*=}" ;;
    esac
  done
  cat >"$BENCH_DIR/taosync.yaml" <<YAML
api:
  base_url: "http://127.0.0.1:$SIM_PORT/rest"
  auth_url: "http://127.0.0.1:$SIM_PORT/rest"
  app_key: "test-app-key"
  app_secret: "test-app-secret"
  access_token: "test-access-token"
  refresh_token: "test-refresh-token"
  timeout: 30s
  rate_limit: {requests_per_second: $rps, burst: $burst}
database:
  url: "$DAEMON_DB_URL"
  pooler: ${BENCH_POOLER:-none}
  batch_orders: $batch
sync:
  shop: "bench"
  poll_interval: $poll
  window: {overlap: $overlap, lag: $lag, max_length: 30d}
  reconcile: {enabled: false}
log:
  level: ${BENCH_LOG_LEVEL:-info}
metrics:
  listen: ""
YAML
  chmod 600 "$BENCH_DIR/taosync.yaml"
}

# run_daemon ARGS...: taosyncd with the scenario's config, to completion.
run_daemon() {
  "$BIN/taosyncd" --config "$BENCH_DIR/taosync.yaml" "$@" 2>>"$BENCH_DIR/taosyncd.log"
}

# timed_daemon ARGS...: like run_daemon, setting WALL (seconds) and PEAK_KB (max RSS).
timed_daemon() {
  local t0 t1
  t0="$(date +%s.%N)"
  /usr/bin/time -f '%M' -o "$BENCH_DIR/time.out" \
    "$BIN/taosyncd" --config "$BENCH_DIR/taosync.yaml" "$@" 2>>"$BENCH_DIR/taosyncd.log"
  t1="$(date +%s.%N)"
  WALL="$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')"
  PEAK_KB="$(tail -n 1 "$BENCH_DIR/time.out")"
}

# start_daemon_run / stop_daemon_run: `taosyncd run` in the background, stopped by SIGTERM.
start_daemon_run() {
  "$BIN/taosyncd" --config "$BENCH_DIR/taosync.yaml" run 2>>"$BENCH_DIR/taosyncd.log" &
  DAEMON_PID=$!
}
stop_daemon_run() {
  [[ -n "$DAEMON_PID" ]] || return 0
  kill -TERM "$DAEMON_PID" 2>/dev/null || true
  wait "$DAEMON_PID" 2>/dev/null || true
  DAEMON_PID=""
}

# cpu_seconds PID: CPU seconds of a running process's live threads, at nanosecond resolution
# (the first field of each thread's schedstat), since tick-based stat rounds to 10 ms.
cpu_seconds() {
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ ns += $1 } END { printf "%.4f", ns / 1e9 }'
}

# row_counts: "orders lines shipments sku" in the bench database.
row_counts() {
  psql_at bench -At -F ' ' -c "SELECT (SELECT count(*) FROM taosync.orders),
    (SELECT count(*) FROM taosync.order_lines), (SELECT count(*) FROM taosync.line_shipments),
    (SELECT count(*) FROM taosync.line_sku_properties)"
}

# sim_calls ENDPOINT [OUTCOME]: calls from /_sim/stats (empty ENDPOINT = all endpoints).
sim_calls() {
  "$BIN/taosync-bench-stats" --sim-port "$SIM_PORT" --endpoint "${1:-}" --outcome "${2:-}"
}

# sim_stat FIELD: a number of /_sim/stats by its dotted name (bytes.sent).
sim_stat() {
  "$BIN/taosync-bench-stats" --sim-port "$SIM_PORT" --field "$1"
}

# sim_control JSON: POST /_sim/control.
sim_control() {
  curl -fsS -X POST -H 'Content-Type: application/json' --data "$1" \
    "http://127.0.0.1:$SIM_PORT/_sim/control" >/dev/null
}

# check_truth [DB_URL FLAGS...]: taosync-compare (default: the scenario's database, --shop
# bench); a difference is reported as a result line.
check_truth() {
  local out db="${1:-$DB_URL}" flags=(--shop bench)
  if (($# > 1)); then flags=("${@:2}"); fi
  if out="$("$BIN/taosync-compare" --sim-port "$SIM_PORT" --db "$db" "${flags[@]}" 2>&1)"; then
    result "${FUNCNAME[1]#bench_}" "compare" "0 differences" ""
  else
    echo "$out" >&2
    result "${FUNCNAME[1]#bench_}" "compare" "$(grep -o 'differences=[0-9]*' <<<"$out" || echo error)" "0"
  fi
}

# freshness DB T0 T1 [AND ...]: "count p50 p99" of the delays from modification_time to the
# commit that recorded it (order_status_history.observed_at is the writing transaction's time)
# of the changes modified between the Unix times T0 and T1.
freshness() {
  psql_at "$1" -At -F ' ' -c "
    SELECT count(*),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2),
           round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 2)
    FROM (SELECT extract(epoch FROM observed_at - modification_time) AS d
          FROM taosync.order_status_history
          WHERE modification_time BETWEEN to_timestamp($2) AND to_timestamp($3) ${4:-}) x"
}

# copy_floor: seconds for psql to COPY the synced rows into empty tables with the same
# indexes (a second database with the taosync schema, no data).
copy_floor() {
  local dump="$BENCH_DIR/rows"
  mkdir -p "$dump"
  local t
  for t in orders order_lines line_shipments line_sku_properties; do
    psql_at bench -c "\\copy taosync.$t TO '$dump/$t.copy'"
  done
  psql_at postgres -c 'CREATE DATABASE floor'
  "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres --schema-only --schema=taosync bench |
    psql_at floor >/dev/null
  local t0 t1
  t0="$(date +%s.%N)"
  {
    echo "BEGIN;"
    for t in orders order_lines line_shipments line_sku_properties; do
      echo "\\copy taosync.$t FROM '$dump/$t.copy'"
    done
    echo "COMMIT;"
  } | psql_at floor >/dev/null
  t1="$(date +%s.%N)"
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }'
}

# result SCENARIO FIGURE VALUE TARGET: adds a row to the table.
result() { printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS_FILE"; }

print_results() {
  printf '\n%-10s | %-22s | %-22s | %s\n' "scenario" "figure" "value" "target / note"
  printf '%s\n' "-----------+------------------------+------------------------+-------------------"
  local s f v t
  while IFS='|' read -r s f v t; do
    printf '%-10s | %-22s | %-22s | %s\n' "$s" "$f" "$v" "$t"
  done <"$RESULTS_FILE"
}

fmt() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { if (b == 0) print "n/a"; else printf "%.*f", d, a / b }'; }

#!/usr/bin/env bash
# The demo: builds taosync, starts a throwaway PostgreSQL and a simulated shop (taosync-sim),
# syncs the shop with `taosyncd once` (the init), lets `taosyncd run` follow the live shop for
# a few polls, then prints the row counts and the psql command to look at the rows.
#
#   scripts/demo.sh [--keep] [--orders N] [--run-seconds S]
#
# --keep leaves PostgreSQL and the simulator running (and prints how to stop them);
# otherwise everything is stopped and removed when you press Enter (or at once when stdin
# is not a terminal).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEEP=0
ORDERS=2000
RUN_SECONDS=20
while (($#)); do
  case "$1" in
    --keep) KEEP=1 ;;
    --orders) ORDERS="$2"; shift ;;
    --run-seconds) RUN_SECONDS="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done

"$ROOT/scripts/setup.sh"
source "$ROOT/scripts/lib/throwaway.sh"

WORK="$(mktemp -d /tmp/taosync-demo-XXXXXX)"
SIM_PID=""
cleanup() {
  if ((KEEP)); then return; fi
  [[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null || true
  pg_stop "$WORK" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting a throwaway PostgreSQL under $WORK"
pg_start "$WORK"
DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/taosync"
"$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'CREATE DATABASE taosync'
echo "PostgreSQL on 127.0.0.1:$PG_PORT"

step "Starting taosync-sim with $ORDERS orders, 2 arrivals/s and 5 changes/s"
sim_start "$WORK" --orders "$ORDERS" --seed 42 --arrivals 2 --changes 5 --latency-ms 2
echo "taosync-sim on 127.0.0.1:$SIM_PORT (pid $SIM_PID)"

METRICS_PORT="$(free_port 19464)"
cat >"$WORK/taosync.yaml" <<YAML
# Demo config: the simulated shop on loopback, a throwaway database.
api:
  base_url: "http://127.0.0.1:$SIM_PORT/rest"
  auth_url: "http://127.0.0.1:$SIM_PORT/rest"
  app_key: "test-app-key"
  app_secret: "test-app-secret"
  access_token: "test-access-token"
  refresh_token: "test-refresh-token"
database:
  url: "$DB_URL"
sync:
  shop: "demo"
  poll_interval: 3s
  window: {overlap: 10s, lag: 1s}
log:
  level: info
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
YAML
chmod 600 "$WORK/taosync.yaml"

step "taosyncd once: the init sweep plus one incremental cycle"
"$BIN/taosyncd" --config "$WORK/taosync.yaml" once

step "taosyncd run for ${RUN_SECONDS}s: incremental polls follow the live shop"
"$BIN/taosyncd" --config "$WORK/taosync.yaml" run &
DAEMON_PID=$!
sleep "$RUN_SECONDS"
echo "--- a few metrics from http://127.0.0.1:$METRICS_PORT/metrics:"
curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null |
  grep -E '^taosync_(orders_synced|lines_synced|api_calls_total|cursor_lag)' | head -n 8 || true
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || echo "taosyncd exited with $?"

step "Freezing the shop, then one last taosyncd once to catch up"
curl -fsS -X POST -H 'Content-Type: application/json' \
  --data '{"arrivals":0,"changes":0}' "http://127.0.0.1:$SIM_PORT/_sim/control" >/dev/null
# Past the 1 s lag, plus a second: windows end by the platform's clock, read from its Date
# header, which has whole seconds, so a fresh process may read it up to a second early.
sleep 2.5
"$BIN/taosyncd" --config "$WORK/taosync.yaml" once

step "What is in PostgreSQL"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d taosync -P pager=off <<'SQL'
SELECT (SELECT count(*) FROM taosync.orders) AS orders,
       (SELECT count(*) FROM taosync.order_lines) AS lines,
       (SELECT count(*) FROM taosync.line_shipments) AS shipments,
       (SELECT count(*) FROM taosync.line_sku_properties) AS sku_properties,
       (SELECT count(*) FROM taosync.order_status_history) AS status_changes,
       (SELECT count(*) FROM taosync.rejected_records) AS rejected;
SELECT status, count(*) FROM taosync.orders GROUP BY status ORDER BY 2 DESC;
SELECT trade_order_id, status, actual_fee, actual_fee_currency_code, delivery_city
  FROM taosync.orders WHERE trade_order_id = '558757367941';
SQL

step "Compared with the simulator's truth"
compare_rc=0
if [[ -x "$BIN/taosync-compare" ]]; then
  "$BIN/taosync-compare" --sim-port "$SIM_PORT" --db "$DB_URL" --shop demo --max-details 5 ||
    compare_rc=$?
fi

cat <<TXT

Look at the rows yourself:
  $PG_BIN/psql "$DB_URL" -c 'SELECT trade_order_id, status, actual_fee, delivery_city, modification_time FROM taosync.orders ORDER BY modification_time DESC LIMIT 10'
  $PG_BIN/psql "$DB_URL" -c 'SELECT * FROM taosync.order_lines LIMIT 5'
Run the daemon again:
  $BIN/taosyncd --config $WORK/taosync.yaml run
TXT

if ((KEEP)); then
  cat <<TXT
PostgreSQL and taosync-sim keep running (--keep). Stop them with:
  kill $SIM_PID; runuser -u nobody -- $PG_BIN/pg_ctl -D $WORK/data stop -m fast; rm -rf $WORK
TXT
elif [[ -t 0 ]]; then
  read -r -p "Press Enter to stop PostgreSQL and the simulator and remove $WORK ... " _
fi
if ((compare_rc != 0)); then
  echo "demo: the database differs from the simulator's truth (taosync-compare exited $compare_rc)" >&2
  exit 1
fi

# The `shops` benchmark for tests/bench/run.sh (sourced; needs lib.sh): many shops of one app
# under one app-wide rate limit.
#   1. one daemon inits SHOPS shops of SHOP_ORDERS orders each;
#   2. two daemons do the same into a fresh database, sharing the shops and the limit;
#   3. while those two keep polling the small shops (each changing), a BIG_ORDERS shop is
#      added (SIGHUP) and inits: the small shops' freshness is measured meanwhile.
# Sizes: BENCH_SHOPS (50), BENCH_SHOP_ORDERS (2000), BENCH_BIG_ORDERS (100000),
# BENCH_SHOPS_RPS (100, the app's calls per second).

SHOPS="${BENCH_SHOPS:-50}"
SHOP_ORDERS="${BENCH_SHOP_ORDERS:-2000}"
BIG_ORDERS="${BENCH_BIG_ORDERS:-100000}"
SHOPS_RPS="${BENCH_SHOPS_RPS:-100}"
SHOPS_POLL=5 # seconds
SHOPS_LAG=2  # seconds
SHOP_PIDS=() # the daemons of the run in progress (run.sh stops them if a scenario fails)

# shops_config FILE DB_URL LAST: a config for shops shop-1..shop-LAST of the app, with leases.
shops_config() {
  local file="$1" db_url="$2" last="$3" i
  {
    cat <<YAML
api:
  base_url: "http://127.0.0.1:$SIM_PORT/rest"
  auth_url: "http://127.0.0.1:$SIM_PORT/rest"
  app_key: "test-app-key"
  app_secret: "test-app-secret"
  timeout: 30s
  rate_limit: {requests_per_second: $SHOPS_RPS, burst: $((SHOPS_RPS / 2))}
database:
  url: "$db_url"
sync:
  poll_interval: ${SHOPS_POLL}s
  window: {overlap: 30s, lag: ${SHOPS_LAG}s, max_length: 30d}
  reconcile: {enabled: false}
ha: {leases: true, lease_ttl: 15s}
log:
  level: info
metrics:
  listen: ""
shops:
YAML
    for ((i = 1; i <= last; i++)); do
      printf '  - {name: shop-%d, access_token: test-access-token-%d, refresh_token: test-refresh-token-%d}\n' \
        "$i" "$i" "$i"
    done
  } >"$file"
  chmod 600 "$file"
}

# shops_inited DB N: true once N shops have finished their init in database DB.
shops_inited() {
  local n
  n="$(psql_at "$1" -At -c "SELECT count(*) FROM taosync.sync_state WHERE init_done" 2>/dev/null || echo 0)"
  ((n >= $2))
}

# shops_minimum DB [WHERE]: the fewest calls that can list and detail the rows of DB:
# per shop ⌈orders/100⌉ + ⌈lines/50⌉, summed.
shops_minimum() {
  psql_at "$1" -At -c "
    SELECT sum(ceil(o.n / 100.0) + ceil(coalesce(l.n, 0) / 50.0))::bigint
    FROM (SELECT shop, count(*) AS n FROM taosync.orders GROUP BY shop) o
    LEFT JOIN (SELECT shop, count(*) AS n FROM taosync.order_lines GROUP BY shop) l USING (shop)
    ${2:-}"
}

# peak_kb PID: the process's peak resident set (VmHWM) in KiB.
peak_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# shops_init_run LABEL DB DAEMONS: DAEMONS daemons init every small shop into DB; results.
shops_init_run() {
  local label="$1" db="$2" daemons="$3" i
  psql_at postgres -c "CREATE DATABASE $db"
  shops_config "$BENCH_DIR/$db.yaml" "postgresql://postgres@127.0.0.1:$PG_PORT/$db" "$SHOPS"
  local calls0 refused0
  calls0=$(($(sim_calls /orders/get) + $(sim_calls /order/items/get)))
  refused0="$(sim_calls "" ApiCallLimit)"
  local t0 t1
  t0="$(date +%s.%N)"
  SHOP_PIDS=()
  for ((i = 0; i < daemons; i++)); do
    "$BIN/taosyncd" --config "$BENCH_DIR/$db.yaml" run 2>>"$BENCH_DIR/$db-$i.log" &
    SHOP_PIDS+=($!)
  done
  until shops_inited "$db" "$SHOPS"; do
    for i in "${SHOP_PIDS[@]}"; do kill -0 "$i" 2>/dev/null || { echo "a daemon exited" >&2; return 1; }; done
    sleep 0.2
  done
  t1="$(date +%s.%N)"
  local calls refused minimum floor wall peak=0 kb
  calls=$(($(sim_calls /orders/get) + $(sim_calls /order/items/get) - calls0))
  refused=$(($(sim_calls "" ApiCallLimit) - refused0))
  minimum="$(shops_minimum "$db")"
  floor="$(awk -v m="$minimum" -v r="$SHOPS_RPS" 'BEGIN { printf "%.3f", m / r }')"
  wall="$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')"
  for i in "${SHOP_PIDS[@]}"; do
    kb="$(peak_kb "$i")"
    ((kb > peak)) && peak=$kb
  done
  result shops "$label: calls" "$calls" "<= $(awk -v m="$minimum" 'BEGIN { printf "%d", m * 1.15 }') (1.15 x minimum $minimum)"
  result shops "$label: refused" "$refused ($(ratio $((refused * 100)) "$calls" 2) %)" "ApiCallLimit"
  result shops "$label: wall" "$(fmt "$wall")s" "floor ${floor}s at $SHOPS_RPS calls/s"
  result shops "$label: wall / floor" "$(ratio "$wall" "$floor" 2)" "<= 1.15"
  result shops "$label: peak RSS" "$((peak / 1024)) MiB per daemon" "<= $((64 + (SHOPS + daemons - 1) / daemons)) MiB (64 + 1 per shop held)"
}

# shops_stop: SIGTERM to the daemons of the last run.
shops_stop() {
  local pid
  for pid in "${SHOP_PIDS[@]+"${SHOP_PIDS[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SHOP_PIDS[@]+"${SHOP_PIDS[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  SHOP_PIDS=()
}

bench_shops() {
  # Sellers shop-1..shop-SHOPS are small; shop-(SHOPS+1) is the big one, configured later.
  bench_begin shops --seller-orders "${SHOP_ORDERS}x${SHOPS},$BIG_ORDERS" --seed 106 \
    --rate-limit "$SHOPS_RPS" --burst "$SHOPS_RPS" --latency-ms 5
  shops_init_run "1 daemon" one 1
  shops_stop
  shops_init_run "2 daemons" two 2

  # The big shop joins while the small ones change: 0.1 changes/s each.
  sim_control '{"changes":0.1}'
  sleep $((SHOPS_POLL + SHOPS_LAG))
  local t0 t1
  t0="$(date +%s.%N)"
  shops_config "$BENCH_DIR/two.yaml" "postgresql://postgres@127.0.0.1:$PG_PORT/two" $((SHOPS + 1))
  kill -HUP "${SHOP_PIDS[@]}"
  local big="shop-$((SHOPS + 1))" i
  for ((i = 0; i < 1800; i++)); do
    [[ "$(psql_at two -At -c "SELECT init_done FROM taosync.sync_state WHERE shop = '$big'")" == t ]] && break
    sleep 1
  done
  t1="$(date +%s.%N)"
  sim_control '{"changes":0}'
  sleep $((SHOPS_POLL + SHOPS_LAG + 2)) # the last changes land
  local n p50 p99 peak=0 kb pid
  read -r n p50 p99 < <(freshness two "$t0" "$t1" "AND shop <> '$big'")
  for pid in "${SHOP_PIDS[@]}"; do
    kb="$(peak_kb "$pid")"
    ((kb > peak)) && peak=$kb
  done
  local big_wall
  big_wall="$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')"
  result shops "big init" "${big_wall}s" "$BIG_ORDERS orders, added by SIGHUP to 2 daemons"
  result shops "small shops' changes" "$n" "observed during the big init"
  result shops "small p50 freshness" "${p50:-n/a}s" ""
  result shops "small p99 freshness" "${p99:-n/a}s" "<= $((SHOPS_POLL + SHOPS_LAG + 2))s (poll + lag + 2 s)"
  result shops "peak RSS (big)" "$((peak / 1024)) MiB per daemon" "<= $((64 + (SHOPS + 2) / 2)) MiB (64 + 1 per shop held)"
  shops_stop
  check_truth "postgresql://postgres@127.0.0.1:$PG_PORT/two" --all-shops
}

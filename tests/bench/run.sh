#!/usr/bin/env bash
# The taosync benchmarks. Each scenario starts its own throwaway PostgreSQL and
# taosync-sim, runs the real taosyncd, and adds its figures to a table printed at the end.
#
#   tests/bench/run.sh [raw] [throttled] [latency] [fresh] [scale] [idle] [shops] [lazada]
#   (default: all)
#
# Sizes can be overridden: BENCH_RAW_ORDERS (100000), BENCH_THROTTLED_ORDERS (5000),
# BENCH_LATENCY_ORDERS (2000), BENCH_FRESH_SECONDS (60), BENCH_SCALE_ORDERS (1000000),
# BENCH_IDLE_SECONDS (60), BENCH_LAZADA_ORDERS (20000); the shops scenario's in tests/bench/shops.sh. BENCH_POOLER=session or
# transaction puts Debian's pgbouncer in that pool_mode between taosyncd and PostgreSQL.
# Run through scripts/bench.sh, which builds first. Not part of CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib/throwaway.sh"
source "$ROOT/tests/bench/lib.sh"
source "$ROOT/tests/bench/shops.sh"

RAW_ORDERS="${BENCH_RAW_ORDERS:-100000}"
THROTTLED_ORDERS="${BENCH_THROTTLED_ORDERS:-5000}"
LATENCY_ORDERS="${BENCH_LATENCY_ORDERS:-2000}"
FRESH_SECONDS="${BENCH_FRESH_SECONDS:-60}"
SCALE_ORDERS="${BENCH_SCALE_ORDERS:-1000000}"
IDLE_SECONDS="${BENCH_IDLE_SECONDS:-60}"
LAZADA_ORDERS="${BENCH_LAZADA_ORDERS:-20000}"

# 1. Raw: an unthrottled init of RAW_ORDERS orders, then the psql COPY floor of its rows.
bench_raw() {
  bench_begin raw --orders "$RAW_ORDERS" --seed 101
  bench_config "rps=100000 burst=1000 lag=0ms batch=2000"
  timed_daemon once
  local orders lines shipments sku rows
  read -r orders lines shipments sku < <(row_counts)
  rows=$((orders + lines + shipments + sku))
  check_truth
  local floor
  floor="$(copy_floor)"
  result raw "wall time" "$(fmt "$WALL")s" ""
  result raw "orders/s" "$(ratio "$orders" "$WALL" 0)" ">= 6000"
  result raw "rows/s" "$(ratio "$rows" "$WALL" 0)" "($orders orders, $lines lines, $shipments shipments, $sku sku)"
  result raw "psql COPY floor" "$(fmt "$floor")s" ""
  result raw "time / floor" "$(ratio "$WALL" "$floor" 2)" "<= 1.5"
  result raw "peak RSS" "$((PEAK_KB / 1024)) MiB" ""
  # Where the writer's time went (the init's own log line): how long a write was in flight, as a
  # share of the wall time, and each phase's share of the two write connections' time together.
  local line busy waited total phase seconds
  line="$(grep -o "init writer: .*" "$BENCH_DIR/taosyncd.log")"
  busy="$(grep -o 'busy [0-9.]*s' <<<"$line" | grep -o '[0-9.]*')"
  waited="$(grep -o 'waiting for batches [0-9.]*s' <<<"$line" | grep -o '[0-9.]*')"
  result raw "writer busy" "${busy}s ($(ratio "$(awk -v x="$busy" 'BEGIN { print 100 * x }')" "$WALL" 0) %)" "a batch write in flight, of the wall time"
  result raw "writer waiting" "${waited}s" "the dispatcher, for its next batch (a write may be in flight)"
  total="$(grep -o -E '(copy|statements|feed|commit) [0-9.]+s' <<<"$line" | grep -o -E '[0-9.]+' |
    awk '{ s += $1 } END { printf "%.3f", s }')"
  for phase in copy statements "change feed" commit; do
    seconds="$(grep -o "$phase [0-9.]*s" <<<"$line" | grep -o '[0-9.]*s$' | tr -d s)"
    result raw "writes: $phase" "${seconds}s ($(ratio "$(awk -v x="$seconds" 'BEGIN { print 100 * x }')" "$total" 0) %)" "of ${total}s on both write connections"
  done
}

# Lazada: a LAZADA_ORDERS-order Lazada shop at 20 calls/s, a tenth of its orders changing while
# the init runs; calls against the minimum (full listing pages of 100, items of 50 orders a call),
# and a shop with LAZADA_SAME_SECOND orders updated in one second read whole.
bench_lazada() {
  local orders minimum calls list_calls item_calls changes
  bench_begin lazada --platform lazada --orders "$LAZADA_ORDERS" --seed 111 --rate-limit 20 \
    --burst 20
  bench_config "rps=20 burst=20 lag=0ms"
  lazada_shop_config
  # About a tenth of the orders change during the init: it takes about minimum / 20 seconds.
  minimum=$(((LAZADA_ORDERS + 99) / 100 + (LAZADA_ORDERS + 49) / 50))
  sim_control "{\"changes\": $(awk -v n="$LAZADA_ORDERS" -v m="$minimum" 'BEGIN { printf "%.1f", n / 10 / (m / 20) }')}"
  timed_daemon once
  list_calls="$(sim_calls /orders/get)"
  item_calls="$(sim_calls /orders/items/get)"
  calls=$((list_calls + item_calls))
  changes="$(sim_stat changes)"
  sim_control '{"changes": 0}'
  sleep 2
  run_daemon once
  check_truth
  read -r orders _ _ _ < <(row_counts)
  result lazada "changes during the init" "$changes" "a tenth of $LAZADA_ORDERS orders"
  result lazada "calls made" "$calls ($(ratio "$calls" "$minimum" 3) x)" "<= $(awk -v m="$minimum" 'BEGIN { printf "%d", m * 1.05 + 5 }') (1.05 x minimum $minimum + 5)"
  result lazada "listing, items calls" "$list_calls, $item_calls" ""
  result lazada "offsets refused (E014)" "$(sim_calls /orders/get E014)" "0"
  result lazada "wall time" "$(fmt "$WALL")s" "floor $(awk -v m="$minimum" 'BEGIN { printf "%.1f", m / 20 }')s"
}

# lazada_shop_config: turns the scenario's config into one Lazada shop of the simulator.
lazada_shop_config() {
  cat >>"$BENCH_DIR/taosync.yaml" <<YAML
lazada:
  app_key: "test-app-key"
  app_secret: "test-app-secret"
  auth_url: "http://127.0.0.1:$SIM_PORT/rest"
  rate_limit: {requests_per_second: 20, burst: 20}
shops:
  - name: "bench"
    platform: lazada
    country: sg
    base_url: "http://127.0.0.1:$SIM_PORT/rest"
    access_token: "test-access-token"
    refresh_token: "test-refresh-token"
YAML
}

# 2. Throttled: 20 calls/s with 20 ms latency; calls against the minimum, wall against floor.
bench_throttled() {
  bench_begin throttled --orders "$THROTTLED_ORDERS" --seed 102 --rate-limit 20 --burst 20 \
    --latency-ms 20
  bench_config "rps=20 burst=20 lag=0ms"
  timed_daemon once
  check_truth
  local orders lines calls list_calls refused minimum floor sent plain
  read -r orders lines _ _ < <(row_counts)
  list_calls="$(sim_calls /orders/get)"
  calls=$((list_calls + $(sim_calls /order/items/get)))
  refused="$(sim_calls "" ApiCallLimit)"
  minimum=$(((orders + 99) / 100 + (lines + 49) / 50))
  floor="$(awk -v m="$minimum" 'BEGIN { printf "%.3f", m / 20 }')"
  sent="$(sim_stat bytes.sent)"
  plain="$(sim_stat bytes.plain)"
  result throttled "calls made" "$calls ($(ratio "$calls" "$minimum" 3) x)" "<= $(awk -v m="$minimum" 'BEGIN { printf "%d", m * 1.05 + 5 }') (1.05 x minimum $minimum + 5)"
  result throttled "listing calls" "$list_calls" ">= $(((orders + 99) / 100)) (full pages)"
  result throttled "calls per order" "$(ratio "$calls" "$orders" 3)" ""
  result throttled "ApiCallLimit refusals" "$refused ($(ratio $((refused * 100)) "$calls" 2) %)" "<= 0.5 %"
  result throttled "wall time" "$(fmt "$WALL")s" ""
  result throttled "floor" "${floor}s" ""
  result throttled "wall / floor" "$(ratio "$WALL" "$floor" 2)" "<= 1.10"
  result throttled "bytes/order, gzip" "$(ratio "$sent" "$orders" 0)" "answer bodies on the wire"
  result throttled "bytes/order, plain" "$(ratio "$plain" "$orders" 0)" "the same answers uncompressed ($(ratio "$plain" "$sent" 1) x)"
}

# 3. Latency-bound: 20 ms per answer and no rate limit; taosyncd's init against a script that
# asks /order/get once per order, on the same shop. Listing overlaps line fetching: the wall
# time should be near the longer of the two alone, not their sum.
bench_latency() {
  bench_begin latency --orders "$LATENCY_ORDERS" --seed 106 --latency-ms 20
  bench_config "rps=100000 burst=1000 lag=0ms"
  timed_daemon once
  check_truth
  local orders list_calls item_calls listing items naive naive_orders
  read -r orders _ _ _ < <(row_counts)
  list_calls="$(sim_calls /orders/get)"
  item_calls="$(sim_calls /order/items/get)"
  # a window's first page alone, the rest of its pages 4 at a time: at best calls / 4 round trips
  listing="$(awk -v c="$list_calls" 'BEGIN { printf "%.3f", c * 0.020 / 4 }')"
  items="$(awk -v c="$item_calls" 'BEGIN { printf "%.3f", c * 0.020 / 8 }')" # api.max_in_flight 8
  # the writer's own time: how long a batch write was in flight, as the init logs it
  local writer
  writer="$(grep -o 'init writer: busy [0-9.]*s' "$BENCH_DIR/taosyncd.log" | grep -o '[0-9.]*s$' |
    tr -d s)"
  read -r naive_orders _ naive < <("$BIN/taosync-bench-naive" --sim-port "$SIM_PORT")
  local init
  init="$(grep -o 'init complete: .* in [0-9.]*s' "$BENCH_DIR/taosyncd.log" | grep -o '[0-9.]*s$' | tr -d s)"
  result latency "wall time" "$(fmt "$WALL")s" "$orders orders; the init itself ${init}s, the rest is start-up"
  result latency "listing alone" "${listing}s" "$list_calls calls x 20 ms / 4 pages at a time"
  result latency "items alone" "${items}s" "$item_calls calls x 20 ms / 8 in flight"
  result latency "writer alone" "${writer}s" "a batch write in flight, as the init logs it"
  local slowest
  slowest="$(awk -v a="$listing" -v b="$items" -v c="$writer" 'BEGIN { m = a > b ? a : b; print (m > c ? m : c) }')"
  result latency "init / slowest stage" "$(ratio "$init" "$slowest" 2)" "~1 when overlapped; their sum would be $(awk -v a="$listing" -v b="$items" -v c="$writer" -v m="$slowest" 'BEGIN { printf "%.2f", (a + b + c) / m }')"
  result latency "one call per order" "$(fmt "$naive")s" "a script: list, then /order/get x $naive_orders"
  result latency "speed-up" "$(ratio "$naive" "$WALL" 1) x" ">= 10 x"
}

# 4. Fresh: a live shop (50 changes/s); delay from modification_time to the commit that
# recorded it (order_status_history.observed_at is the writing transaction's time).
bench_fresh() {
  bench_begin fresh --orders 20000 --seed 103
  bench_config "rps=1000 burst=100 poll=5s lag=2s overlap=30s"
  run_daemon once >/dev/null
  sim_control '{"changes":50}'
  local t0
  t0="$(date +%s.%N)"
  start_daemon_run
  sleep "$FRESH_SECONDS"
  sim_control '{"changes":0}'
  local t1
  t1="$(date +%s.%N)"
  sleep 9 # poll_interval + lag + 2 s: the last changes land
  stop_daemon_run
  local p50 p99 n
  read -r n p50 p99 < <(freshness bench "$t0" "$t1")
  check_truth
  result fresh "changes observed" "$n" "over ${FRESH_SECONDS}s at 50 changes/s"
  result fresh "p50 delay" "${p50}s" ""
  result fresh "p99 delay" "${p99}s" "<= 8s (poll 5s + lag 2s + 1s)"
}

# 5. Scale: an init of SCALE_ORDERS orders with the default batch size; peak RSS and orders/s.
bench_scale() {
  bench_begin scale --orders "$SCALE_ORDERS" --seed 104
  bench_config "rps=100000 burst=1000 lag=0ms"
  timed_daemon once
  local orders
  read -r orders _ _ _ < <(row_counts)
  if [[ "${BENCH_COMPARE_SCALE:-0}" == 1 ]]; then check_truth; fi
  result scale "orders" "$orders" "$SCALE_ORDERS in the shop"
  result scale "orders/s" "$(ratio "$orders" "$WALL" 0)" ""
  result scale "wall time" "$(fmt "$WALL")s" ""
  result scale "peak RSS" "$((PEAK_KB / 1024)) MiB" "<= 48 MiB (database.batch_orders 500)"
}

# 6. Idle: polls every 5 s of a shop where nothing changes; CPU seconds of taosyncd.
bench_idle() {
  bench_begin idle --orders 5000 --seed 105
  bench_config "rps=1000 burst=100 poll=5s lag=2s"
  run_daemon once >/dev/null
  start_daemon_run
  sleep 5 # past start-up
  local before after
  before="$(cpu_seconds "$DAEMON_PID")"
  sleep "$IDLE_SECONDS"
  after="$(cpu_seconds "$DAEMON_PID")"
  stop_daemon_run
  local used
  used="$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.4f", a - b }')"
  result idle "CPU seconds" "$used" "over ${IDLE_SECONDS}s"
  result idle "CPU share" "$(awk -v u="$used" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.4f %%", 100 * u / s }')" "< 1 % of a core"
}

main() {
  local scenarios=("$@")
  ((${#scenarios[@]})) || scenarios=(raw throttled latency fresh scale idle shops lazada)
  local s rc
  for s in "${scenarios[@]}"; do
    case "$s" in
      raw | throttled | latency | fresh | scale | idle | shops | lazada) ;;
      *) echo "bench: unknown scenario $s" >&2; exit 64 ;;
    esac
  done
  RESULTS_FILE="$(mktemp /tmp/taosync-bench-results-XXXXXX)"
  export RESULTS_FILE
  for s in "${scenarios[@]}"; do
    echo "== bench $s" >&2
    set +e
    # A subshell per scenario: errexit applies inside, and the trap always cleans up (keeping
    # the scenario's dir, with its logs, when it failed).
    (
      trap 'rc=$?; if ((rc)); then BENCH_KEEP=1; fi; shops_stop; bench_end' EXIT
      "bench_$s"
    )
    rc=$?
    set -e
    if ((rc)); then result "$s" "FAILED (exit $rc)" "" "logs in /tmp/taosync-bench-$s-*"; fi
  done
  print_results
  rm -f "$RESULTS_FILE"
}

main "$@"

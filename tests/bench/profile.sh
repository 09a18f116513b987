#!/usr/bin/env bash
# Profiles the raw scenario (an unthrottled init, as in run.sh) with perf, system-wide, so that
# taosyncd, taosync-sim and PostgreSQL's backends all show: where the two cores' time goes.
#
#   tests/bench/profile.sh            (BENCH_RAW_ORDERS, default 100000; PERF_FREQ, default 499)
#
# Prints the CPU share of each process and, inside taosyncd, of each thread and of the
# symbols that take most; keeps perf.data in the printed directory (BENCH_KEEP=1 keeps the
# whole scenario). Needs linux-perf and a kernel that lets root sample (perf_event_paranoid).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib/throwaway.sh"
source "$ROOT/tests/bench/lib.sh"

ORDERS="${BENCH_RAW_ORDERS:-100000}"
FREQ="${PERF_FREQ:-499}"
OUT="$(mktemp -d /tmp/taosync-profile-XXXXXX)"
RESULTS_FILE="$OUT/results"
trap 'bench_end' EXIT

bench_begin raw --orders "$ORDERS" --seed 101
bench_config "rps=100000 burst=1000 lag=0ms batch=2000"
t0="$(date +%s.%N)"
# shellcheck disable=SC2016 # $$ is the inner shell's pid, which exec hands to taosyncd
perf record -a -g -F "$FREQ" -o "$OUT/perf.data" -- \
  sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$OUT/taosyncd.pid" \
  "$BIN/taosyncd" --config "$BENCH_DIR/taosync.yaml" once 2>>"$BENCH_DIR/taosyncd.log" \
  >/dev/null 2>"$OUT/perf-record.log"
DAEMON="$(cat "$OUT/taosyncd.pid")"
t1="$(date +%s.%N)"
echo "wall $(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", a - b }')s for $ORDERS orders"
# Other processes of a shared machine show too; the threads of this run's taosyncd, its
# PostgreSQL backends and the simulator are the ones that started with it.
report() { perf report -i "$OUT/perf.data" --no-children --stdio -g none "$@" 2>/dev/null |
  grep -E '^ +[0-9]' || true; }
echo "== CPU samples by process (share of all samples, both cores)"
report --sort comm | head -12
echo "== by thread (pid:command; a thread's id is its pid here)"
report --sort pid | head -15
echo "== this taosyncd (pid $DAEMON): top symbols"
report --pid "$DAEMON" --sort dso,sym | head -30
echo "== postgres: top symbols"
report --comm postgres --sort sym | head -15
echo "perf.data: $OUT/perf.data"

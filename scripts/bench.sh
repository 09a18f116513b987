#!/usr/bin/env bash
# The benchmarks (not part of CI): builds, then runs tests/bench/run.sh, which starts its own
# PostgreSQL and taosync-sim per scenario and prints a table of figures.
#
#   scripts/bench.sh [raw] [throttled] [latency] [fresh] [scale] [idle] [shops]   (default: all seven)
#
# Smaller runs: BENCH_RAW_ORDERS=20000 BENCH_SCALE_ORDERS=200000 scripts/bench.sh raw scale
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
exec "$ROOT/tests/bench/run.sh" "$@"

#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test with ctest
# (unit, PostgreSQL integration, simulator contract, end-to-end and ops tests).
# Extra arguments go to ctest, e.g. `scripts/test.sh -L e2e` or `-R seed`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
if [[ -n "${TAOSYNC_BUILD_DIR:-}" ]]; then
  ctest --test-dir "$TAOSYNC_BUILD_DIR" --output-on-failure -j2 --timeout 900 "$@"
else
  ctest --preset default "$@"
fi

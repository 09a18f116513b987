#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test with ctest
# (unit, PostgreSQL integration, simulator contract, in-process async, end-to-end and ops
# tests). A full run (no arguments) checks the formatting first, then runs the end-to-end and
# ops tests of the default build, then the in-process tests (labels unit, store, sim, inproc)
# under the sanitizers (scripts/sanitize.sh; TAOSYNC_SANITIZE="asan tsan" by default). The
# asan build runs every in-process test, so the default build leaves them to it; with
# TAOSYNC_SANITIZE=none (or without asan) the default build runs them itself.
# Extra arguments go to ctest for the default build only, e.g. `scripts/test.sh -L e2e` or
# `-R seed`. CI (.ci/run) adds the lint (scripts/tidy.sh) and the Debian 13 check.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
if (($# > 0)); then
  if [[ -n "${TAOSYNC_BUILD_DIR:-}" ]]; then
    exec ctest --test-dir "$TAOSYNC_BUILD_DIR" --output-on-failure -j2 --timeout 900 "$@"
  fi
  exec ctest --preset default "$@"
fi

scripts/check-format.sh
sanitize="${TAOSYNC_SANITIZE-asan tsan}"
[[ "$sanitize" == none ]] && sanitize=""
default_tests=()
[[ " $sanitize " == *" asan "* ]] && default_tests=(-LE 'unit|store|sim|inproc')
if [[ -n "${TAOSYNC_BUILD_DIR:-}" ]]; then
  ctest --test-dir "$TAOSYNC_BUILD_DIR" --output-on-failure -j2 --timeout 900 "${default_tests[@]}"
else
  ctest --preset default "${default_tests[@]}"
fi
if [[ -n "$sanitize" ]]; then
  # shellcheck disable=SC2086 # a list of preset names
  scripts/sanitize.sh $sanitize
fi

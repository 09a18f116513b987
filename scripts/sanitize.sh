#!/usr/bin/env bash
# Sanitizer runs (presets in CMakePresets.json), each in its own build directory:
#   asan  ASan + UBSan over every in-process test (labels unit, store, sim, inproc): build-asan/
#   tsan  TSan over the in-process async tests (label inproc): build-tsan/
# Tests that spawn taosyncd (e2e, ops) are not built or run here. The builds run side by side,
# then the tests one preset after the other.
# Usage: scripts/sanitize.sh [asan] [tsan] [-- ctest args]   (no preset named: both)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

presets=()
while (($#)) && [[ "$1" != "--" ]]; do
  case "$1" in
  asan | tsan) presets+=("$1") ;;
  *) echo "sanitize: unknown preset '$1' (asan, tsan)" >&2 && exit 64 ;;
  esac
  shift
done
[[ "${1:-}" == "--" ]] && shift
((${#presets[@]})) || presets=(asan tsan)

# The sanitizers print what they find to stderr; a finding fails the test that hit it.
# LeakSanitizer stops the world with ptrace, which some containers forbid: then the run goes
# on without leak checks (and says so) rather than failing every test.
probe_leak_checks() {
  local out
  if ! out="$(ASAN_OPTIONS=detect_leaks=1 build-asan/bin/taosync_config_test --no-run=true 2>&1)" &&
    grep -q "LeakSanitizer has encountered a fatal error" <<<"$out"; then
    echo "sanitize: LeakSanitizer cannot run here (no ptrace): leak checks off" >&2
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  fi
}

# The builds run side by side: each has stretches where one library waits for another and a
# core would idle (about 90 s of the two on a 2-core machine). Each logs to its build directory.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT # an interrupted run leaves no build behind
for preset in "${presets[@]}"; do
  cmake --preset "$preset" >/dev/null
  echo "sanitize: building $preset (log: build-$preset/build.log)"
  cmake --build --preset "$preset" >"build-$preset/build.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!presets[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "sanitize: the ${presets[$i]} build failed; the end of build-${presets[$i]}/build.log:" >&2
    tail -n 60 "build-${presets[$i]}/build.log" >&2
    failed=1
  fi
done
((failed == 0)) || exit 1

for preset in "${presets[@]}"; do
  echo "sanitize: $preset"
  [[ "$preset" == asan ]] && probe_leak_checks
  ctest --preset "$preset" "$@"
done

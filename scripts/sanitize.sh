#!/usr/bin/env bash
# Sanitizer runs (presets in CMakePresets.json), each in its own build directory:
#   asan  ASan + UBSan over every in-process test (labels unit, store, sim, inproc): build-asan/
#   tsan  TSan over the in-process async tests (label inproc): build-tsan/
# Tests that spawn taosyncd (e2e, ops) are not built or run here.
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

for preset in "${presets[@]}"; do
  echo "sanitize: $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  [[ "$preset" == asan ]] && probe_leak_checks
  ctest --preset "$preset" "$@"
done

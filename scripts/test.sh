#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test with ctest
# (unit, PostgreSQL integration, simulator contract, in-process async, end-to-end and ops
# tests). A full run (no arguments) also checks the formatting first, then runs clang-tidy
# (scripts/tidy.sh; TAOSYNC_TIDY=none skips it), and, after the tests, runs the sanitizer
# builds (scripts/sanitize.sh; TAOSYNC_SANITIZE="asan tsan" by default, "none" skips them),
# then, as root, builds and tests in a Debian 13 root (scripts/check-distro.sh;
# TAOSYNC_DISTROS="trixie" by default, but none on Debian 13 itself; "none" skips it).
# Extra arguments go to ctest for the default build only, e.g. `scripts/test.sh -L e2e` or
# `-R seed`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
full=$(($# == 0))
if ((full)); then
  scripts/check-format.sh
  if [[ "${TAOSYNC_TIDY-}" != none ]]; then
    scripts/tidy.sh
  fi
fi
if [[ -n "${TAOSYNC_BUILD_DIR:-}" ]]; then
  ctest --test-dir "$TAOSYNC_BUILD_DIR" --output-on-failure -j2 --timeout 900 "$@"
else
  ctest --preset default "$@"
fi
sanitize="${TAOSYNC_SANITIZE-asan tsan}"
if ((full)) && [[ -n "$sanitize" && "$sanitize" != none ]]; then
  # shellcheck disable=SC2086 # a list of preset names
  scripts/sanitize.sh $sanitize
fi
distros="${TAOSYNC_DISTROS-$(. /etc/os-release 2>/dev/null; [[ "${VERSION_CODENAME:-}" == trixie ]] || echo trixie)}"
if ((full)) && [[ -n "$distros" && "$distros" != none ]]; then
  if ((EUID == 0)); then
    for suite in $distros; do
      scripts/check-distro.sh "$suite"
    done
  else
    echo "test: the check in a debootstrapped root ($distros) needs root: skipped" >&2
  fi
fi

#!/usr/bin/env bash
# The lint check: clang-tidy 14 (Debian 12's) with the committed .clang-tidy over every .cpp
# under lib/ and daemon/, two commands at a time. Prints each finding once (a header's finding
# shows up in every file that includes it) and their count per check; fails on any. Arguments
# (paths or git pathspecs, e.g. lib/store) check only the .cpp files they name.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CLANG_TIDY="${CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy || true)}"
if [[ -z "$CLANG_TIDY" ]]; then
  # setup.sh installs it on Debian 12 alone, the one distribution whose clang-tidy is 14.
  if (. /etc/os-release 2>/dev/null && [[ "${ID:-} ${VERSION_ID:-}" == "debian 12" ]]); then
    echo "tidy: clang-tidy not found (apt install clang-tidy)" >&2
    exit 2
  fi
  echo "tidy: no clang-tidy here: the code is checked with clang-tidy 14 on Debian 12; skipped" >&2
  exit 0
fi
# Another major version has other checks and finds other things: elsewhere the check is
# skipped, saying so.
. "$ROOT/scripts/lib/clang14.sh"
is_clang14 tidy CLANG_TIDY || exit 0

# Configured only, never built; configuring also makes the include links (lib/CMakeLists.txt)
# the sources compile against. A whole run checks the unity files of the default build's
# batching (one command for up to 16 sources, so Boost's headers are parsed a few times, not
# once per source; the sources they include are checked as the project's own headers are):
# on 2 cores, under a minute and a half, where one command per source took over ten minutes.
# Named paths are checked one source at a time.
BUILD="${TAOSYNC_TIDY_BUILD_DIR:-$ROOT/build-tidy}"
unity=OFF
(($# == 0)) && unity=ON
if ! configure_log="$(cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_UNITY_BUILD=$unity -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DBUILD_TESTING=OFF -DTAOSYNC_WERROR=OFF 2>&1)"; then
  echo "$configure_log" >&2
  echo "tidy: configuring $BUILD failed" >&2
  exit 2
fi

if (($# > 0)); then
  mapfile -t files < <(git ls-files -- "$@" | grep '\.cpp$')
  sources=("${files[@]}")
else
  mapfile -t sources < <(git ls-files -- 'lib/*.cpp' 'daemon/*.cpp')
  mapfile -t files < <(find "$BUILD/lib" "$BUILD/daemon" -path '*/Unity/unity_*_cxx.cxx' | sort)
  # Every source must be in a unity file, or it would go unchecked.
  missed="$(comm -23 <(printf '%s\n' "${sources[@]}" | sort) \
    <(cat "${files[@]}" | sed -nE "s|^#include \"$ROOT/(.*)\"$|\1|p" | sort))"
  if [[ -n "$missed" ]]; then
    echo "tidy: in no unity file of $BUILD, so unchecked: $missed" >&2
    exit 2
  fi
fi
if ((${#files[@]} == 0)); then
  echo "tidy: no .cpp file in: $*" >&2
  exit 2
fi
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# One log per source file; a non-zero exit without a finding (a crash) is reported below.
tidy_one() {
  local log
  log="$TIDY_LOGS/$(tr / _ <<<"$1").log"
  "$CLANG_TIDY" -p "$TIDY_BUILD" --quiet $TIDY_EXTRA "$1" >"$log" 2>&1 || echo "$1" >>"$log.failed"
}
export -f tidy_one
# A unity file is nothing but #includes of .cpp files, which that check exists to flag.
TIDY_EXTRA=""
[[ "$unity" == ON ]] && TIDY_EXTRA="--checks=-bugprone-suspicious-include"
export CLANG_TIDY TIDY_BUILD="$BUILD" TIDY_LOGS="$logs" TIDY_EXTRA
printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P 2 bash -c 'tidy_one "$1"' tidy_one

# A finding is "path:line:col: error: message [check,-warnings-as-errors]"; a library's header
# is named through its include link (build-tidy/include/api/api/x.hpp is lib/api/x.hpp).
mapfile -t findings < <(cat "$logs"/*.log |
  grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): .*\[[^] ]+\]$' |
  sed -E -e "s|^$ROOT/||" -e "s|^${BUILD#"$ROOT/"}/include/([a-z]+)/[a-z]+/|lib/\1/|" -e "s|^$BUILD/include/([a-z]+)/[a-z]+/|lib/\1/|" |
  sort -u)
if ((${#findings[@]} > 0)); then
  printf '%s\n' "${findings[@]}"
  echo "tidy: ${#findings[@]} finding(s):"
  printf '%s\n' "${findings[@]}" | sed -E 's/.*\[([^],]+)(,[^]]*)?\]$/\1/' | sort | uniq -c | sort -rn
  exit 1
fi
if compgen -G "$logs/*.failed" >/dev/null; then
  cat "$logs"/*.log >&2
  echo "tidy: clang-tidy failed without a finding on: $(cat "$logs"/*.failed | tr '\n' ' ')" >&2
  exit 2
fi
summary="${#sources[@]} file(s)"
[[ "$unity" == ON ]] && summary+=" (${#files[@]} unity files)"
echo "tidy: 0 findings in $summary"

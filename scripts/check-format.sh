#!/usr/bin/env bash
# The format check: every tracked C++ file must be as clang-format 14 (Debian 12's) formats it
# with the committed .clang-format. Fails naming the files that are not; `-i` formats them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CLANG_FORMAT="${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format || true)}"
if [[ -z "$CLANG_FORMAT" ]]; then
  echo "check-format: clang-format not found (apt install clang-format)" >&2
  exit 2
fi
# Another major version formats some constructs differently: elsewhere the check is skipped,
# saying so, and `-i` refuses.
. "$ROOT/scripts/lib/clang14.sh"
if ! is_clang14 check-format CLANG_FORMAT; then
  [[ "${1:-}" == "-i" ]] && exit 2
  exit 0
fi

mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.cc')
if [[ "${1:-}" == "-i" ]]; then
  "$CLANG_FORMAT" -i -- "${files[@]}"
  exit 0
fi

# --dry-run prints "path:line:col: error: code should be clang-formatted" for each spot.
report="$("$CLANG_FORMAT" --dry-run --Werror -- "${files[@]}" 2>&1)" && exit 0
mapfile -t bad < <(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' \
  <<<"$report" | sort -u)
if ((${#bad[@]} == 0)); then
  echo "$report" >&2 # clang-format itself failed
  exit 2
fi
echo "check-format: ${#bad[@]} file(s) not formatted (run scripts/check-format.sh -i):" >&2
printf '  %s\n' "${bad[@]}" >&2
exit 1

# Shell helper shared by check-format.sh and tidy.sh: both check with the clang tools of
# Debian 12 (version 14) alone, since another major version formats and lints differently.
# Source it.

# is_clang14 NAME VARIABLE: true if the binary the variable named VARIABLE holds is version
# 14; otherwise says, prefixed by NAME, that the check is skipped here, and is false.
is_clang14() {
  local name="$1" variable="$2" binary="${!2}" version
  version="$("$binary" --version | grep -m1 version)"
  if grep -q 'version 14\.' <<<"$version"; then
    return 0
  fi
  echo "$name: $version is not version 14: the check runs on Debian 12 ($variable= names" \
    "another binary); skipped" >&2
  return 1
}

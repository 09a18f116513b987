#!/usr/bin/env bash
# Prepares a Debian 12, Debian 13 or Ubuntu 24.04 machine and builds taosync: installs the
# missing apt packages (non-interactively, only those `dpkg-query` reports as not installed;
# the names come from /etc/os-release), then configures and builds with the default CMake
# preset into build/. Called by demo.sh, test.sh and bench.sh; also usable alone. Set
# TAOSYNC_SKIP_BUILD=1 to only install packages, TAOSYNC_BUILD_DIR to build in another
# directory, TAOSYNC_NO_BROWSER=1 to leave chromium out (the status page test then skips
# its browser checks and says so).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The distribution this runs on, as "ID VERSION_ID" from /etc/os-release ("debian 12").
distribution() {
  local ID="" VERSION_ID=""
  # shellcheck disable=SC1091 # the machine's own file
  [[ -r /etc/os-release ]] && . /etc/os-release
  echo "${ID:-unknown} ${VERSION_ID:-unknown}"
}

# Boost's versioned package names: Debian 12's default libboost-dev is 1.74, too old.
read -r distro_id distro_version <<<"$(distribution)"
case "$distro_id $distro_version" in
"debian 12") boost=1.81 browser=chromium tidy=clang-tidy ;;
"debian 13") boost=1.83 browser=chromium tidy="" ;;
"ubuntu 24.04") boost=1.83 browser="" tidy="" ;; # Ubuntu's chromium is a snap shim; no apt browser
*)
  echo "setup: $distro_id $distro_version is not a distribution taosync knows." >&2
  echo "setup: supported: Debian 12 (bookworm), Debian 13 (trixie), Ubuntu 24.04 (noble)." >&2
  echo "setup: install the equivalent of scripts/setup.sh's package list by hand, then run" >&2
  echo "setup: TAOSYNC_SKIP_PACKAGES=1 $0" >&2
  [[ "${TAOSYNC_SKIP_PACKAGES:-0}" == 1 ]] || exit 1
  boost="" browser="" tidy=""
  ;;
esac
[[ "${TAOSYNC_NO_BROWSER:-0}" == 1 ]] && browser=""

PACKAGES=(
  build-essential cmake pkg-config ccache git ca-certificates
  "libboost$boost-dev" "libboost-json$boost-dev" libpqxx-dev libpq-dev libspdlog-dev
  libyaml-cpp-dev doctest-dev libssl-dev zlib1g-dev libsystemd-dev clang-format
  postgresql pgbouncer # pgbouncer: tests/e2e/pgbouncer_test.cpp runs taosyncd behind it
  systemd dpkg-dev file curl procps util-linux time
  libfaketime # the clock test steps the daemon's wall clock
  $browser # the status page test loads the page headless
  $tidy # scripts/tidy.sh: clang-tidy 14's checks, so only where it is clang-tidy 14
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

install_missing() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# TAOSYNC_BUILD_DIR builds elsewhere than the preset's build/, with the preset's settings.
build() {
  cd "$ROOT"
  if [[ -n "${TAOSYNC_BUILD_DIR:-}" ]]; then
    cmake --preset default -B "$TAOSYNC_BUILD_DIR"
    cmake --build "$TAOSYNC_BUILD_DIR" -j2
  else
    cmake --preset default
    cmake --build --preset default
  fi
}

if [[ "${TAOSYNC_SKIP_PACKAGES:-0}" != 1 ]]; then
  install_missing
fi
if [[ "${TAOSYNC_SKIP_BUILD:-0}" != 1 ]]; then
  build
fi

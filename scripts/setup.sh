#!/usr/bin/env bash
# Prepares a Debian 12 machine and builds taosync: installs the missing apt packages
# (non-interactively, only those `dpkg-query` reports as not installed), then configures and
# builds with the default CMake preset into build/. Called by demo.sh, test.sh and bench.sh;
# also usable alone. Set TAOSYNC_SKIP_BUILD=1 to only install packages, TAOSYNC_BUILD_DIR to
# build in another directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=(
  build-essential cmake pkg-config ccache git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libpqxx-dev libspdlog-dev libyaml-cpp-dev
  doctest-dev libssl-dev zlib1g-dev libsystemd-dev clang-format
  postgresql
  systemd dpkg-dev file curl procps util-linux time
  chromium # the status page test loads the page headless
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

install_missing
if [[ "${TAOSYNC_SKIP_BUILD:-0}" != 1 ]]; then
  build
fi

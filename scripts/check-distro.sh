#!/usr/bin/env bash
# Builds and tests taosync inside another Debian release, made with debootstrap (Debian's own
# tool; only Debian's package registry is needed):
#
#   scripts/check-distro.sh [SUITE] [-- CTEST_ARGS...]      (SUITE: trixie by default)
#
# In a root of SUITE it installs the packages with the same scripts/setup.sh a user runs,
# builds every target, runs the unit, store, simulator and in-process tests, the demo (one
# end-to-end sync into that release's PostgreSQL, which must end with 0 differences), then
# builds the .deb, installs it with apt and runs `taosyncd check-config` on the installed
# config. CTEST_ARGS replace the default test selection.
#
# TAOSYNC_DISTRO_FULL=1 runs the README's whole test command instead of the selection:
# scripts/test.sh (every test, end-to-end and ops included, and both sanitizer builds) on a
# copy of the working tree inside the root, then the demo and the .deb as above. It is a
# release check (about an hour on 2 cores), not part of CI.
#
# Needs root (debootstrap, chroot, mounts). The root is cached under
# $TAOSYNC_ROOTS (default /var/cache/taosync/roots/SUITE) between runs on one machine: it is
# reused only if debootstrap finished in it (its .complete stamp), setup.sh installs only what
# is missing, and every mount this script makes is undone on exit, even after a failure.
# TAOSYNC_FRESH_ROOT=1 makes a new root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${1:-trixie}"
[[ $# -gt 0 ]] && shift
[[ "${1:-}" == -- ]] && shift
ctest_args=("$@")
((${#ctest_args[@]})) || ctest_args=(-L 'unit|store|sim|inproc')

case "$suite" in
bookworm | trixie) ;;
*)
  echo "check-distro: unknown suite '$suite' (known: bookworm for Debian 12, trixie for Debian 13)" >&2
  exit 64
  ;;
esac
if ((EUID != 0)); then
  echo "check-distro: needs root (debootstrap, chroot and bind mounts)" >&2
  exit 77
fi

log() { printf '\n\033[1m== check-distro %s: %s\033[0m\n' "$suite" "$*"; }
started=$SECONDS

roots="${TAOSYNC_ROOTS:-/var/cache/taosync/roots}"
target="$roots/$suite"
mirror="${TAOSYNC_MIRROR:-http://deb.debian.org/debian}"
src_in_root=/src
build_in_root=/var/tmp/taosync-build

# unmount_all: stops what still runs in the root (a server a failed test left), then undoes
# every mount under it, deepest first (also a crashed run's).
unmount_all() {
  [[ -d "$target" ]] || return 0
  local proc pids=()
  for proc in /proc/[0-9]*; do
    [[ "$(readlink "$proc/root" 2>/dev/null)" == "$target" ]] && pids+=("${proc#/proc/}")
  done
  if ((${#pids[@]})); then
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 1
  fi
  local mounts
  mounts="$(findmnt -rn -o TARGET | grep -F "$target/" | sort -r || true)"
  [[ -z "$mounts" ]] && return 0
  local m
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done <<<"$mounts"
}
trap unmount_all EXIT

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap ||
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; }
fi

unmount_all
if [[ "${TAOSYNC_FRESH_ROOT:-0}" == 1 || ! -f "$target/.complete" ]]; then
  log "making a $suite root with debootstrap in $target"
  rm -rf "$target" "$target.partial"
  mkdir -p "$roots"
  debootstrap --variant=minbase --include=ca-certificates "$suite" "$target.partial" "$mirror" \
    >"$roots/$suite-debootstrap.log" 2>&1 || {
    tail -n 30 "$roots/$suite-debootstrap.log" >&2
    echo "check-distro: debootstrap $suite failed (log: $roots/$suite-debootstrap.log)" >&2
    exit 1
  }
  mv "$target.partial" "$target"
  touch "$target/.complete"
else
  log "reusing the $suite root in $target"
fi

cp /etc/resolv.conf "$target/etc/resolv.conf" 2>/dev/null || true
# Services must not start inside the root (apt would start PostgreSQL's default cluster).
printf '#!/bin/sh\nexit 101\n' >"$target/usr/sbin/policy-rc.d"
chmod 0755 "$target/usr/sbin/policy-rc.d"

mount -t proc proc "$target/proc"
mount --rbind /dev "$target/dev"
mount --make-rslave "$target/dev"
mkdir -p "$target$src_in_root"
mount --bind "$ROOT" "$target$src_in_root"

# in_root CMD: runs a bash command in the root, with a clean environment.
in_root() {
  chroot "$target" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TAOSYNC_BUILD_DIR="$build_in_root" TAOSYNC_NO_BROWSER=1 \
    bash -c "cd $src_in_root && $1"
}

log "release: $(in_root '. /etc/os-release; echo "$PRETTY_NAME"')"
log "packages (scripts/setup.sh)"
in_root 'TAOSYNC_SKIP_BUILD=1 scripts/setup.sh'
if [[ "${TAOSYNC_DISTRO_FULL:-0}" == 1 ]]; then
  # A copy, not the bind-mounted tree: the test command builds build/, build-asan/ and
  # build-tsan/ in its tree, and this release's objects must not land in the host's.
  full_src=/var/tmp/taosync-full
  log "the whole test command: scripts/test.sh in a copy of the tree ($full_src)"
  rm -rf "$target$full_src"
  mkdir -p "$target$full_src"
  git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
    (cd "$ROOT" && tar --null -T - -cf -) | tar -xf - -C "$target$full_src"
  # TAOSYNC_BUILD_DIR emptied: the test command builds in the copy's own build/.
  in_root "cd $full_src && TAOSYNC_BUILD_DIR= scripts/test.sh"
  build_in_root=$full_src/build # the demo and the package use what the test command built
else
  # What the tests, the demo and the package need: the in-process test binaries, the daemon, the
  # simulator and the comparer (the e2e and ops test binaries stay out: they are the longest
  # part of a build, and the demo is this release's end-to-end sync). TAOSYNC_DISTRO_TARGETS=all
  # builds everything, as scripts/setup.sh does.
  targets="${TAOSYNC_DISTRO_TARGETS:-taosync_inprocess_tests taosyncd taosync-sim taosync-compare}"
  log "build: $targets"
  in_root "cmake --preset default -B $build_in_root >/dev/null && cmake --build $build_in_root -j2 --target $targets"
  in_root 'echo "compilers and libraries: $(g++ --version | head -n1); libpqxx $(pkg-config --modversion libpqxx); $(ls /usr/lib/postgresql)"' || true

  log "tests: ctest ${ctest_args[*]}"
  printf -v quoted '%q ' "${ctest_args[@]}"
  in_root "ctest --test-dir $build_in_root --output-on-failure -j2 --timeout 900 $quoted"
fi

log "demo: one end-to-end sync into this release's PostgreSQL"
in_root 'TAOSYNC_SKIP_BUILD=1 scripts/demo.sh --orders 1000 --run-seconds 8 </dev/null'

log "the .deb: package the daemon just tested (cpack), install it with apt, check-config"
# deploy/build-deb.sh does the same from a fresh Release build; the taosyncd built above
# is packaged here instead, so the check costs no second build.
in_root "rm -rf $build_in_root-deb && cpack --config $build_in_root/CPackConfig.cmake -G DEB -B $build_in_root-deb >/dev/null && ls $build_in_root-deb/taosync_*.deb"
# A cached root still holds the package of an earlier check, its conffile edited below: purged
# first, so that every check installs as a new user does (and meets no conffile prompt).
in_root "dpkg --purge taosync >/dev/null 2>&1 || true; rm -rf /etc/taosync"
in_root "DEBIAN_FRONTEND=noninteractive apt-get install -y -q $build_in_root-deb/taosync_*.deb >/tmp/taosync-apt.log 2>&1 ||
  { tail -n 20 /tmp/taosync-apt.log >&2; exit 1; }"
in_root 'dpkg-query -W -f="installed \${Package} \${Version}\nDepends: \${Depends}\n" taosync'
# Configured as docs/operations.md says: the app key in the config, the secrets as credentials (which
# systemd hands over in $CREDENTIALS_DIRECTORY).
in_root 'if taosyncd --config /etc/taosync/taosync.yaml check-config >/dev/null 2>&1; then
    echo "check-config passed on the unconfigured file" >&2; exit 1; fi
  sed -i "s/^  app_key: CHANGE-ME\$/  app_key: check-distro-app/" /etc/taosync/taosync.yaml
  printf %s check-distro-secret >/etc/taosync/credentials/app_secret
  printf %s check-distro-token >/etc/taosync/credentials/access_token
  chmod 0600 /etc/taosync/credentials/*
  out=$(CREDENTIALS_DIRECTORY=/etc/taosync/credentials taosyncd --config /etc/taosync/taosync.yaml check-config)
  if grep -q check-distro-secret <<<"$out"; then echo "check-config printed a secret" >&2; exit 1; fi
  grep -q check-distro-app <<<"$out" && echo "check-config: ok (the configured key, secrets masked)"'

log "passed in $((SECONDS - started)) s"

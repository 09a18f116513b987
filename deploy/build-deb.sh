#!/bin/sh
# Builds the taosync .deb: configure (Release), build taosyncd, run CPack.
# Usage: deploy/build-deb.sh [BUILD_DIR]   (default: build-deb next to this repo's CMakeLists)
# The package lands in BUILD_DIR/taosync_<version>_<arch>.deb.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/build-deb"}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
cmake --build "$build" --target taosyncd -j"$(nproc)"
(cd "$build" && cpack -G DEB)
ls -1 "$build"/taosync_*.deb

#!/bin/sh
# Builds the taosync .deb on the distribution it is for: configure (Release), build
# taosyncd, run CPack (Depends from dpkg-shlibdeps, the release named for the distribution).
# Usage: deploy/build-deb.sh [BUILD_DIR]   (default: build-deb next to this repo's CMakeLists)
# The package lands in BUILD_DIR/taosync_<version>_<arch>.deb.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/build-deb"}
# The tested build's settings (the default preset): -O2 and a unity build.
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
cmake --build "$build" --target taosyncd -j"$(nproc)"
(cd "$build" && cpack -G DEB)
ls -1 "$build"/taosync_*.deb

#!/bin/sh
# Configure and build mcasim in ./build (Release with debug info), warnings
# as errors: the developer and CI build. BUILD_DIR, CC/CXX and
# MCASIM_BUILD_TYPE pick another folder, compiler or build type (the CI's
# Clang build uses them).
set -eu
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="${MCASIM_BUILD_TYPE:-RelWithDebInfo}" -DMCASIM_WERROR=ON >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"

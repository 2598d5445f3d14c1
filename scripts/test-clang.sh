#!/bin/sh
# The CI's second compiler: a Clang Release build in ./build-clang, and its
# unit tests. (scripts/test.sh is the full test with GCC.)
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
CC=clang CXX=clang++ BUILD_DIR=build-clang MCASIM_BUILD_TYPE=Release scripts/build.sh
cd build-clang
exec ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" -R '^unit\.' "$@"

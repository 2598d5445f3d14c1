#!/bin/sh
# The CI's second compiler: a Clang Release build in ./build-clang, its
# unit tests, the libFuzzer targets of tests/fuzz run for a fixed number of
# inputs, and the scenario library's unit tests under UBSan.
# (scripts/test.sh is the full test with GCC.)
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
CC=clang CXX=clang++ BUILD_DIR=build-clang MCASIM_BUILD_TYPE=Release scripts/build.sh
cd build-clang
exec ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" -R '^(unit|fuzz|ubsan)\.' "$@"

#!/bin/sh
# The README's second command: install what is missing, build, and run
# every test (unit, scenario, determinism, Valgrind) with CTest.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
exec ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"

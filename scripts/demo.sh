#!/bin/sh
# The README's first command: install what is missing, build, and run the
# built-in scenario library, ending in a pass/fail table.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
exec build/sim/mcasim run scenarios/ --junit out/scenarios.junit.xml "$@"

#!/bin/sh
# The README's first command: install what is missing, build, run the
# built-in scenario library (ending in a pass/fail table), and render its
# latency report.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
status=0
build/sim/mcasim run scenarios/ --junit out/scenarios.junit.xml --results out/results "$@" || status=$?
if build/sim/mcasim report out/results -o out/report >/dev/null; then
    echo "latency report: open out/report/index.html"
fi
exit $status

#!/bin/sh
# startup.sh - what one mcasim process costs, start-up included, per
# command: wall time (mean of N runs in a shell loop), user-space
# instructions (valgrind's callgrind: this machine's perf has no hardware
# counters) and the dynamic loader's relocations (LD_DEBUG=statistics,
# summed over the process and the simulator it execs).
# Instructions are those of the largest process: `run` forks one worker
# per scenario, whose count includes the start-up it inherits at the fork;
# the front's few instructions before it execs mcasim-sim are not counted
# (valgrind reports a process at its exit only).
# Prints the table of docs/PERFORMANCE.md "Start-up".
#
# usage: bench/startup.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  the CMake build folder holding sim/mcasim (default ./build)
#   RUNS       runs per command for the wall time (default 200)
#
# Figures only: nothing here fails on timing. Run it on an idle machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-./build}
runs=${2:-200}
mcasim=$(cd "$build" && pwd)/sim/mcasim
[ -x "$mcasim" ] || { echo "startup.sh: no $mcasim: build first" >&2; exit 2; }
cd "$root"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
small=scenarios/basic/srao-patrol-scrub.yaml

# name | command line (word-split; no quoting needed)
cases="--version|--version
help run|help run
validate|validate $small
decode|decode --status 0xbd80000000100134
import|import tests/import/xen-mceinj-type0.xen-mceinj
run|run -q $small"

now_ns() { date +%s%N; }
printf '%-10s %10s %14s %12s\n' command "wall ms" instructions relocations
echo "$cases" | while IFS='|' read -r name args; do
    # shellcheck disable=SC2086
    "$mcasim" $args > /dev/null 2>&1 || { echo "startup.sh: mcasim $args failed" >&2; exit 1; }
    t0=$(now_ns)
    i=0
    while [ "$i" -lt "$runs" ]; do
        # shellcheck disable=SC2086
        "$mcasim" $args > /dev/null 2>&1
        i=$((i + 1))
    done
    t1=$(now_ns)
    wall=$(awk -v a="$t0" -v b="$t1" -v n="$runs" 'BEGIN { printf "%.2f", (b - a) / n / 1e6 }')
    ins=-
    if command -v valgrind > /dev/null 2>&1; then
        # shellcheck disable=SC2086
        ins=$(valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$w/cg.%p" \
                  "$mcasim" $args 2>&1 > /dev/null | awk '/Collected :/ && $NF > m { m = $NF } END { print m + 0 }')
    fi
    # shellcheck disable=SC2086
    rel=$(LD_DEBUG=statistics "$mcasim" $args 2>&1 > /dev/null |
          awk '/final number of relocations:/ { s += $NF } END { print s + 0 }')
    printf '%-10s %10s %14s %12s\n' "$name" "$wall" "$ins" "$rel"
done

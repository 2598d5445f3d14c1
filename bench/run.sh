#!/bin/sh
# run.sh - run every mcasim benchmark and print the table of
# docs/PERFORMANCE.md, headed by the machine and the commit measured.
#
# usage: bench/run.sh [BUILD_DIR] [mcasim-bench options and cases...]
#
#   BUILD_DIR   the CMake build folder holding bench/mcasim-bench and
#               sim/mcasim (default: ./build). Build it first, e.g.
#               cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
#               cmake --build build -j2
#   the rest    passed to mcasim-bench: cases (baseline library broadcast
#               storm faults ce, or one case by name) and options
#               (-r N runs per case, default 3; --quick for smaller cases).
#               See `BUILD_DIR/bench/mcasim-bench --help`.
#
# Examples:
#   bench/run.sh                        # everything, 3 runs per case (~45 s)
#   bench/run.sh build --quick -r 1     # a quick look (~2 s)
#   bench/run.sh build broadcast        # one group
#
# Benchmarks print figures; nothing here fails on timing. The exit status
# is non-zero only when a run itself failed. Run it on an idle machine:
# host times are wall-clock.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=./build
case "${1:-}" in
    ""|-*) ;;
    *) build=$1; shift ;;
esac
bench="$build/bench/mcasim-bench"
mcasim="$build/sim/mcasim"
for f in "$bench" "$mcasim"; do
    if [ ! -x "$f" ]; then
        echo "run.sh: $f not found; build first (see the top of $0)" >&2
        exit 2
    fi
done

echo "# mcasim benchmarks"
echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (+ local changes)')"
echo "# machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
echo "# load:    $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# command: $bench --mcasim $mcasim --scenarios $root/scenarios $*"
echo
exec "$bench" --mcasim "$mcasim" --scenarios "$root/scenarios" "$@"

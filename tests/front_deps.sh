#!/bin/sh
# The front binary, build/sim/mcasim, stays free of SystemC and the C++
# runtime (docs/PERFORMANCE.md, "Start-up"): commands that don't simulate
# don't pay their start-up. It runs them itself, and hands a command that
# simulates to build/sim/mcasim-sim, which links both.
# Usage: front_deps.sh BUILD_DIR
set -u
b=$1/sim
. "$(dirname "$0")/harness.sh"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

front=$(needed "$b/mcasim") && [ -n "$front" ] && ok || no "readelf -d $b/mcasim"
for lib in libsystemc libstdc++ libsqlite3; do
    echo "$front" | grep -q "^$lib" && no "mcasim links $lib" || ok
done
needed "$b/mcasim-sim" | grep -q '^libsystemc' && ok || no "mcasim-sim does not link libsystemc"
# the front runs these itself, the simulator those that simulate
"$b/mcasim" --version | grep -q '^mcasim [0-9.]* (commit ' && ok || no "--version"
"$b/mcasim" decode --status 0x9c00000000010090 | grep -q '^MCi_STATUS' && ok || no "decode"
"$b/mcasim" help run | grep -q '^usage: mcasim run' && ok || no "help run (via mcasim-sim)"
"$b/mcasim" campaign merge > /dev/null 2>&1; [ $? -eq 2 ] && ok || no "campaign merge without arguments: not 2"
finish

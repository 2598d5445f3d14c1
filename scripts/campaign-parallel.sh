#!/bin/sh
# Run a campaign's shards with GNU parallel, on this machine or on others
# (parallel's --sshlogin), then merge them (docs/CAMPAIGNS.md).
#   scripts/campaign-parallel.sh CAMPAIGN.yaml SHARDS OUTDIR [parallel options...]
# e.g. scripts/campaign-parallel.sh campaigns/fleet-year-1tib.yaml 64 out -j 2
# Each shard K/SHARDS runs `mcasim campaign --shard K/SHARDS -j 1` (so
# parallel's -j is the number of host-runs at a time) and writes
# OUTDIR/parts/part-K.csv; then `mcasim campaign merge` writes OUTDIR.
# With --sshlogin, every host must see the same paths (a shared folder)
# and have the same mcasim build. MCASIM picks the binary (default:
# build/sim/mcasim of this tree, else mcasim on PATH).
set -eu
if [ $# -lt 3 ]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
campaign=$1
shards=$2
out=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
M=${MCASIM:-}
if [ -z "$M" ]; then
    if [ -x "$here/build/sim/mcasim" ]; then M=$here/build/sim/mcasim; else M=mcasim; fi
fi
command -v parallel >/dev/null 2>&1 || { echo "campaign-parallel: GNU parallel is not installed (Debian: parallel)" >&2; exit 2; }
mkdir -p "$out/parts"
# --halt now,fail=1: a shard that cannot run stops the others (exit 1 from a
# shard only says some host-runs hit their limit: its rows say so).
seq 1 "$shards" | parallel --will-cite --halt now,fail=1 "$@" \
    "'$M' campaign '$campaign' -q -j 1 --shard {}/$shards -o '$out/parts/part-{}.csv' || [ \$? -eq 1 ]"
"$M" campaign merge -o "$out" "$out"/parts/part-*.csv

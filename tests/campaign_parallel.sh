#!/bin/sh
# The GNU parallel path of docs/CAMPAIGNS.md: scripts/campaign-parallel.sh
# runs the small campaign's 5 shards under parallel -j 2 and merges them;
# the result is the bytes of a run without shards. Skipped (77) when
# parallel is not installed (scripts/install-deps.sh installs it).
# Usage: campaign_parallel.sh MCASIM SRCDIR
set -eu
M=$1
SRC=$2
command -v parallel >/dev/null 2>&1 || { echo "SKIP: GNU parallel is not installed"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
C=$SRC/tests/campaign/small.yaml
"$M" campaign "$C" -q -j2 -o "$W/full"
MCASIM=$M "$SRC/scripts/campaign-parallel.sh" "$C" 5 "$W/par" -j 2
for f in hosts.csv summary.csv summary.json rates.dat rates.gp; do
    cmp "$W/full/$f" "$W/par/$f" || { echo "FAIL: $f differs under GNU parallel" >&2; exit 1; }
done
[ "$(ls "$W/par/parts" | wc -l)" -eq 5 ] || { echo "FAIL: 5 partials expected" >&2; exit 1; }
echo "campaign under GNU parallel: OK"

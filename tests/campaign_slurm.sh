#!/bin/sh
# Opt-in (not in CI): the SLURM path of docs/CAMPAIGNS.md, for real. Runs
# the small campaign as a 4-task array plus a merge job on a SLURM cluster
# (Debian: slurm-wlm with slurmctld and slurmd on localhost, and munge; see
# docs/CAMPAIGNS.md for the one-node setup it passed on), waits for the merge, and checks
# the result is the bytes of a local run without shards.
# Usage: tests/campaign_slurm.sh [MCASIM]   (run from anywhere; needs sinfo)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
M=$(realpath "${1:-$SRC/build/sim/mcasim}")
command -v sinfo >/dev/null 2>&1 || { echo "SKIP: no SLURM client (sinfo)"; exit 77; }
sinfo -h >/dev/null 2>&1 || { echo "SKIP: no SLURM controller answers (sinfo)"; exit 77; }
W=$(mktemp -d "$SRC/.campaign-slurm.XXXXXX")   # a folder the nodes see: this tree
trap 'rm -rf "$W"' EXIT
C=$SRC/tests/campaign/small.yaml
"$M" campaign "$C" -q -j2 -o "$W/full"
ids=$(MCASIM=$M "$SRC/scripts/campaign-slurm.sh" "$C" 4 "$W/slurm" --time=10)
echo "$ids"
merge=$(echo "$ids" | sed -n 's/.*merge job \([0-9]*\).*/\1/p')
i=0
while squeue -h -j "$merge" 2>/dev/null | grep -q .; do
    i=$((i + 1))
    [ $i -lt 600 ] || { echo "FAIL: the merge job did not end in 10 minutes" >&2; exit 1; }
    sleep 1
done
for f in hosts.csv summary.csv summary.json rates.dat rates.gp; do
    cmp "$W/full/$f" "$W/slurm/$f" || { echo "FAIL: $f differs under SLURM (logs: $W/slurm/logs)" >&2; cat "$W/slurm/logs/"*.out >&2; exit 1; }
done
echo "campaign under SLURM: OK"

#!/bin/sh
# Submit a campaign to SLURM as a job array, one shard per task, and a
# merge job that runs when every task has ended (docs/CAMPAIGNS.md).
#   scripts/campaign-slurm.sh CAMPAIGN.yaml SHARDS OUTDIR [sbatch options...]
# e.g. scripts/campaign-slurm.sh campaigns/fleet-year-1tib.yaml 200 /shared/out -p batch
# Task K (SLURM_ARRAY_TASK_ID, 1..SHARDS) runs `mcasim campaign --shard
# K/SHARDS -j $SLURM_CPUS_PER_TASK` into OUTDIR/parts/part-K.csv; the merge
# job (afterany: it also runs when a task failed, and then says which host-
# runs are missing) writes OUTDIR. OUTDIR and the campaign must be on a
# file system every node sees. Prints the two job ids. MCASIM picks the
# binary (default: build/sim/mcasim of this tree).
set -eu
if [ $# -lt 3 ]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
campaign=$(realpath "$1")
shards=$2
out=$(realpath -m "$3")
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
M=$(realpath "${MCASIM:-$here/build/sim/mcasim}")
command -v sbatch >/dev/null 2>&1 || { echo "campaign-slurm: sbatch not found (Debian: slurm-client)" >&2; exit 2; }
mkdir -p "$out/parts" "$out/logs"
array=$(sbatch --parsable "$@" --job-name=mcasim-campaign --array=1-"$shards" \
    --output="$out/logs/shard-%a.out" --wrap \
    "'$M' campaign '$campaign' -q -j \${SLURM_CPUS_PER_TASK:-1} --shard \${SLURM_ARRAY_TASK_ID}/$shards -o '$out/parts/part-'\${SLURM_ARRAY_TASK_ID}'.csv'; rc=\$?; [ \$rc -le 1 ]")
merge=$(sbatch --parsable "$@" --job-name=mcasim-merge --dependency=afterany:"${array%%;*}" \
    --output="$out/logs/merge.out" --wrap "'$M' campaign merge -o '$out' '$out'/parts/part-*.csv")
echo "array job $array, merge job $merge: results in $out"

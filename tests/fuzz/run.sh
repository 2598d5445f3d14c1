#!/bin/sh
# Run a fuzz target for a fixed number of inputs from a fresh work folder
# (so every CI run starts from the committed corpus alone) and the seed
# corpora. Usage: run.sh TARGET WORK RUNS SEED_DIR...
set -eu
target=$1 work=$2 runs=$3
shift 3
rm -rf "$work"
mkdir -p "$work"
exec "$target" -runs="$runs" -seed=1 -max_len=4096 -timeout=10 -rss_limit_mb=1024 -error_exitcode=77 \
    -artifact_prefix="$work/" "$work" "$@"

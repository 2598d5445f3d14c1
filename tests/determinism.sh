#!/bin/sh
# Same scenario, seed and binary must give a byte-identical trace and
# results. Usage: determinism.sh MCASIM SCENARIO WORKDIR
set -eu
mcasim=$1 scn=$2 work=$3
name=$(basename "$scn" .yaml)
mkdir -p "$work"
a="$work/$name.a" b="$work/$name.b"
# Expectations may fail in a scenario test of their own; here only sameness counts.
"$mcasim" run -q --json --trace "$a.jsonl" "$scn" > "$a.json" || true
"$mcasim" run -q --json --trace "$b.jsonl" "$scn" > "$b.json" || true
[ -s "$a.jsonl" ] || { echo "determinism: no trace written for $scn"; exit 1; }
cmp "$a.jsonl" "$b.jsonl" || { echo "determinism: traces differ for $scn"; exit 1; }
cmp "$a.json" "$b.json" || { echo "determinism: results differ for $scn"; exit 1; }
echo "determinism: $name: $(wc -l < "$a.jsonl") trace events identical"

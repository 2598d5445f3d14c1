#!/bin/sh
# Same scenario, seed and binary must give byte-identical traces and
# results (for a sweep: every point's). Usage: determinism.sh MCASIM SCENARIO WORKDIR
set -eu
mcasim=$1 scn=$2 work=$3
name=$(basename "$scn" .yaml)
mkdir -p "$work"
a="$work/$name.a" b="$work/$name.b"
rm -rf "$a" "$b" "$a.trace" "$b.trace"
# Expectations are the scenario test's business; here only sameness counts.
"$mcasim" run -q -j 2 --results "$a" --trace "$a.trace" "$scn" > /dev/null || true
"$mcasim" run -q -j 2 --results "$b" --trace "$b.trace" "$scn" > /dev/null || true
[ -s "$a/results.json" ] || { echo "determinism: no results for $scn"; exit 1; }
[ -e "$a.trace" ] || { echo "determinism: no trace for $scn"; exit 1; }
diff -r "$a.trace" "$b.trace" > /dev/null || { echo "determinism: traces differ for $scn"; exit 1; }
diff -r "$a" "$b" > /dev/null || { echo "determinism: results differ for $scn"; exit 1; }
events=$(cat "$a.trace" 2>/dev/null | wc -l || find "$a.trace" -type f -exec cat {} + | wc -l)
echo "determinism: $name: traces and results identical"

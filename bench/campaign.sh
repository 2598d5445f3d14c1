#!/bin/sh
# The fleet campaign figure (docs/PERFORMANCE.md): campaigns/fleet-year-1tib.yaml,
# 10,000 host-years of the 2-socket 1 TiB host under each policy (CAMPAIGN=FILE
# another, e.g. CAMPAIGN=campaigns/fleet-year-1tib-realtime.yaml).
#   bench/campaign.sh BUILD_DIR [SLICE [PARTIAL]]
# SLICE = N runs shard 1/N only (every N-th host-run: 10,000 x policies / N
# of them) and extrapolates; SLICE = 1 runs the whole campaign. Prints the
# wall time, the slowest host-run, the peak RSS (the largest process:
# /usr/bin/time -v on mcasim, whose workers it waits for) and, for a slice,
# the whole campaign's time by N x. -j is the number of CPUs. PARTIAL
# keeps the slice's partial result (hosts.csv rows; a slice alone cannot be
# merged: `campaign merge` wants every shard).
set -eu
build=${1:?usage: bench/campaign.sh BUILD_DIR [SLICE]}
slice=${2:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
M=$build/sim/mcasim
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1); commit $(git -C "$here" rev-parse --short HEAD)"
set +e
campaign=${CAMPAIGN:-$here/campaigns/fleet-year-1tib.yaml}
echo "campaign: $campaign"
/usr/bin/time -v "$M" campaign "$campaign" -j "$(nproc)" --shard 1/"$slice" \
    -o "$W/part.csv" --timings "$W/timings.csv" 2> "$W/err"
rc=$?
set -e
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$W/err")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/err")
runs=$(($(wc -l < "$W/part.csv") - 2))
limited=$(grep -c ',limit,' "$W/part.csv" || true)
grep 'slowest host-run' "$W/err" || true
echo "shard 1/$slice: $runs host-runs, $limited stopped at max_wall, exit $rc"
echo "wall $wall, peak RSS $rss KiB"
secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
echo "whole campaign, extrapolated: $(echo "$secs $slice" | awk '{ printf "%.0f s (%.1f min)", $1 * $2, $1 * $2 / 60 }')"
[ -z "${3:-}" ] || cp "$W/part.csv" "$3"
# where the CPU time went: per policy, host-runs at a limit vs finished
awk -F, 'NR > 1 { k = $1 " " ($3 == "done" ? "finished" : $3); n[k]++; u[k] += $5 }
         END { for (k in n) printf "CPU: policy %s: %d host-runs, %.0f s user\n", k, n[k], u[k] }' "$W/timings.csv" | sort
echo "slowest host-runs (user s): $(tail -n +2 "$W/timings.csv" | sort -t, -k5 -g -r | head -10 |
    awk -F, '{ printf "%s%s %s %.1f%s", (NR > 1 ? ", " : ""), $1, $2, $5, ($3 == "done" ? "" : " (" $3 ")") }')"
awk -F, 'NR > 2 && $4 == "done" { n[$1]++; p[$1] += $7; r[$1] += $14 } NR > 2 && $4 != "done" { u[$1]++ }
         END { for (k in n) printf "policy %s: %d done, %d unfinished, %d host panics, %d records\n", k, n[k], u[k], p[k], r[k] }' \
    "$W/part.csv" | sort

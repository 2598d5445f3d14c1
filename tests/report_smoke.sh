#!/bin/sh
# `mcasim report` end to end: a sweep's results become every plot (PNG and
# SVG), summary.csv and index.html; bad input exits 2 naming file:line.
# Usage: report_smoke.sh MCASIM SCENARIOS_DIR
set -u
m=$1 scn=$2
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { echo "FAIL: $*"; fails=$((fails+1)); }

"$m" run -q -j 2 --results "$w/res" "$scn/latency/broadcast-cpus-sweep.yaml" "$scn/latency/cost-model-sweep.yaml" \
    > /dev/null || no "run failed"
"$m" report "$w/res" -o "$w/rep" > "$w/out"; rc=$?
if [ "$rc" -eq 3 ]; then
    echo "SKIP: gnuplot not installed"; exit 0
fi
[ "$rc" -eq 0 ] && ok || no "report exit $rc"
for f in cdf hist breakdown cpus policy-0; do
    for e in png svg; do
        [ -s "$w/rep/$f.$e" ] && ok || no "missing $f.$e"
    done
done
grep -q "<table>" "$w/rep/index.html" && grep -q "end_to_end" "$w/rep/index.html" && ok || no "index.html tables"
head -1 "$w/rep/summary.csv" | grep -q '^scenario,params,stage,n,p50_us,p90_us,p99_us,max_us$' && ok || no "summary.csv header"
grep -q '^broadcast-cpus-sweep,cpus=256,end_to_end,1,' "$w/rep/summary.csv" && ok || no "summary row"
# Bad input: exit 2 and file:line
printf 'scenario,point,params,cpus,error,class,stage,latency_ns\nx,0,,1,1,srao,nowhere,1\n' > "$w/bad.csv"
"$m" report "$w/bad.csv" -o "$w/rep2" 2> "$w/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "bad.csv:2: unknown stage" "$w/err" && ok || no "bad input: exit $rc"
"$m" report -o "$w/rep3" 2> /dev/null; [ $? -eq 2 ] && ok || no "no input should exit 2"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]

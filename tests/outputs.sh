#!/bin/sh
# The output formats of `mcasim run`: Perfetto trace-event JSON (balanced
# slices), VCD (the MCA signals), --results (results.json, latency.csv,
# points.csv, migration.csv with their headers; a migration's row and JSON
# object), JUnit XML, whole trace details, and sweep expansion.
# Usage: outputs.sh MCASIM SCENARIOS_DIR
set -u
m=$1 scn=$2
. "$(dirname "$0")/harness.sh"

"$m" run -q --perfetto "$w/p.json" --vcd "$w/v" --results "$w/res" --junit "$w/j.xml" \
    "$scn/basic/srao-patrol-scrub.yaml" > "$w/table" || no "run failed"

head -c 40 "$w/p.json" | grep -q '^{"displayTimeUnit":"ns","traceEvents":\[' && ok || no "perfetto header"
tail -c 4 "$w/p.json" | grep -q ']}' && ok || no "perfetto not closed"
b=$(grep -o '"ph":"B"' "$w/p.json" | wc -l); e=$(grep -o '"ph":"E"' "$w/p.json" | wc -l)
[ "$b" -gt 0 ] && [ "$b" -eq "$e" ] && ok || no "perfetto slices unbalanced: $b B, $e E"
grep -q '"name":"#MC handler"' "$w/p.json" && ok || no "perfetto lacks handler slices"
grep -q '"thread_name".*"pCPU 3"' "$w/p.json" && ok || no "perfetto lacks pCPU tracks"

# --vcd FILE writes FILE itself, not FILE.vcd
[ -f "$w/v" ] && [ ! -e "$w/v.vcd" ] && ok || no "vcd not written under the name given"
grep -q '\$enddefinitions' "$w/v" && ok || no "vcd header"
grep -q 'MCIP' "$w/v" && grep -q 'bank_VAL' "$w/v" && grep -q 'CMCI' "$w/v" && ok || no "vcd signals"
grep -q '^#1000000000$' "$w/v" && ok || no "vcd lacks the #MC at 1 ms"

head -1 "$w/res/latency.csv" | grep -q '^scenario,point,params,cpus,error,class,stage,latency_ns$' && ok || no "latency.csv header"
grep -q '^srao-patrol-scrub,0,,4,1,srao,end_to_end,' "$w/res/latency.csv" && ok || no "latency.csv end_to_end row"
head -1 "$w/res/points.csv" | grep -q '^scenario,point,params,cpus,outcome,passed' && ok || no "points.csv header"
grep -q '"scenario":"srao-patrol-scrub"' "$w/res/results.json" && ok || no "results.json"
mig_header='scenario,point,params,domain,from,to,outcome,case,iterations,rechecks,pages_sent,broken_sent,pages_lost,needless_broken,start_ns,pause_ns,end_ns,downtime_ns'
# no migration ran: the header alone, so tools can rely on the file
[ "$(cat "$w/res/migration.csv")" = "$mig_header" ] && ok || no "migration.csv without migrations: header only"
grep -q '"migrations":\[\]' "$w/res/results.json" && ok || no "results.json lacks an empty migrations array"
grep -q '<testcase classname="[^"]*basic" name="srao-patrol-scrub" file="[^"]*" time="[0-9]*\.[0-9]*"' "$w/j.xml" && ok || no "junit"

# A trace detail is written whole, however long (this one is 98 characters; details were once cut at 95).
"$m" run -q --trace "$w/t.jsonl" "$scn/bank0/one-bank-hv-kills-quirky-guest.yaml" > /dev/null || no "bank-0 run failed"
grep -q '"detail":"vMCE not delivered: 1-bank vMCE and a CPU model with the bank-0 quirk (hypervisor kills the guest)"' "$w/t.jsonl" \
    && ok || no "trace detail cut short"

# The VCD is byte-stable: SystemC's wall-clock $date is overwritten.
sleep 1
"$m" run -q --vcd "$w/v2.vcd" "$scn/basic/srao-patrol-scrub.yaml" > /dev/null || no "second vcd run failed"
cmp -s "$w/v" "$w/v2.vcd" && ok || no "vcd differs between two runs"
sed -n 2p "$w/v" | grep -q 'not recorded' && ok || no "vcd \$date not cleared"

# A migration: its row in migration.csv and its object in results.json.
if [ -f "$scn/migration/case-a.yaml" ]; then
    "$m" run -q --results "$w/mig" "$scn/migration/case-a.yaml" > /dev/null || no "migration run failed"
    head -1 "$w/mig/migration.csv" | grep -qx "$mig_header" && ok || no "migration.csv header"
    grep -q '^case-a,0,,1,0,1,success,A,[0-9]*,0,[0-9]*,0,0,0,[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*$' "$w/mig/migration.csv" \
        && ok || no "migration.csv row: $(sed -n 2p "$w/mig/migration.csv")"
    grep -q '"migrations":\[{"domain":1,"from":0,"to":1,"outcome":"success","reason":"[^"]*","case":"A","start_ns":[0-9.]*,' \
        "$w/mig/results.json" && grep -q '"pages_lost":0,"needless_broken":0,"broken_on_target":0}\]' "$w/mig/results.json" \
        && ok || no "results.json migration object"
fi

# A sweep expands into one run per point, each in the table and in points.csv.
"$m" run -q -j 2 --results "$w/sw" "$scn/latency/cost-model-sweep.yaml" > "$w/t2" || no "sweep run failed"
[ "$(grep -c '^cost-model-sweep@' "$w/t2")" -eq 4 ] && ok || no "sweep: 4 points expected in the table"
grep -q '^cost-model-sweep,3,cost_model=sapphirerapids,8,running,true' "$w/sw/points.csv" && ok || no "sweep points.csv"

# A failing expectation makes run exit 1 and names file:line:col.
cat > "$w/fail.yaml" <<'YAML'
name: expected-to-fail
platform: {hosts: [{cpus: 2}]}
events:
  - at: 1ms
    inject: {cpu: 0, bank: 7, status: 0xBD000000004000CF, addr: 0x180020, misc: 0x86}
expect:
  host: {outcome: panic}
YAML
"$m" run -q "$w/fail.yaml" > "$w/t3"; rc=$?
[ "$rc" -eq 1 ] && ok || no "failing scenario should exit 1, got $rc"
grep -q "fail.yaml:7:9: host host0: outcome running, expected panic" "$w/t3" && ok || no "failure message"

finish

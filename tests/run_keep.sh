#!/bin/sh
# `mcasim run --keep N`: a run keeps its first N records and errors and
# the ends of its logs, and counts the rest, so its memory stays bounded
# however long it runs; what it reports as counts must not change. Each
# run below is compared with the same run keeping everything: the table
# line (outcome, pass or fail), and in results.json every host's summary
# (injected, records by class, fates, recovered, pages) and final state;
# the records listed are the first N. An expectation naming a log line
# that was counted, not kept, fails and says so. Bad values are refused
# by name.
#
# Usage: run_keep.sh MCASIM SRCDIR
M=$1
SRC=$2
. "$(dirname "$0")/harness.sh"

# same_hosts NAME A B: the hosts of two results.json files alike
same_hosts() {
    r=$(python3 - "$2" "$3" <<'EOF'
import json, sys
a, b = (json.load(open(p))[0] for p in sys.argv[1:3])
bad = [k for i, (x, y) in enumerate(zip(a["hosts"], b["hosts"])) for k in x if x[k] != y.get(k)]
print("ok" if len(a["hosts"]) == len(b["hosts"]) and not bad else "differ: " + ",".join(bad))
EOF
)
    [ "$r" = ok ] && ok || no "$1: hosts $r"
}

# listed FILE: records listed in a results.json
listed() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))[0]["records"]))' "$1"; }

# a CE stream: 100,000 CEs a microsecond apart, a CMCI round a few
cat > "$w/ce.yaml" <<'EOF'
name: keep-ce-stream
seed: 1
duration: 110ms
platform:
  hosts:
    - {cpus: 4, banks: 10}
events:
  - at: 1ms
    repeat: 100000
    every: 1us
    inject: {cpu: 0, bank: 3, status: 0x9C0000000000009F, addr: 0x2345000, misc: 0x8C}
expect:
  host: {outcome: running}
EOF
for s in "$w/ce.yaml" "$SRC/scenarios/migration/case-a.yaml"; do
    n=$(basename "$s" .yaml)
    "$M" run -q "$s" --results "$w/$n.all" > "$w/$n.all.t" 2>&1
    "$M" run -q --keep 2 "$s" --results "$w/$n.k2" > "$w/$n.k2.t" 2>&1
    cmp -s "$w/$n.all.t" "$w/$n.k2.t" && ok || no "$n: the table differs with --keep 2: $(diff "$w/$n.all.t" "$w/$n.k2.t" | head -3)"
    same_hosts "$n" "$w/$n.all/results.json" "$w/$n.k2/results.json"
    k=$(listed "$w/$n.k2/results.json")
    [ "$k" -le 2 ] && ok || no "$n: $k records listed with --keep 2"
done
# an expectation on a log line --keep did not keep fails, and says so
s=$SRC/scenarios/basic/srao-patrol-scrub.yaml
"$M" run -q "$s" --results "$w/srao.all" > /dev/null 2>&1
"$M" run -q --keep 2 "$s" --results "$w/srao.k2" > "$w/srao.k2.t" 2>&1
same_hosts srao-patrol-scrub "$w/srao.all/results.json" "$w/srao.k2/results.json"
grep -q 'dom0 log does not contain "SRAO".*lines --keep counted, not kept' "$w/srao.k2.t" && ok ||
    no "srao-patrol-scrub --keep 2: the failed expectation does not say --keep counted the line: $(cat "$w/srao.k2.t")"
# the stream folded most of its records into counts
[ "$(listed "$w/ce.all/results.json")" -gt 1000 ] && ok || no "the CE stream made too few records to test --keep"

# bad values, by name
for v in 0 -1 x 1000001; do
    "$M" run -q --keep "$v" "$w/ce.yaml" > /dev/null 2> "$w/err"
    [ $? -eq 2 ] && grep -q -- "--keep" "$w/err" && ok || no "--keep $v was not refused: $(cat "$w/err")"
done
"$M" run -q --keep all "$w/ce.yaml" > /dev/null 2>&1 && ok || no "--keep all was refused"
finish

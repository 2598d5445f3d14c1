#!/bin/sh
# Bounded run records (mcasim campaign --keep): a host-run that keeps only
# counts and the ends of its logs reports the same row and the same counts
# (records per class, errors per fate, log lines) as one that keeps every
# entry, deterministically, and says how many entries it summarized.
# tests/campaign/storm.yaml is a long CE storm under Xen's policy (5,000
# CMCI rounds, each a record and 17 dom0 log lines); small.yaml's hosts
# have DRAM faults under both policies.
# Usage: campaign_bounded.sh MCASIM SRCDIR
set -eu
M=$1
SRC=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# run CAMPAIGN HOST POLICY KEEP NAME: the row in NAME.row, the counts
# line in NAME.counts
run() {
    "$M" campaign "$1" --host "$2" --policy "$3" --keep "$4" > "$W/$5.row" 2> "$W/$5.counts" ||
        fail "$1 host $2 $3 --keep $4"
    grep -q '^run record: ' "$W/$5.counts" || fail "$1 host $2 --keep $4: no run record line"
}
# the counts without what was summarized
counts() { sed 's/ (summarized [0-9]*)//g' "$W/$1.counts"; }
summarized() { sed -n "s/.*$2 [0-9]* (summarized \([0-9]*\)).*/\1/p" "$W/$1.counts"; }

S=$SRC/tests/campaign/storm.yaml
run "$S" 0 xen all full
run "$S" 0 xen 4 bounded
run "$S" 0 xen 4 bounded2
cmp -s "$W/full.row" "$W/bounded.row" || fail "storm: the bounded row differs from the full one"
[ "$(counts full)" = "$(counts bounded)" ] || fail "storm: bounded counts differ:
$(counts full)
$(counts bounded)"
cmp -s "$W/bounded.counts" "$W/bounded2.counts" || fail "storm: two bounded runs differ"
grep -q '^run record: records 5000 (summarized 0), fetched 5000, none 0, corrected 5000' "$W/full.counts" ||
    fail "storm: the full run has not 5,000 corrected records: $(cat "$W/full.counts")"
# --keep 4: the first 4 records are kept, the other 4,996 (acked) folded;
# each log keeps its first and last 4 lines
[ "$(summarized bounded records)" -eq 4996 ] || fail "storm: records summarized: $(summarized bounded records)"
[ "$(summarized bounded "dom0_log lines")" -eq $((85000 - 8)) ] || fail "storm: dom0 lines summarized"
# errors are folded in sweeps once the live ones reach 1,024 (ledger.c)
[ "$(summarized bounded errors)" -ge $((5000 - 1024)) ] || fail "storm: errors summarized: $(summarized bounded errors)"
[ "$(summarized full records)" -eq 0 ] && [ "$(summarized full "dom0_log lines")" -eq 0 ] ||
    fail "storm: the full run summarized something"

C=$SRC/tests/campaign/small.yaml
for p in xen linux-6; do
    h=0
    while [ $h -lt 12 ]; do
        run "$C" $h $p all f
        run "$C" $h $p 1 b
        cmp -s "$W/f.row" "$W/b.row" || fail "small host $h $p: rows differ"
        [ "$(counts f)" = "$(counts b)" ] || fail "small host $h $p: counts differ"
        h=$((h + 1))
    done
done

"$M" campaign "$S" --host 0 --keep 0 > /dev/null 2> "$W/err" && fail "--keep 0 accepted"
grep -q -- "--keep" "$W/err" || fail "--keep 0: no message naming the option"
echo "campaign bounded run records: ok"

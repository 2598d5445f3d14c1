#!/bin/sh
# skip_quiet (docs/PERFORMANCE.md, "Quiet time") changes nothing but speed:
# each scenario runs as it is and with `skip_quiet: true` added, and the two
# runs give the same results.json (less its trace_events count), latency.csv,
# points.csv, console and mcelog, and the same trace once the poll events
# and the poll_skip events are left out; the trace_events counts differ by
# exactly the checks the poll_skip events counted, less those events. The
# real-rate 1000 h runs of tests/quiet/ must skip (xen's and linux-6's
# pollers, CEs and UCs found by the daily scrub); short scenarios of the
# library (pollers with errors, AMD's, storms, firmware-first polling) run
# the same whether they skip or not, and so do nine of them stretched to
# 3 h (their expectations, failed or not, fail the same way); and campaign
# host-runs give the same rows with --skip-quiet.
# Usage: skip_quiet.sh MCASIM SRCDIR
M=$1
SRC=$2
. "$(dirname "$0")/harness.sh"

# outputs DIR SCENARIO: run it with every output into DIR
outputs() {
    mkdir -p "$1"
    "$M" run "$2" -q -j1 --trace "$1/trace.jsonl" --results "$1/res" --console "$1/console" \
        --mcelog "$1/mcelog" > "$1/table" 2>&1
}

# same NAME SCENARIO MUST_SKIP(0|1) [DURATION]: with a DURATION, the
# scenario runs that long instead (its expectations may then fail, the
# same way with and without skip_quiet: expect.stages counts polls)
same() {
    d=$w/$1
    mkdir -p "$d/plain" "$d/quiet"
    if [ -n "${4:-}" ]; then
        sed "s/^duration: .*/duration: $4/" "$2" > "$d/plain/s.yaml"
    else
        cp "$2" "$d/plain/s.yaml"
    fi
    { cat "$d/plain/s.yaml"; printf '\nskip_quiet: true\n'; } > "$d/quiet/s.yaml"
    # the file names differ in results.json: run both from the same path
    cp "$d/plain/s.yaml" "$d/s.yaml"
    outputs "$d/p" "$d/s.yaml"
    rp=$?
    cp "$d/quiet/s.yaml" "$d/s.yaml"
    outputs "$d/q" "$d/s.yaml"
    rq=$?
    if [ -z "${4:-}" ] && [ $rp -ne 0 ]; then
        no "$1: the run failed: $(cat "$d/p/table")"
        return
    fi
    [ $rp -eq $rq ] && ok || no "$1: exit $rp without skip_quiet, $rq with"
    [ -f "$d/p/res/results.json" ] && [ -f "$d/q/res/results.json" ] || { no "$1: no results"; return; }
    grep -v '"stage":"poll"' "$d/p/trace.jsonl" > "$d/p.t"
    grep -v '"stage":"poll"' "$d/q/trace.jsonl" | grep -v '"stage":"poll_skip"' > "$d/q.t"
    cmp -s "$d/p.t" "$d/q.t" && ok || no "$1: traces differ beyond the polls: $(diff "$d/p.t" "$d/q.t" | head -5)"
    same_outputs "$1" "$d/p" "$d/q"
    tp=$(sed -n 's/.*"trace_events":\([0-9]*\),.*/\1/p' "$d/p/res/results.json")
    tq=$(sed -n 's/.*"trace_events":\([0-9]*\),.*/\1/p' "$d/q/res/results.json")
    nskip=$(grep -c '"stage":"poll_skip"' "$d/q/trace.jsonl")
    checks=$(sed -n 's/.*"stage":"poll_skip".*(\([0-9]*\) checks).*/\1/p' "$d/q/trace.jsonl" | awk '{s += $1} END {print s + 0}')
    [ "$tp" -eq $((tq - nskip + checks)) ] && ok ||
        no "$1: trace_events $tp without, $tq with $nskip skips of $checks checks"
    if [ "$3" = 1 ]; then
        [ "$nskip" -gt 0 ] && ok || no "$1: nothing skipped"
    fi
    grep -q '"stage":"poll_skip"' "$d/p/trace.jsonl" && no "$1: skipped without skip_quiet" || ok
}

same fr-xen "$SRC/tests/quiet/field-rates-1000h.yaml" 1
same fr-linux6 "$SRC/tests/quiet/field-rates-1000h-linux6.yaml" 1
same fr-row "$SRC/tests/quiet/field-rates-1000h-row.yaml" 1
for s in xen/poll-interval-halved-then-doubled xen/amd-poll-intervals xen/poll-without-virq-printed-from-tenth \
         xen/cmci-below-threshold-never-polled firmware-first/cmc-storm-polling memory/field-rates-year-1tib \
         storms/cmci-storm-linux-6 basic/ce-found-by-polling hotplug/online-cpu-boot-logout; do
    same "$(echo "$s" | tr / -)" "$SRC/scenarios/$s.yaml" 0
done
# the same pollers for 3 hours: they reach their longest interval and skip
for s in xen/amd-poll-intervals xen/poll-without-virq-printed-from-tenth xen/poll-interval-divided-by-cpus-with-errors \
         storms/cmci-storm-linux-6 storms/shared-bank-cmci-owner hotplug/offline-cpu-gives-up-cmci \
         hotplug/amd-offline-cpu-takes-no-mce basic/ce-found-by-polling migration/hetero-host-gp; do
    same "long-$(echo "$s" | tr / -)" "$SRC/scenarios/$s.yaml" 1 3h
done
# a campaign's host-runs: --skip-quiet gives the same rows and counts
C=$SRC/tests/campaign/small.yaml
for h in 0 1 2 3; do
    for p in xen linux-6; do
        "$M" campaign "$C" --host $h --policy $p > "$w/c.plain" 2>&1 || no "campaign host $h $p failed"
        "$M" campaign "$C" --host $h --policy $p --skip-quiet > "$w/c.quiet" 2>&1 ||
            no "campaign host $h $p --skip-quiet failed"
        cmp -s "$w/c.plain" "$w/c.quiet" && ok || no "campaign host $h $p: --skip-quiet changes the row"
    done
done
finish

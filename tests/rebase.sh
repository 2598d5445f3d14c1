#!/bin/sh
# The epoch rebase (docs/TIME.md) changes nothing a run reports: the
# real-rate 1000 h runs, with skip_quiet, run as they are and with the
# check's knob MCASIM_REBASE_EVERY=1 (a rebase at every quiet point: the
# host moved back by the rounds skipped instead of SystemC's clock moving
# on), and give the same results.json (less its trace_events count),
# latency.csv, points.csv, console, mcelog and table. The traces hold the
# same events at the same times once the poll and poll_skip events are
# left out; only events of one picosecond (the CPUs' simultaneous CMCI
# entries) may come in another order, which SystemC leaves open. The
# knobbed runs must rebase and keep SystemC's clock far below 100 h,
# linux-6's per-CPU pollers too, whose rounds cost differently on the CPU
# that polls the shared bank (no whole number of rounds fits every timer:
# each skips its own, the host moves by the least). Not here:
# tests/quiet/field-rates-1000h-row.yaml, whose broadcast #MC wakes the
# CPUs at one picosecond in SystemC's tie order, which the rebase's extra
# event operations change: which CPU stamps the verdict moves, and with it
# the verdict/deferred latency split (docs/TIME.md).
# Usage: rebase.sh MCASIM SRCDIR
M=$1
SRC=$2
. "$(dirname "$0")/harness.sh"

# outputs DIR SCENARIO [KNOB]: run it with every output into DIR
outputs() {
    mkdir -p "$1"
    MCASIM_REBASE_EVERY=${3:-0} "$M" run "$2" -q -j1 --trace "$1/trace.jsonl" --results "$1/res" \
        --console "$1/console" --mcelog "$1/mcelog" > "$1/table" 2> "$1/err"
}

# same NAME SCENARIO [MUST_REBASE(1|0) [DURATION]]: both runs with
# skip_quiet (added when the file has none), DURATION long if given (its
# expectations may then fail, the same way with and without rebases)
same() {
    d=$w/$1
    must=${3:-1}
    mkdir -p "$d"
    if [ -n "${4:-}" ]; then
        sed "s/^duration: .*/duration: $4/" "$2" > "$d/s.yaml"
    else
        cp "$2" "$d/s.yaml"
    fi
    grep -q '^skip_quiet: true' "$d/s.yaml" || printf '\nskip_quiet: true\n' >> "$d/s.yaml"
    outputs "$d/p" "$d/s.yaml"
    rp=$?
    outputs "$d/r" "$d/s.yaml" 1
    rr=$?
    # stretched, a scenario's expectations may fail: the same way with rebases
    [ -n "${4:-}" ] || [ $rp -eq 0 ] || no "$1: the run failed: $(cat "$d/p/table")"
    [ $rp -eq $rr ] && ok || no "$1: exit $rp without rebases, $rr with"
    same_outputs "$1" "$d/p" "$d/r"
    for x in p r; do
        grep -v '"stage":"poll' "$d/$x/trace.jsonl" > "$d/$x.t"
    done
    cmp -s "$d/p.t" "$d/r.t" && ok || {
        # the same events at the same times, in another order within a picosecond
        sort "$d/p.t" > "$d/p.s"
        sort "$d/r.t" > "$d/r.s"
        cut -d, -f1 "$d/r.t" > "$d/r.c"
        if cmp -s "$d/p.s" "$d/r.s" && cut -d, -f1 "$d/p.t" | cmp -s - "$d/r.c"; then
            ok
        else
            no "$1: traces differ beyond the polls: $(diff "$d/p.t" "$d/r.t" | head -5)"
        fi
    }
    n=$(sed -n 's/^mcasim: \([0-9]*\) rebases, .*/\1/p' "$d/r/err")
    clock=$(sed -n "s/.*SystemC's clock at \([0-9]*\) ps.*/\1/p" "$d/r/err")
    if [ "$must" = 1 ]; then
        [ "${n:-0}" -gt 0 ] && ok || no "$1: no rebase: $(cat "$d/r/err")"
        # 1000 h is 3.6e18 ps; moved back at each quiet point, SystemC's
        # clock covers only the busy time (a few poll periods per quiet point)
        [ -n "$clock" ] && [ "$clock" -lt 360000000000000000 ] && ok || no "$1: SystemC's clock at ${clock:-?} ps"
    else
        [ "${n:-1}" -eq 0 ] && ok || no "$1: rebased: $(cat "$d/r/err")"
    fi
    grep -q rebases "$d/p/err" && no "$1: rebased without the knob" || ok
}

same fr-xen "$SRC/tests/quiet/field-rates-1000h.yaml"
same fr-linux6 "$SRC/tests/quiet/field-rates-1000h-linux6.yaml"
same fr-1tib "$SRC/scenarios/memory/field-rates-1000h-1tib-realtime.yaml"
# library scenarios stretched to 3 h: their pollers reach the longest
# interval and the hosts rebase once the errors are handled (dom0's
# mcelog, CEs found by polling, two hosts and a migration)
same long-ce-found-by-polling "$SRC/scenarios/basic/ce-found-by-polling.yaml" 1 3h
same long-hetero-host-gp "$SRC/scenarios/migration/hetero-host-gp.yaml" 1 3h
same long-poll-without-virq "$SRC/scenarios/xen/poll-without-virq-printed-from-tenth.yaml" 1 3h
finish

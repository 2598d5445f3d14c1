#!/bin/sh
# The round fold (docs/PERFORMANCE.md, "Folding repeated rounds") changes
# nothing but speed: each window of tests/fold/ runs as a campaign
# host-run without and with --fold-rounds, and the two give the same row
# (stdout) and the same run-record counts (stderr); the folded trace less
# its round_fold lines is the unfolded trace with runs of lines left out,
# each run exactly where round_fold lines stand and as long as the events
# they count (their "E events" summed), so the lines left out number
# sum(E). The folded run is deterministic, and the campaign key
# `fold_rounds: true` gives what --fold-rounds gives. The windows marked
# with a percentage below must fold (at least one round_fold line, and
# the folds count at least that share of the unfolded trace's round
# events): under Xen's policy the CE windows, window (a), the transient
# CE window, the miscorrecting bank's first pass (window d: each
# miscorrection a CE to the bank, rounds of miscorrection findings), the
# UC bank and the windows of rounds of several kinds (two-banks,
# column-bank, ce-uc-banks) at 90 %; the UC windows under
# linux-6 too (a page's #MC rounds, folded a page at a time); the CE
# column with a poisoned transient's lines among its rounds
# (column-after-uc) at 60 %: its CMCI rounds are about two thirds of the
# round events, 90 % of them folded (the UC column's rounds need not be);
# the windows of a CE column fault's lines among a miscorrecting bank
# fault's, each a CE to the bank (column-miscorrect, and over passes,
# where those lines are miscorrected and corrected in turn:
# miscorrect-phases) at 90 %: their rounds are of a few kinds a phase;
# column-bank with a single-bit fault's line in it (column-bank-bit) at
# 90 % too: the folds after that line find the period again;
# two UC faults sharing pages (uc-shared-pages: the second fault's
# rounds in the first's offlined pages and in its own fresh ones, folded
# together) at 85 % under both policies;
# a CE a row left in the bank below its threshold and overwritten by
# the row's first UC of a wide UC fault (ce-overwritten: rounds of
# several kinds across rows, the CE's among them) at 90 % under both;
# a UC bank fault's lines one a round, each between two of another bank
# fault's CE lines in the same pages, each CE overwritten by the next UC
# (uc-interleaved: a page's UC rounds in parts, the first offlining it)
# at 90 % under both;
# Xen's polls counted where a CE round's CPUs are idle: after the
# round's handler returned, while dom0 fetches, decodes and acks its
# record (ce-polls-dom0), and running into the next round's first line,
# which only latches (ce-polls-next), at 90 %, the folds not ended there;
# polls that meet a round, one of them late for the round's handler
# (poll-delayed), and polls less than 1 us clear of a round's busy
# window, before it and after it (poll-margin-before, poll-margin-after),
# at 90 %;
# the same among rounds of two faults' kinds (kinds-polls-dom0,
# kinds-polls-next) at 90 %;
# two faults of the same lines (twins: uc-twins, every line a DUE of
# both, named for the first; uc-twins-late, the second arriving
# mid-window, after CE rounds of the first) at 90 % and 60 % under both;
# the storm windows of two faults under linux-6 (two-columns, column-bank,
# multirank-bank: a poll's round of several runs, a run one fault's lines
# in a row; in multirank-bank some rounds begin while the poll before is
# still being handled) at 50 %: their rounds repeat alike once the bank's
# storm history (a bit a poll) is full; and fleet host 6748's shape under
# linux-6 (storm-amid: a multi-rank fault's line between the poll's first
# read of the bank and its clear every 29 polls or so, such rounds keyed
# by those lines) at 50 %;
# a storm's poll a second among a UC bank fault's page units and a
# miscorrecting bank fault's line a row (storm-uc-bank, fleet host 5593:
# the UC page after a CE the poll read and the one after a CE the UC
# overwrote are kinds of their own; part of a period folds up to the
# poll; the poll that reads the row's CE after its last line, where the
# UC page after it begins after its work, counted in the fold, that
# round of a polled kind) at 90 %, in at most 20 folds; the same faults
# placed as fleet host 9230's (storm-uc-tail), where polls also find the
# bank empty after a row's last UC unit or, waiting for a UC line's #MC
# handling, amid a unit, counted too (at most 9 folds);
# storms that end and begin again
# among a wide UC fault's rounds (storm-uc-multirank, fleet host 183:
# outside a storm, rounds that raise a CMCI are not added up, each moves
# the bank's history by the seconds since the check before; the storm's
# polls that find the bank empty counted in the folds, each a 0 in its
# history, while the storm stays on, those that wait for a UC line's #MC
# handling too: at most 20 folds): its unfolded
# trace is 131 million lines, so the row, counts and run record are
# compared, not the traces (same_counts); the same cycles with a sparse
# UC fault, a column's line a row (storm-cycles: a dozen storms in
# 400 s, traces compared), under both policies; a column fault within a bank
# fault's lines and a transient one within a rank fault's (nested-bank,
# fleet host 9408; nested-rank, host 3628: each column line a DUE of both,
# then poisoned, a hole in the outer fault's CE rounds on later passes)
# at 90 % under Xen's policy, and under linux-6, where the storm's poll
# rounds over the outer fault on later passes fold across the holes
# (each round's CEs one bank-count fold: at least one storm fold of 10
# rounds or more; none before), and on the first pass the storm's poll
# amid a rank-fault CE round splits it, counted (nested-rank: at most 10
# folds); a row fault within a miscorrecting rank
# fault's lines (nested-miscorrect, fleet host 5643: the rank fault's
# lines miscorrected and corrected in turn, the row's poisoned lines
# holes among them) at 90 % under Xen's policy, and under linux-6; a
# storm's poll rounds
# over a multi-bank CE fault, a poll's clear within dom0's work on its
# record about one poll in eight (storm-multibank: a fold ends after a
# round handled before the next round's first line), under linux-6; and
# column-miscorrect under linux-6 at 50 %, as the storm windows above:
# a storm's poll rounds, each of a few rows' column CE and miscorrection
# stretches, fold (fleet hosts 5975, 9944), the miscorrections' findings
# among the round's findings (fold_storm_sdcs).
#
# Usage: fold_rounds.sh MCASIM SRCDIR
# FOLD_FLAG: the option that folds (default --fold-rounds; FOLD_FLAG=""
# runs both sides unfolded, e.g. before the option exists). FOLD_EXPECT=0
# drops the "must fold" checks (default 1, or 0 when FOLD_FLAG is empty).
# FOLD_FLAG= runs the windows unfolded on both sides (the comparison's
# own check).
M=$1
SRC=$2
. "$(dirname "$0")/harness.sh"
FOLD_FLAG=${FOLD_FLAG---fold-rounds}
if [ -n "$FOLD_FLAG" ]; then FOLD_EXPECT=${FOLD_EXPECT-1}; else FOLD_EXPECT=${FOLD_EXPECT-0}; fi
F=$SRC/tests/fold

# What is not part of a round a fold could take: the pollers, the
# faults' arrivals (every other line of these windows is a scrubber
# finding's round: CMCI or #MC, records, dom0)
NOTROUND='"stage":"(poll|poll_skip|dram_fault|round_fold)"'

# The folded trace (input) against the unfolded one (-v U=): after the
# round_fold lines just before a folded line (their E summed, 0 without
# one), exactly that many lines of U are left out, and the next line of U
# is the folded line, byte for byte (lines of U may repeat: a search for
# it could skip a duplicate). On a mismatch a search forward says what
# is missing. Prints "folds sumE left-out"; POSIX awk (mawk, gawk).
SUBSEQ='
function fail(m) { print "FAIL " m; bad = 1; exit 1 }
function nextu() { if ((getline u < U) > 0) { un++; return 1 } return 0 }
index($0, "\"stage\":\"round_fold\"") {
    folds++
    if (!match($0, /[0-9]+ events/))
        fail("folded line " NR ": a round_fold line without its event count: " $0)
    e = substr($0, RSTART, RLENGTH) + 0
    sum += e; gap += e
    next
}
{
    for (i = 0; i < gap; i++)
        if (!nextu())
            fail("the round_fold lines before folded line " NR " count " gap " events, the unfolded trace ends " i " lines on")
    from = un + 1
    if (!nextu())
        fail("folded line " NR " is past the unfolded trace end (line " un "): " $0)
    if (u != $0) {
        s = 0
        while (u != $0 && nextu()) s++
        if (u != $0)
            fail("folded line " NR " is not in the unfolded trace after its line " from - 1 ": " $0)
        if (gap == 0)
            fail(s " unfolded lines (" from ".." un - 1 ") missing before folded line " NR ", where no round_fold line stands")
        fail("the round_fold lines before folded line " NR " count " gap " events; the unfolded trace has " gap + s " lines there (" from - gap ".." un - 1 ")")
    }
    missing += gap; gap = 0
}
END {
    if (bad) exit 1
    rest = 0
    while (nextu()) rest++
    if (rest != gap)
        fail("the unfolded trace has " rest " lines after the last folded one; the round_fold lines there count " gap)
    missing += rest
    print folds + 0, sum + 0, missing + 0
}'

# The same check by picosecond groups, for a fold whose round_fold line
# shares its picosecond with lines the folded run keeps (a miscorrection
# found at the wake that also finds the fold's first round: the wake is
# at the end of the miscorrections' stretch, which the round's line ends).
# The canonical order sorts a picosecond's lines, so the lines a fold left
# out and the ones it kept interleave there, which SUBSEQ cannot take.
# Here each picosecond's lines of the folded trace (less its round_fold
# lines) must be among the unfolded trace's lines of that picosecond, and
# the unfolded lines missing at it are counted against the events of the
# round_fold lines at or before it: never more missing than counted so
# far, none still owed after a picosecond whose kept lines come with no
# round_fold line (a fold's left-out lines stand together, where it
# stands), and all of them at the end. Prints "folds sumE left-out" as
# SUBSEQ does.
GROUPS='
function fail(m) { print "FAIL " m; bad = 1; exit 1 }
function ps(l,  t) { t = l; sub(/^[{]"t_ps":/, "", t); sub(/[^0-9].*$/, "", t); return t }
function before(a, b) { return length(a) < length(b) || (length(a) == length(b) && a < b) }
function nextu() { if ((getline u < U) > 0) { ut = ps(u); return 1 } ut = ""; return 0 }
# the unfolded lines of picosecond t into cnt[], those before it missing
function ugroup(t,  n) {
    for (k in cnt) delete cnt[k]
    while (ut != "" && before(ut, t)) { owed -= 1; left++; nextu() }
    if (owed < 0) fail("unfolded lines before picosecond " t " are missing where no round_fold line counts them")
    n = 0
    while (ut != "" && ut == t) { cnt[u]++; n++; nextu() }
    return n
}
function flush(  k, miss) {
    if (g == "") return
    if (ugroup(g) == 0 && kept) fail("picosecond " g " of the folded trace is not in the unfolded one")
    for (i = 1; i <= kept; i++) {
        if (!(line[i] in cnt) || cnt[line[i]] == 0) fail("folded line not among the unfolded lines of its picosecond: " line[i])
        cnt[line[i]]--
    }
    owed += ev
    miss = 0
    for (k in cnt) miss += cnt[k]
    owed -= miss; left += miss
    if (owed < 0) fail(miss " unfolded lines of picosecond " g " are missing, " owed + miss " counted by round_fold lines")
    if (owed > 0 && kept && nf == 0) fail("a fold left out lines on both sides of picosecond " g ", whose lines it kept")
}
BEGIN { nextu() }
{
    t = ps($0)
    if (t != g) { flush(); g = t; kept = 0; ev = 0; nf = 0 }
    if (index($0, "\"stage\":\"round_fold\"")) {
        if (!match($0, /[0-9]+ events/)) fail("a round_fold line without its event count: " $0)
        e = substr($0, RSTART, RLENGTH) + 0
        ev += e; sum += e; folds++; nf++
        next
    }
    line[++kept] = $0
}
END {
    if (bad) exit 1
    flush()
    while (ut != "") { owed--; left++; nextu() }
    if (owed != 0) fail("the round_fold lines count " sum " events, the unfolded trace lacks " left " lines")
    print folds + 0, sum + 0, left + 0
}'

# counts FILE: the stderr of a host-run less any trace-event count line
counts() { grep -v -i -E 'trace[ _-]?events' "$1"; }
# events FILE: the number on its trace-event count line, if any
events() { grep -i -E 'trace[ _-]?events' "$1" | tr -c '0-9\n' ' ' | awk '{ print $1; exit }'; }

# canon TRACE: the trace with the events of each picosecond in one order
# (sorted). Events at the same picosecond have no order in simulated time;
# SystemC takes processes woken for the same time in its timed queue's
# order, which depends on what else the queue held (the fold takes the
# pollers' and the scrubber's timers out and puts them back), so the
# comparison ignores that order and nothing else.
canon() {
    awk '{ t = $0; sub(/^[{]"t_ps":/, "", t); sub(/[^0-9].*$/, "", t)
           if (t != p) { g++; p = t }; printf "%012d\t%s\n", g, $0 }' "$1" |
        LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2 | cut -f2-
}

# hostrun DIR CAMPAIGN HOST POLICY [OPTION]: row, counts and trace in DIR
# (trace.jsonl as written, trace.c.jsonl canonical)
hostrun() {
    mkdir -p "$1"
    "$M" campaign "$2" --host "$3" --policy "$4" --trace "$1/trace.jsonl" --results "$1/results.json" \
        ${5:+"$5"} > "$1/row" 2> "$1/err" &&
        canon "$1/trace.jsonl" > "$1/trace.c.jsonl" &&
        sed -e 's/"trace_events":[0-9]*,//' -e 's/"mcasim_commit":"[^"]*"//' "$1/results.json" > "$1/results.c.json"
}

# same NAME CAMPAIGN HOST POLICY MUST_FOLD: MUST_FOLD is - (nothing
# expected), 0 (at least one round_fold line) or a percentage (also: the
# folds count at least that share of the unfolded trace's round events)
same() {
    d=$w/$1
    hostrun "$d/u" "$2" "$3" "$4" || { no "$1: the unfolded run failed: $(cat "$d/u/err")"; return; }
    hostrun "$d/f" "$2" "$3" "$4" "$FOLD_FLAG" || { no "$1: the folded run failed: $(cat "$d/f/err")"; return; }
    cmp -s "$d/u/row" "$d/f/row" && ok || no "$1: the row differs: $(diff "$d/u/row" "$d/f/row" | tail -2)"
    grep -q "^$4,$3," "$d/u/row" && ok || no "$1: no row: $(cat "$d/u/row")"
    case $1 in
    fleet-*) ;; # a fleet host: its scenario's expectations are its own run's, not a host-year's
    *) grep -q '"passed":true' "$d/u/results.json" && ok || no "$1: the host file's expectations failed (unfolded)" ;;
    esac
    counts "$d/u/err" > "$d/u.c"
    counts "$d/f/err" > "$d/f.c"
    cmp -s "$d/u.c" "$d/f.c" && ok || no "$1: the counts differ: $(diff "$d/u.c" "$d/f.c" | cut -c1-400 | head -4)"
    grep -q '^run record: ' "$d/u.c" && ok || no "$1: no run record line: $(cat "$d/u/err")"
    # the whole run record, less the events written (the folded rounds')
    cmp -s "$d/u/results.c.json" "$d/f/results.c.json" && ok ||
        no "$1: results.json differs: $(diff "$d/u/results.c.json" "$d/f/results.c.json" | cut -c1-300 | head -4)"
    r=$(awk -v U="$d/u/trace.c.jsonl" "$SUBSEQ" "$d/f/trace.c.jsonl")
    case $r in
    FAIL*) # the check by picosecond groups, when lines a fold kept share its picosecond
        r2=$(awk -v U="$d/u/trace.c.jsonl" "$GROUPS" "$d/f/trace.c.jsonl")
        case $r2 in
        FAIL*) ;;
        *) echo "$1: matched by picosecond groups (line by line: ${r#FAIL })"; r=$r2 ;;
        esac ;;
    esac
    case $r in
    FAIL*) no "$1: ${r#FAIL }"; return ;;
    esac
    # (the left-out lines number sum(E) when every run matched its folds)
    set -- "$1" "$2" "$3" "$4" "$5" $r
    folds=$6 sum=$7
    ok
    eu=$(events "$d/u/err")
    ef=$(events "$d/f/err")
    if [ -n "$eu$ef" ]; then
        [ -n "$eu" ] && [ -n "$ef" ] && [ "$eu" -eq $((ef + sum - folds)) ] && ok ||
            no "$1: trace events ${eu:-none} unfolded, ${ef:-none} folded with $folds folds of $sum events"
    fi
    # determinism: the folded run again, byte for byte
    hostrun "$d/g" "$2" "$3" "$4" "$FOLD_FLAG" || no "$1: the second folded run failed"
    cmp -s "$d/f/trace.jsonl" "$d/g/trace.jsonl" && cmp -s "$d/f/row" "$d/g/row" && cmp -s "$d/f/err" "$d/g/err" && ok ||
        no "$1: two folded runs differ"
    n=$(grep -c -v -E "$NOTROUND" "$d/u/trace.jsonl")
    echo "$1: $(wc -l < "$d/u/trace.jsonl") lines unfolded ($n of rounds), $folds round_fold lines of $sum events"
    if [ "$FOLD_EXPECT" = 1 ] && [ "$5" != - ]; then
        [ "$folds" -gt 0 ] && ok || no "$1: nothing folded"
        [ $((sum * 100)) -ge $((n * $5)) ] && ok || no "$1: the folds count $sum of $n round events, under $5 %"
    fi
    rm -rf "$d/g" "$d/u.c" "$d/f.c"
}

# same_counts NAME CAMPAIGN HOST POLICY: as same, for a window whose
# unfolded trace is too long to keep (storm-uc-multirank: 131 million
# lines): the row, the counts and the whole run record only, and that
# the folded run folds
same_counts() {
    d=$w/$1
    mkdir -p "$d/u" "$d/f"
    "$M" campaign "$2" --host "$3" --policy "$4" --results "$d/u/results.json" > "$d/u/row" 2> "$d/u/err" ||
        { no "$1: the unfolded run failed: $(cat "$d/u/err")"; return; }
    "$M" campaign "$2" --host "$3" --policy "$4" --results "$d/f/results.json" --trace "$d/f/trace.jsonl" \
        ${FOLD_FLAG:+"$FOLD_FLAG"} > "$d/f/row" 2> "$d/f/err" ||
        { no "$1: the folded run failed: $(cat "$d/f/err")"; return; }
    cmp -s "$d/u/row" "$d/f/row" && ok || no "$1: the row differs: $(diff "$d/u/row" "$d/f/row" | tail -2)"
    grep -q '"passed":true' "$d/u/results.json" && ok || no "$1: the host file's expectations failed (unfolded)"
    for r in u f; do
        counts "$d/$r/err" > "$d/$r.c"
        sed -e 's/"trace_events":[0-9]*,//' -e 's/"mcasim_commit":"[^"]*"//' "$d/$r/results.json" > "$d/$r/results.c.json"
    done
    cmp -s "$d/u.c" "$d/f.c" && ok || no "$1: the counts differ: $(diff "$d/u.c" "$d/f.c" | cut -c1-400 | head -4)"
    cmp -s "$d/u/results.c.json" "$d/f/results.c.json" && ok ||
        no "$1: results.json differs: $(diff "$d/u/results.c.json" "$d/f/results.c.json" | cut -c1-300 | head -4)"
    n=$(grep -c '"stage":"round_fold"' "$d/f/trace.jsonl")
    echo "$1: $n round_fold lines (traces not compared)"
    if [ "$FOLD_EXPECT" = 1 ]; then
        [ "$n" -gt 0 ] && ok || no "$1: nothing folded"
    fi
    rm -rf "$d/u" "$d/u.c" "$d/f.c"
}

# rounds_folded_at_least NAME N WHY: the folded run of window NAME has a
# fold of one fault's rounds (a single fold: "R rounds of fault") with R
# at least N
rounds_folded_at_least() {
    [ "$FOLD_EXPECT" = 1 ] || return 0
    r=$(sed -n 's/.*"detail":"\([0-9]*\) rounds of fault .*/\1/p' "$w/$1/f/trace.jsonl" | sort -n | tail -1)
    [ "${r:-0}" -ge "$2" ] && ok || no "$1: at most ${r:-0} rounds a fold, $3"
}

# folds_at_most NAME N WHY: the folded run of window NAME (same, above)
# has at most N round_fold lines (a bound that the rounds it names fold)
folds_at_most() {
    [ "$FOLD_EXPECT" = 1 ] || return 0
    n=$(grep -c '"stage":"round_fold"' "$w/$1/f/trace.jsonl")
    [ "$n" -le "$2" ] && ok || no "$1: $n folds, $3"
}

# found_after_polls_at_most NAME N WHY: in the folded run of window NAME,
# after each of CPU 0's polls at Xen's longest interval (16 s) that the
# trace shows (no fold counted it), at most N scrub findings traced before
# the next round_fold line (or the end)
found_after_polls_at_most() {
    [ "$FOLD_EXPECT" = 1 ] || return 0
    n=$(awk '/"stage":"poll"/ && /"cpu":0,/ && /interval 16s/ { on = 1; c = 0 }
        on && /"stage":"scrub_found"/ { c++ }
        /"stage":"round_fold"/ { if (on && c > m) m = c; on = 0 }
        END { if (on && c > m) m = c; print m + 0 }' "$w/$1/f/trace.jsonl")
    [ "$n" -le "$2" ] && ok || no "$1: $n findings after a poll, $3"
}

# cycles_folded NAME FOLDS CYCLES WHY: the folded run of window NAME has
# at least FOLDS cycle folds (round_fold lines "K cycles folded") of at
# least CYCLES cycles in all; FOLDS 0: none
cycles_folded() {
    [ "$FOLD_EXPECT" = 1 ] || return 0
    r=$(awk -F'"detail":"' '/ cycles folded / { n++; split($2, a, " "); c += a[1] } END { print n + 0, c + 0 }' \
        "$w/$1/f/trace.jsonl")
    n=${r% *} c=${r#* }
    if [ "$2" = 0 ]; then
        [ "$n" -eq 0 ] && ok || no "$1: $n cycle folds, $4"
    else
        [ "$n" -ge "$2" ] && [ "$c" -ge "$3" ] && ok || no "$1: $n cycle folds of $c cycles, $4"
    fi
}

# cycle_fold_after_polls NAME WHY: in the folded run of window NAME, after
# the polls of CPUs other than 0 (each cycle that held them), a cycle fold
# comes before the next storm begins, at least once and every time
cycle_fold_after_polls() {
    [ "$FOLD_EXPECT" = 1 ] || return 0
    r=$(awk '/"stage":"poll"/ && !/"cpu":0,/ { on = 1 }
        on && /"stage":"cmci_storm_begin"/ { bad++; on = 0 }
        on && / cycles folded / { good++; on = 0 }
        END { print good + 0, bad + 0 }' "$w/$1/f/trace.jsonl")
    [ "${r% *}" -ge 1 ] && [ "${r#* }" -eq 0 ] && ok || no "$1: cycle folds after polls, and storms before one: $r; $2"
}

# found_at_most NAME N WHY: the folded run of window NAME has at most N
# scrub findings traced (the rounds it ran for real)
found_at_most() {
    [ "$FOLD_EXPECT" = 1 ] || return 0
    n=$(grep -c '"stage":"scrub_found"' "$w/$1/f/trace.jsonl")
    [ "$n" -le "$2" ] && ok || no "$1: $n rounds run, $3"
}

same ce-bank-xen "$F/ce-bank.yaml" 0 xen 90
same ce-bank-linux6 "$F/ce-bank.yaml" 0 linux-6 0
# ce-bank's host for 300 s: the storm's single fold spans 286 polls, taken
# in bulk past the first 64 (round_fold's `bulk`)
same storm-bulk-linux6 "$F/storm-bulk.yaml" 0 linux-6 0
rounds_folded_at_least storm-bulk-linux6 200 "the storm's poll rounds not folded in one stretch"
same ce-bank-xen-t3 "$F/ce-bank.yaml" 0 xen-t3 90
same ce-transient-xen "$F/ce-transient.yaml" 0 xen 90
same ce-transient-linux6 "$F/ce-transient.yaml" 0 linux-6 0
same ce-interrupted-xen "$F/ce-interrupted.yaml" 0 xen 0
same ce-interrupted-linux6 "$F/ce-interrupted.yaml" 0 linux-6 -
same uc-bank-xen "$F/uc-bank.yaml" 0 xen 90
same uc-bank-linux6 "$F/uc-bank.yaml" 0 linux-6 0
same uc-column-xen "$F/uc-column.yaml" 0 xen 0
same uc-transient-xen "$F/uc-transient.yaml" 0 xen 90
same uc-shared-pages-xen "$F/uc-shared-pages.yaml" 0 xen 85
same uc-shared-pages-linux6 "$F/uc-shared-pages.yaml" 0 linux-6 85
same ce-overwritten-xen "$F/ce-overwritten.yaml" 0 xen 90
same ce-overwritten-linux6 "$F/ce-overwritten.yaml" 0 linux-6 90
same uc-interleaved-xen "$F/uc-interleaved.yaml" 0 xen 90
same uc-interleaved-linux6 "$F/uc-interleaved.yaml" 0 linux-6 90
same ce-polls-dom0-xen "$F/ce-polls-dom0.yaml" 0 xen 90
same ce-polls-next-xen "$F/ce-polls-next.yaml" 0 xen 90
# 4 folds each, the polls there counted; ending before them made 6 and 5
folds_at_most ce-polls-dom0-xen 4 "a poll where the CPUs are idle ended one"
folds_at_most ce-polls-next-xen 4 "a poll where the CPUs are idle ended one"
# Xen's polls that meet a round (24, 40 and 56 s), the one at 40 s late
# for the round's handler: a fold ends before each, the round with the
# poll runs and the next fold begins after it (6 folds and 35 rounds run
# when the late poll left the two after it unsteady and each such round
# waited for another alike)
same poll-delayed-xen "$F/poll-delayed.yaml" 0 xen 90
folds_at_most poll-delayed-xen 5 "a poll's late round left the next polls unsteady"
found_at_most poll-delayed-xen 30 "a round with a quiet poll in it waited for another to confirm it"
# a poll 10 ns to 1 us clear of a round's busy window, before its CMCI
# handling (poll-margin-before) and after its CPUs returned
# (poll-margin-after): one fold each (two with a 1 us margin)
same poll-margin-before-xen "$F/poll-margin-before.yaml" 0 xen 90
same poll-margin-after-xen "$F/poll-margin-after.yaml" 0 xen 90
folds_at_most poll-margin-before-xen 1 "a poll just before a round's CMCI ended one"
folds_at_most poll-margin-after-xen 1 "a poll just after a round's CPUs returned ended one"
same kinds-polls-dom0-xen "$F/kinds-polls-dom0.yaml" 0 xen 90
same kinds-polls-next-xen "$F/kinds-polls-next.yaml" 0 xen 90
# 12 folds each, the polls there counted; ending before them made 14
folds_at_most kinds-polls-dom0-xen 12 "a poll where the CPUs are idle ended one"
folds_at_most kinds-polls-next-xen 12 "a poll where the CPUs are idle ended one"
same uc-twins-xen "$F/uc-twins.yaml" 0 xen 90
same uc-twins-linux6 "$F/uc-twins.yaml" 0 linux-6 90
same uc-twins-late-xen "$F/uc-twins-late.yaml" 0 xen 60
same uc-twins-late-linux6 "$F/uc-twins-late.yaml" 0 linux-6 60
same uc-column-linux6 "$F/uc-column.yaml" 0 linux-6 0
same srao-after-folds-xen "$F/srao-after-folds.yaml" 0 xen 0
same two-columns-xen "$F/two-columns.yaml" 0 xen 0
same two-columns-linux6 "$F/two-columns.yaml" 0 linux-6 50
same two-banks-xen "$F/two-banks.yaml" 0 xen 90
same two-banks-linux6 "$F/two-banks.yaml" 0 linux-6 -
same column-bank-xen "$F/column-bank.yaml" 0 xen 90
same column-bank-linux6 "$F/column-bank.yaml" 0 linux-6 50
same column-bank-bit-xen "$F/column-bank-bit.yaml" 0 xen 90
same multirank-bank-linux6 "$F/multirank-bank.yaml" 0 linux-6 50
same storm-amid-linux6 "$F/storm-amid.yaml" 0 linux-6 50
# its rounds with a line amid the poll's handling fold too (keyed by
# those lines: 31 folds); a fold ending before each of them made 50
folds_at_most storm-amid-linux6 40 "the rounds amid a poll's handling not folded"
same storm-uc-bank-linux6 "$F/storm-uc-bank.yaml" 0 linux-6 90
# two kinds of UC page after the row's CE (read by the poll, or
# overwritten) and part of a period: 125 folds, 359 before; the poll that
# reads the row's CE after its last line placed on the rounds, the row's
# miscorrection round of its polled kind (fold_kind::polled): 11 folds and
# 233 rounds run, 125 and 1,338 when each such poll ended a fold
folds_at_most storm-uc-bank-linux6 20 "a storm's poll that reads a row's CE ends the fold"
found_at_most storm-uc-bank-linux6 300 "a storm's poll that reads a row's CE ends the fold"
same storm-uc-tail-linux6 "$F/storm-uc-tail.yaml" 0 linux-6 90
# the polls that find the bank empty after a row's last UC unit counted
# in the folds, as the ones that read a row's CE: 10 folds and 191
# rounds run, 17 and 278 when each ended a fold; and the polls that fire
# while the bank's home CPU handles a UC line's #MC, run when it returns
# (fold_round::home_idle), and the storm's steady empty polls placed so
# by the kinds plan (found_poll::periodic): 8 folds
folds_at_most storm-uc-tail-linux6 9 "a storm's poll that finds the bank empty amid or after a UC unit ends the fold"
same_counts storm-uc-multirank-linux6 "$F/storm-uc-multirank.yaml" 0 linux-6
# the storm's polls that find the bank empty (the UC rounds' handlers
# cleared it) are counted in the folds: 27 folds, 102 when each ended one;
# those that wait for a UC line's #MC handling too: 11 folds
folds_at_most storm-uc-multirank-linux6 20 "the storm's empty polls end the folds"
same storm-cycles-xen "$F/storm-cycles.yaml" 0 xen 0
same storm-cycles-linux6 "$F/storm-cycles.yaml" 0 linux-6 0
# whole storm cycles counted (host_cycles.cpp): from the third cycle on
# (two alike confirm a reference) up to the cycle with the other CPUs'
# 300 s polls, which runs; that cycle is the reference with quiet polls
# in it (cycle_less_polls), so the next fold begins at its end, and lasts
# until a cycle before the run's end: two folds, 5 cycles. Under xen no
# storm, so none: the round fold counts a row's rounds further than
# whole cycles would go (fleet xen 1552)
cycles_folded storm-cycles-linux6 2 5 "the storm cycles were not counted whole"
cycle_fold_after_polls storm-cycles-linux6 "the cycle with the polls in it was not taken as the reference's"
cycles_folded storm-cycles-xen 0 0 "cycles of rounds without a storm"
same nested-bank-xen "$F/nested-bank.yaml" 0 xen 90
# the rounds at a row's edge are learnt, though a fold of the bank fault's
# rounds alone would take them (round_fold, fold_learn_runs_): 30 folds,
# 312 when they were never run to be learnt
folds_at_most nested-bank-xen 60 "the rounds of no kind yet folded alone, never learnt"
same nested-bank-linux6 "$F/nested-bank.yaml" 0 linux-6 0
rounds_folded_at_least nested-bank-linux6 10 "the storm's poll rounds not folded across the holes"
same nested-rank-xen "$F/nested-rank.yaml" 0 xen 90
folds_at_most nested-rank-xen 60 "the rounds of no kind yet folded alone, never learnt"
same nested-rank-linux6 "$F/nested-rank.yaml" 0 linux-6 0
rounds_folded_at_least nested-rank-linux6 10 "the storm's poll rounds not folded across the holes"
# the storm's poll amid a rank-fault CE round of the first pass (its CE
# then the column's DUE's to overwrite) splits it (fold_kind::split): 6
# folds, 18 when each such poll ended one
folds_at_most nested-rank-linux6 10 "a storm's poll amid a CE round's lines ends the fold"
same nested-miscorrect-xen "$F/nested-miscorrect.yaml" 0 xen 90
same nested-miscorrect-linux6 "$F/nested-miscorrect.yaml" 0 linux-6 0
same storm-multibank-linux6 "$F/storm-multibank.yaml" 0 linux-6 0
same ce-uc-banks-xen "$F/ce-uc-banks.yaml" 0 xen 90
same ce-uc-banks-linux6 "$F/ce-uc-banks.yaml" 0 linux-6 -
# a UC column fault's rounds with linux-6's 300 s polls among them, the
# bank owner's reading the bank: each found it empty and is counted in
# the fold, which before ended at each (6 folds; fleet linux-6 4081, 4252).
# A poll is counted once two quiet rounds came before it
# (hv_poll_steady), so the polls at 300 s and 600 s end a fold each and
# those at 900, 1200 and 1500 s do not: at most 3 folds
same uc-column-polls-xen "$F/uc-column-polls.yaml" 0 xen 90
same uc-column-polls-linux6 "$F/uc-column-polls.yaml" 0 linux-6 90
folds_at_most uc-column-polls-linux6 3 "its polls end the folds"
same uc-bank-polls-xen "$F/uc-bank-polls.yaml" 0 xen 90
# a fold ends before such a poll (in a row's gap) and the units up to it
# run; the round that holds it, from the row's last unit to the next
# row's first finding, is the reference unit's with the poll's round
# (fold_ref_with_poll), so the next fold begins at that finding: none
# after the poll runs (a unit of 8 did before)
found_after_polls_at_most uc-bank-polls-xen 0 "the round with the poll in it was not taken as the reference's"
same column-after-uc-xen "$F/column-after-uc.yaml" 0 xen 60
same column-after-uc-linux6 "$F/column-after-uc.yaml" 0 linux-6 -
same miscorrect-xen "$F/miscorrect.yaml" 0 xen 90
same column-miscorrect-xen "$F/column-miscorrect.yaml" 0 xen 90
same column-miscorrect-linux6 "$F/column-miscorrect.yaml" 0 linux-6 50
same miscorrect-phases-xen "$F/miscorrect-phases.yaml" 0 xen 90
same miscorrect-phases-linux6 "$F/miscorrect-phases.yaml" 0 linux-6 -
same miscorrect-linux6 "$F/miscorrect.yaml" 0 linux-6 -
same fleet-4900-xen "$F/fleet-1000h-cut.yaml" 4900 xen 0
same fleet-4900-linux6 "$F/fleet-1000h-cut.yaml" 4900 linux-6 90
same fleet-year-6000-xen "$F/fleet-year-cut.yaml" 6000 xen 90
same fleet-year-6000-linux6 "$F/fleet-year-cut.yaml" 6000 linux-6 -

# the campaign key does what the option does (once the option exists)
if [ -n "$FOLD_FLAG" ]; then
    sed "s#scenario: ce-bank-host.yaml#scenario: $(cd "$F" && pwd)/ce-bank-host.yaml#" "$F/ce-bank.yaml" > "$w/key.yaml"
    printf 'fold_rounds: true\n' >> "$w/key.yaml"
    hostrun "$w/key" "$w/key.yaml" 0 xen || no "key: the run failed: $(cat "$w/key/err")"
    d=$w/ce-bank-xen/f
    cmp -s "$d/trace.jsonl" "$w/key/trace.jsonl" && cmp -s "$d/row" "$w/key/row" && cmp -s "$d/err" "$w/key/err" && ok ||
        no "key: fold_rounds: true differs from $FOLD_FLAG"
    # A year of a fault found all day every day (column-year-host.yaml):
    # the folds must rebase, or the run fails at SystemC's horizon (2^63
    # ps, 107 days); every pass's CEs counted (the host file's expect:
    # 365 x 262,144), a record per two.
    y=$w/year
    mkdir -p "$y"
    "$M" campaign "$F/column-year.yaml" --host 0 --policy xen --max-wall 120s --results "$y/results.json" \
        > "$y/row" 2> "$y/err" || no "year: the run failed: $(tail -2 "$y/row" "$y/err")"
    grep -q '^xen,0,[0-9]*,done,running,0,0,0,0,0,0,95682560,0,47841280$' "$y/row" && ok ||
        no "year: the row is not a year's: $(tail -1 "$y/row")"
    grep -q '"passed":true' "$y/results.json" && ok || no "year: the host file's expectations failed"
    # linux-6: the same CEs; one storm, then a record a poll, a poll a
    # second: at most 8760 h x 3600 records, fewer by no more than an
    # hour's (the fault's CEs, one every 324 ms from time 0, begin the
    # storm within the first minutes)
    "$M" campaign "$F/column-year.yaml" --host 0 --policy linux-6 --max-wall 120s --results "$y/results6.json" \
        --trace "$y/year6.jsonl" > "$y/row6" 2> "$y/err6" || no "year linux-6: the run failed: $(tail -2 "$y/row6" "$y/err6")"
    r6=$(tail -1 "$y/row6")
    case $r6 in
    linux-6,0,*,done,running,0,0,0,0,1,0,95682560,0,*) ok ;;
    *) no "year linux-6: the row is not a year's: $r6" ;;
    esac
    n6=${r6##*,}
    [ "$n6" -le 31536000 ] && [ "$n6" -ge $((31536000 - 3600)) ] && ok || no "year linux-6: $n6 records, not a poll a second"
    grep -q '"passed":true' "$y/results6.json" && ok || no "year linux-6: the host file's expectations failed"
    # the other CPUs' 5-minute polls do not read the bank the storming
    # CPU owns (hv_poll_timer_reads_bank: each polls the banks it owns), so
    # the storm's folds count them and end at the pass's end or a rebase:
    # at most two a day (ending at each of those polls: 105,120 a year)
    nf6=$(grep -c '"stage":"round_fold"' "$y/year6.jsonl")
    [ "$nf6" -le 730 ] && ok || no "year linux-6: $nf6 folds, more than two a day"
    rm -f "$y/year6.jsonl"
    # A year of a fault found 3 h a day (bank-year-host.yaml): the 21 h
    # of quiet polls a day are skipped all year, past half SystemC's
    # horizon too, where every poll round asks for a rebase: a quiet
    # stretch runs two steady rounds (4 CPUs' polls each) before the
    # skip, so at most 100 poll lines a day (36,500) - polled one by one
    # it would be 21 h / 16 s x 4 = 18,900 a day
    "$M" campaign "$F/bank-year.yaml" --host 0 --policy xen --max-wall 120s --results "$y/bank.json" \
        --trace "$y/bank.jsonl" > "$y/bank.row" 2> "$y/bank.err" ||
        no "bank-year: the run failed: $(tail -2 "$y/bank.row" "$y/bank.err")"
    grep -q '"passed":true' "$y/bank.json" && ok || no "bank-year: the host file's expectations failed"
    np=$(grep -c '"stage":"poll"' "$y/bank.jsonl")
    [ "$np" -le 36500 ] && ok || no "bank-year: $np poll lines, quiet polls not skipped"
    rm -f "$y/bank.jsonl"
    # A field-rate fault on a host busy all day (fleet host 770 under Xen:
    # a column fault found every row from day 6, a multi-rank UC fault due
    # on day 57, before the first rebase): placed before it arrives, its
    # 2^30 lines found once each, every page holding them (8 a page)
    # offlined by its first line's #MC round: 2^27 pages. (Placed only at
    # rebases, it came 4 days late, a pass's lines unfound, then a burst
    # found at one instant whose UCs overwrote each other in the bank: 511
    # pages never offlined.)
    "$M" campaign "$SRC/campaigns/fleet-year-1tib-realtime.yaml" --host 770 --policy xen --max-wall 120s \
        > "$y/770.row" 2> "$y/770.err" || no "fleet 770: the run failed: $(tail -2 "$y/770.row" "$y/770.err")"
    case $(tail -1 "$y/770.row") in
    xen,770,*,done,running,0,0,0,134217728,0,0,*,1073741824,*) ok ;;
    *) no "fleet 770: not every page of the UC fault offlined: $(tail -1 "$y/770.row")" ;;
    esac
    # Twins in the year's last day (fleet host 7668): two single-bank
    # faults on bank 14 of channel 2's rank 1 (devices 3 and 8), the
    # second arriving as the walk begins row 142,291; from there every
    # line of the bank is a DUE of both, found once each: the rest of the
    # pass (rows 142,291..262,143) and the next pass's rows 0..65,535 by
    # the year's end (24 h / 2^18 = 329.59 ms a row: 185,389 rows in
    # those 61,102 s), 128 lines a row: 23,729,792 DUEs, 8 a page,
    # 2,966,224 pages offlined, under both policies. (Named for no fault,
    # no fold took them: past 60 s at 99.8 % of the year.)
    for p in xen linux-6; do
        "$M" campaign "$SRC/campaigns/fleet-year-1tib-realtime.yaml" --host 7668 --policy $p --max-wall 120s \
            > "$y/7668.row" 2> "$y/7668.err" || no "fleet 7668 $p: the run failed: $(tail -2 "$y/7668.row" "$y/7668.err")"
        case $(tail -1 "$y/7668.row") in
        $p,7668,*,done,running,0,0,*,2966224,*,0,*,23729792,*) ok ;;
        *) no "fleet 7668 $p: not the twins' DUEs and pages: $(tail -1 "$y/7668.row")" ;;
        esac
    done
fi
finish

#!/bin/sh
# A real-rate year (docs/TIME.md): tests/quiet/field-rates-1000h.yaml run
# for 8766 h with skip_quiet, no knob. 3.16e19 ps is beyond SystemC's
# 2^64 ps, so the run reaches its end only through rebases, which it
# switches on itself; every time prints exactly past 2^64. Its one
# permanent single-bit fault arrives within the 1000 h span and is found
# by the daily scrub pass: first where the 1000 h run finds it first, then
# once a pass (86,400 s) to the end: floor((end - first) / 86400 s) + 1
# CEs, the last mcelog TIME at first + (ce - 1) days. The errors of the
# first 1000 h are the 1000 h run's. A fault drawn past 1000 h (a
# campaign host) is found daily from its first find. A year without
# skip_quiet is refused.
# Usage: year.sh MCASIM SRCDIR
M=$1
SRC=$2
. "$(dirname "$0")/harness.sh"

S=$SRC/tests/quiet/field-rates-1000h.yaml
sed "s/^duration: .*/duration: 8766h/" "$S" > "$w/year.yaml"
printf '\nskip_quiet: true\n' >> "$w/year.yaml"
cp "$S" "$w/h1000.yaml"
printf '\nskip_quiet: true\n' >> "$w/h1000.yaml"

"$M" run "$w/year.yaml" -q -j1 --trace "$w/y.jsonl" --results "$w/y" --mcelog "$w/y.mcelog" \
    --rasdaemon "$w/y.db" > "$w/y.table" 2> "$w/y.err" &&
    ok || no "the year failed: $(cat "$w/y.table" "$w/y.err")"
grep -q horizon "$w/y.err" && no "the year stopped at SystemC's horizon: $(cat "$w/y.err")" || ok
grep -q rebases "$w/y.err" && no "the knob's report without the knob" || ok
"$M" run "$w/h1000.yaml" -q -j1 --results "$w/h" > /dev/null 2>&1 && ok || no "the 1000 h run failed"

python3 - "$w" <<'PY' && ok || no "the year's figures (above)"
import json, re, sys
w = sys.argv[1]
def run(p):
    d = json.load(open(p))
    return d[0] if isinstance(d, list) else d
y, h = run(w + "/y/results.json"), run(w + "/h/results.json")
bad = []
PS_S, DAY = 10**12, 86400 * 10**12
end = 8766 * 3600 * PS_S
if y["end_ps"] != end:
    bad.append("end_ps %d, not %d" % (y["end_ps"], end))
ft = y["hosts"][0]["memory"]["fault_truth"]
fh = h["hosts"][0]["memory"]["fault_truth"]
if len(ft) != 1 or len(fh) != 1 or not ft[0]["permanent"]:
    bad.append("not the one permanent fault: %s" % ft)
else:
    first = ft[0]["found_first_ps"]
    if first != fh[0]["found_first_ps"] or ft[0]["arrival_ps"] != fh[0]["arrival_ps"]:
        bad.append("arrival/first find differ from the 1000 h run's")
    ce = (end - first) // DAY + 1
    if ft[0]["ce"] != ce:
        bad.append("ce %d, the daily passes give %d" % (ft[0]["ce"], ce))
    last = [int(m) for m in re.findall(r"^TIME (\d+)", open(w + "/y.mcelog").read(), re.M)][-1]
    if last != (first + (ce - 1) * DAY) // PS_S:
        bad.append("last mcelog TIME %d, the last pass at %d s" % (last, (first + (ce - 1) * DAY) // PS_S))
ey = [(e["at_ps"], e["status"]) for e in y["errors"] if e["at_ps"] <= 1000 * 3600 * PS_S]
eh = [(e["at_ps"], e["status"]) for e in h["errors"]]
if ey != eh:
    bad.append("the first 1000 h's errors differ: %s / %s" % (ey[:3], eh[:3]))
# SQLite's integers are signed 64-bit: mcasim_entry's time_ps is the
# record's time while below 2^63 ps, NULL past it, never a wrapped value
import sqlite3
rows = sqlite3.connect(w + "/y.db").execute(
    "select r.walltime, e.time_ps from mce_record r join mcasim_entry e using (id)").fetchall()
early = [(s, t) for s, t in rows if s * PS_S < 2**63 - PS_S]
late = [(s, t) for s, t in rows if s * PS_S >= 2**63]
nlog = len(re.findall(r"^TIME ", open(w + "/y.mcelog").read(), re.M))
if not early or not late or len(rows) != nlog:
    bad.append("rasdaemon rows: %d (mcelog: %d), %d before 2^63 ps, %d after" % (len(rows), nlog, len(early), len(late)))
if any(t is None or t // PS_S != s for s, t in early) or any(t is not None for s, t in late):
    bad.append("rasdaemon time_ps: %s ... %s" % (early[:1], late[-1:]))
past = [json.loads(l)["t_ps"] for l in open(w + "/y.jsonl")]
if not past or max(past) < 2**64 or past != sorted(past):
    bad.append("trace times: last %s, in order %s" % (past[-1:], past == sorted(past)))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# a fault drawn past 1000 h is placed when a rebase brings it within
# reach, and the scrubber plans its visits: host 300 of the year campaign
# (seed from the campaign) draws a permanent fault the pass first finds
# at 2911 h; every pass after finds it again, one day apart, to the end
"$M" campaign "$SRC/campaigns/fleet-year-1tib-realtime.yaml" --host 300 --trace "$w/c.jsonl" > "$w/c.row" 2> "$w/c.err" &&
    ok || no "campaign host 300 failed: $(cat "$w/c.err")"
grep -q horizon "$w/c.err" && no "host 300 stopped at SystemC's horizon" || ok
python3 - "$w" <<'PY' && ok || no "host 300's figures (above)"
import json, re, sys
w = sys.argv[1]
DAY, end = 86400 * 10**12, 8766 * 3600 * 10**12
# a find is a scrub_found event, or a CE folded into the one the bank
# holds ("ce-counted xN (folded)": N finds, here N = 1, at the line's time)
found = []
for e in map(json.loads, open(w + "/c.jsonl")):
    m = re.match(r"ce-counted x(\d+) \(folded\)$", e.get("detail", "")) if e["stage"] == "error_latched" else None
    if e["stage"] == "scrub_found" or m:
        found += [e["t_ps"]] * (int(m.group(1)) if m else 1)
row = open(w + "/c.row").read().strip().splitlines()[-1].split(",")
bad = []
if not found or found[0] <= 1000 * 3600 * 10**12:
    bad.append("first find %s, not past 1000 h" % found[:1])
elif len(found) != (end - found[0]) // DAY + 1 or any(b - a != DAY for a, b in zip(found, found[1:])):
    bad.append("%d finds, the daily passes give %d" % (len(found), (end - found[0]) // DAY + 1))
if int(row[11]) != len(found):
    bad.append("row's ces %s, %d finds" % (row[11], len(found)))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# a year needs skip_quiet: file:line:column and a hint
sed "s/^duration: .*/duration: 8766h/" "$S" > "$w/bad.yaml"
"$M" run "$w/bad.yaml" -q > "$w/bad.out" 2>&1 && no "a year without skip_quiet ran" || ok
grep -q "bad.yaml:10:11: error: 'duration' is longer than 1000h without skip_quiet" "$w/bad.out" &&
    grep -q "hint: add 'skip_quiet: true'" "$w/bad.out" && ok || no "the error: $(cat "$w/bad.out")"
# the same host under linux-6 (per-CPU pollers of unequal periods, moved
# back each by its own rounds) finds the fault on the same days: a
# rebase that pushed its timers past the fault's arrival placed the fault
# late, and the walk then reported the owed lines all at once
"$M" campaign "$SRC/campaigns/fleet-year-1tib-realtime.yaml" --host 300 --policy linux-6 --trace "$w/c6.jsonl" \
    > "$w/c6.row" 2> "$w/c6.err" && ok || no "campaign host 300 under linux-6 failed: $(cat "$w/c6.err")"
python3 - "$w" <<'PY' && ok || no "host 300's finds under linux-6 (above)"
import json, sys
w = sys.argv[1]
def finds(f): # a line found: a finding, or a catch-up's fold (a bank holding a CE)
    return [e["t_ps"] for e in map(json.loads, open(w + f))
            if e["stage"] == "scrub_found" or e["stage"] == "error_latched" and e.get("detail", "").endswith("(folded)")]
x, l = finds("/c.jsonl"), finds("/c6.jsonl")
if not x or x != l:
    print("%d finds under xen, %d under linux-6; first %s / %s" % (len(x), len(l), x[:1], l[:1]))
    sys.exit(1)
PY

# a wide miscorrecting fault, folded, under both policies: host 8400 draws
# a single-row fault (1024 columns, 8 a line: 128 lines) whose daily pass
# miscorrects each line and the next pass corrects the wrong data left, so
# n passes from the first find give 128 x ceil(n/2) SDCs and 128 x floor(n/2)
# CEs. The walk used to stop at the first rebase inside a folded stretch
# (an owed visit moved below 0: docs/TIME.md) and the row said done.
for p in xen linux-6; do
    "$M" campaign "$SRC/campaigns/fleet-year-1tib-realtime.yaml" --host 8400 --policy $p --trace "$w/r-$p.jsonl" \
        > "$w/r-$p.row" 2> "$w/r-$p.err" && ok || no "host 8400 $p failed: $(cat "$w/r-$p.err")"
    python3 - "$w" $p <<'PY' && ok || no "host 8400 $p's figures (above)"
import json, sys
w, p = sys.argv[1], sys.argv[2]
DAY, end = 86400 * 10**12, 8766 * 3600 * 10**12
found = [e["t_ps"] for e in map(json.loads, open("%s/r-%s.jsonl" % (w, p))) if e["stage"] == "scrub_found"]
row = open("%s/r-%s.row" % (w, p)).read().strip().splitlines()[-1].split(",")
n = (end - found[0]) // DAY + 1 if found else 0
want = (128 * ((n + 1) // 2), 128 * (n // 2))
got = (int(row[7]), int(row[11]))
if row[3] != "done" or n < 300 or got != want:
    print("%s: status %s, %d passes from %s: sdcs, ces %s, the passes give %s" % (p, row[3], n, found[:1], got, want))
    sys.exit(1)
PY
done

# a year whose only host panics at once: a stopped host never rebases and
# needs not (its outcome is final), so the run ends as a whole one, not as
# one cut at SystemC's horizon
sed "s/^duration: .*/duration: 8766h/" "$SRC/scenarios/basic/pcc-fatal.yaml" > "$w/pf.yaml"
printf '\nskip_quiet: true\n' >> "$w/pf.yaml"
"$M" run "$w/pf.yaml" -q > "$w/pf.out" 2>&1 && ok || no "a year stopped by a panic failed: $(cat "$w/pf.out")"
grep -q horizon "$w/pf.out" && no "a stopped host's year reported the horizon" || ok

# a year whose only host hangs at once (CPUs spinning in a rendezvous that
# never completes, Xen's barriers having no timeout): a hung host cannot
# rebase, and its outcome is final too, so the run ends at SystemC's
# horizon as a whole one whose outcome is the hang
sed "s/^duration: .*/duration: 8766h/" "$SRC/scenarios/rendezvous/stuck-cpu-no-timeout.yaml" > "$w/hang.yaml"
printf '\nskip_quiet: true\n' >> "$w/hang.yaml"
"$M" run "$w/hang.yaml" -q --results "$w/hang" > "$w/hang.out" 2>&1 && ok || no "a year that hangs failed: $(cat "$w/hang.out")"
grep -q horizon "$w/hang.out" && no "a hung host's year reported the horizon" || ok
grep -q '"outcome":"hang"' "$w/hang/results.json" && ok || no "the hung year's outcome is not hang"

finish

#!/usr/bin/env python3
"""Classify what changes between consecutive quiet-point dumps of
bench/fold_dump.py (docs/PERFORMANCE.md, "Folding repeated rounds"):
field groups (array indices collapsed) as (a) a time moving by the
round's period, (b) a counter or id moving by a constant, (c) an
address-dependent field, (d) anything else; and the runs of rounds whose
changes are the same modulo (a)-(c).

usage: MODLOG=1 fold_classify.py WARMUP DUMP.jsonl...
WARMUP: dumps to leave out at the start (arrays still being allocated).
MODLOG=1: the bounded logs' ring position (which of a round's lines sit
in the kept tail) does not break a run.
SCHED=1: times (by name) count as (a) whatever their step (a time stamped
rounds ago moves by that round's gap: at a row edge one dump late), and
(c) fields are ignored even where they change in one round only (a row).
"""
import collections
import json
import os
import re
import sys

def load(f):
    """The dumps as full dicts (the file holds the first whole, then changes)."""
    full = None; seq = []
    for line in open(f):
        d = json.loads(line)
        if 'full' in d:
            full = dict(d['full']); seq.append(dict(full)); continue
        cur = dict(seq[-1]); cur.update(d['ch'])
        for k in d['gone']: cur.pop(k, None)
        seq.append(cur)
    return [relidx(x) for x in seq]
GROW = re.compile(r'^(host\.rr_->\.(errors|records|dom0_log|console|guest_log)|host\.hv_\.pages\.v)\[(\d+)\](.*)$')
def relidx(v):
    """Index growing arrays from their end: errors[n-1] -> errors[-1]."""
    out = {}
    for k, x in v.items():
        m = GROW.match(k)
        if m:
            base = m.group(1)
            cnt = v.get(base + '.count')
            if isinstance(cnt, int):
                k = '%s[%d]%s' % (base, int(m.group(3)) - cnt, m.group(4))
        out[k] = x
    return out
# (c): fields named after an address, and sets keyed by one (lines, frames)
ADDR = re.compile(r'(poison\.lines\.(keys|vals)#|pages\.index#|poisoned_\[|addr|\.line\b|line$|column|\.row|\.col|cursor|mfn|gfn|misc|loc\.|flip|ce_run_from|ce_run_to|fold_memo\.from|heap\[\*\]\.line)', re.I)
# not state: the dump's own fields, the PCIe model's alias of the hv (dumped
# twice), the ECC memo's hit counter (a cache statistic)
NOISE = re.compile(r'(^_|pcie_\.hv->|@alias|_wall_between|memo\.hits|_dump_s)')
# arrays that grow at one end: an element appearing or leaving is in the count
GROWN = re.compile(r'^host\.rr_->\.(errors|records|dom0_log|console)\[|^host\.hv_\.pages\.v\[')
# times by name (SCHED=1): stamps of earlier rounds move by their own gaps
TIMEN = re.compile(r'(_ps(\[\*\])?$|times\.t\[\*\]$|round\[\*\]\.entry$)')
IDX = re.compile(r'\[-?\d+\]')
VERB = False
MODLOG = False
SCHED = False
# maps keyed by record id / error index (digests): ids advance, so (b)
IDMAP = re.compile(r'ledger_\.(error_of|record_of)\.(keys|vals)#|ledger_\.read#|ledger_\.occupant#')
# the bounded logs' kept tail (its ring position rotates round to round)
LOGRING = re.compile(r'rr_->\.(dom0_log|console)\[\*\]\.text')
def grp(k):
    """The field's group: every index collapsed."""
    return IDX.sub('[*]', k)
def num(v):
    return isinstance(v, int) and not isinstance(v, bool)
def analyze(f, warm=30, show=True):
    seq = load(f)[warm:]
    n = len(seq)
    P = [None] + [seq[i]['ev.time_ps'] - seq[i-1]['ev.time_ps'] for i in range(1, n)]
    pc = collections.Counter(P[1:]).most_common(1)[0][0]
    steady = lambda p: abs(p - pc) <= 2
    G = collections.defaultdict(lambda: {'pairs': set(), 'fields': set(), 'deltas': collections.Counter(), 'cat': set(), 'ex': []})
    trans = [None]
    for i in range(1, n):
        a, b = seq[i-1], seq[i]
        sig = set()
        for k in set(a) | set(b):
            if NOISE.search(k): continue
            va, vb = a.get(k), b.get(k)
            if va == vb: continue
            if (va is None or vb is None) and GROWN.match(k): continue  # an array's new/old end: its count says it
            g = grp(k)
            if IDMAP.search(g):
                sig.add((g, 'I'))
                if steady(P[i]):
                    G[g]['pairs'].add(i); G[g]['fields'].add(k); G[g]['deltas']['I'] += 1
                continue
            if LOGRING.search(g) and MODLOG:
                continue
            if SCHED and ADDR.search(g):
                continue  # modulo (c): ignored, whether it changes or not
            if SCHED and TIMEN.search(g) and num(va) and num(vb):
                sig.add((g, 'T')); continue  # a time, moved by its own round's schedule
            if num(va) and num(vb):
                d = (vb - va) % (1 << 64)
                if d >= 1 << 63: d -= 1 << 64
                if abs(d - P[i]) <= 2 and P[i] > 1000: tok = 'T'
                elif ADDR.search(g): tok = 'A'
                else: tok = d
            else:
                tok = 'A' if ADDR.search(g) else ('X', str(vb)[:40] if not str(vb).startswith('#') and len(str(vb)) < 60 else 'digest')
            sig.add((g, tok if tok in ('T', 'A') else ('d', tok)))
            if steady(P[i]):
                s = G[g]; s['pairs'].add(i); s['fields'].add(k)
                s['deltas'][tok if not isinstance(tok, tuple) else 'X'] += 1
                if len(s['ex']) < 3 and tok not in ('T',): s['ex'].append((i, k, va if not isinstance(va, str) else va[:50], vb if not isinstance(vb, str) else vb[:50]))
        trans.append((frozenset(sig), steady(P[i])))
    cat = {}
    for g, s in G.items():
        ds = s['deltas']
        if set(ds) == {'I'}: c = 'b'
        elif set(ds) == {'T'}: c = 'a'
        elif set(ds) <= {'T', 'A'}: c = 'c'
        elif len([x for x in ds if x not in ('T', 'A')]) == 1 and 'X' not in ds: c = 'b'
        else: c = 'd'
        cat[g] = c
    runs = []; cur = 1; brk = collections.Counter(); brkex = []
    for i in range(2, n):
        if trans[i][0] == trans[i-1][0]: cur += 1
        else:
            runs.append(cur); cur = 1
            diff = trans[i][0] ^ trans[i-1][0]
            for g in sorted(set(x[0] for x in diff)): brk[g] += 1
            if len(brkex) < 4: brkex.append((i, sorted(diff, key=str)[:8]))
    runs.append(cur)
    # super-rounds: transition i equal to transition i-m (m rounds a period)
    sup = {}
    for m in (1, 2, 4, 8, 16, 32, 64, 128):
        eq = [trans[i][0] == trans[i - m][0] for i in range(1 + m, n)]
        rl = []; c = 0
        for e in eq:
            if e: c += 1
            else: rl.append(c); c = 0
        rl.append(c)
        sup[m] = (sum(eq) / max(1, len(eq)), max(rl))
    if show:
        print(f"== {f} (dumps {warm}..{warm+n-1}): periods {collections.Counter(P[1:]).most_common(4)}")
        print(f"   runs: {len(runs)}, max {max(runs)}, mean {sum(runs)/len(runs):.1f}; first 40: {runs[:40]}")
        print('   share of transitions equal to the one m rounds before (m: share, longest run):', {m: (round(a, 3), b) for m, (a, b) in sup.items()})
        print(f"   groups that break runs: {brk.most_common(14)}")
        for c in 'abcd':
            gs = sorted(g for g in cat if cat[g] == c)
            print(f"   ({c}) {len(gs)} groups")
            for g in gs:
                s = G[g]
                if c in 'ac' and not VERB: continue
                print(f"      {g} [{len(s['fields'])} f]: changed in {len(s['pairs'])}/{sum(1 for p in P[1:] if steady(p))} steady pairs; {dict(s['deltas'].most_common(4))}" + (f" e.g. {s['ex'][:2]}" if c in 'bd' else ''))
    return seq, G, cat, runs, trans
if __name__ == '__main__':
    w = int(sys.argv[1])
    MODLOG = os.environ.get('MODLOG') == '1'
    SCHED = os.environ.get('SCHED') == '1'
    for f in sys.argv[2:]: analyze(f, w)

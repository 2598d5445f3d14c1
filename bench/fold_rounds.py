#!/usr/bin/env python3
"""Split a JSON-lines trace into rounds at each scrubber finding and count
the runs of consecutive rounds whose events are the same (docs/
PERFORMANCE.md, "Folding repeated rounds"): 'exact' keeps each event's
time relative to its round's start, 'events' only the stages; addresses,
rows, columns, frames and record ids are left out. The round periods and
events per round are printed too.

usage: fold_rounds.py TRACE.jsonl"""
import re, sys, collections
R = re.compile(r'"t_ps":(\d+),"host":(\d+)(?:,"cpu":(\d+))?,"stage":"([a-z_]+)"(.*)}$')
def norm(rest):
    rest = re.sub(r'"record":\d+', '"record":N', rest)
    rest = re.sub(r'row\d+ col\d+', 'ROWCOL', rest)
    rest = re.sub(r'(ch|rank|bank)\d+', r'\1#', rest)
    rest = re.sub(r"mfn 0x[0-9a-f]+", "mfn M", rest)
    rest = re.sub(r"\"(addr|misc)\":\"0x[0-9a-f]+\"", r"\"\1\":A", rest)
    return rest
def main(f, maxrounds=None):
    rounds = []; cur = None
    for line in open(f):
        m = R.search(line.strip())
        if not m: continue
        t, host, cpu, st, rest = int(m[1]), m[2], m[3], m[4], m[5]
        if st in ('poll', 'poll_skip'):
            if cur is not None: cur['ev'].append((None, 'POLL', cpu, ''))
            continue
        if st == 'scrub_found' and (cur is None or any(e[1] != 'scrub_found' and e[1] != 'silent_corruption' for e in cur['ev']) ):
            cur = {'t': t, 'ev': [], 'line': rest}
            rounds.append(cur)
        if cur is None: continue
        cur['ev'].append((t - cur['t'], st, cpu, norm(rest)))
    # signatures
    sig = [tuple(r['ev']) for r in rounds]
    sig_nt = [tuple((e[1], e[2], e[3]) for e in r['ev']) for r in rounds]
    # run lengths of identical rounds (relative times and events, modulo addresses)
    def runs(s):
        out = []; n = 1
        for i in range(1, len(s)):
            if s[i] == s[i-1]: n += 1
            else: out.append((n, i)); n = 1
        out.append((n, len(s)))
        return out
    rr = runs(sig); rn = runs(sig_nt)
    periods = collections.Counter(rounds[i+1]['t'] - rounds[i]['t'] for i in range(len(rounds)-1))
    print(f"{f}: {len(rounds)} rounds; distinct signatures exact-reltimes {len(set(sig))}, events-only {len(set(sig_nt))}")
    for name, r in (('exact', rr), ('events', rn)):
        ls = sorted(n for n, _ in r)
        print(f"  runs[{name}]: {len(r)} runs, max {ls[-1]}, median {ls[len(ls)//2]}, mean {sum(ls)/len(ls):.1f}, top {ls[-8:]}")
    print("  round periods (top):", periods.most_common(6))
    print("  events per round (top):", collections.Counter(len(r['ev']) for r in rounds).most_common(4))
    return rounds, rr, rn
if __name__ == '__main__':
    main(sys.argv[1])

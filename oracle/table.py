#!/usr/bin/env python3
"""oracle/table.py: the results table of oracle/README.md ("Recorded cases
and what each target did"), generated from the committed transcripts.

One line per case file tests/oracle/<target>/<case>.yaml: its outcome (the
transcript's outcome line) and a few facts read from the other sections.
A case without a transcript is listed as "(not recorded)".

    python3 oracle/table.py            # print the table
    python3 oracle/table.py --update   # rewrite it in oracle/README.md
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["xen-4.20", "xen-4.17", "linux"]
BEGIN = "<!-- table.py: begin -->"
END = "<!-- table.py: end -->"


def sections(text):
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("== "):
            cur = line[3:].split(" (")[0]
            out[cur] = []
        elif cur is not None and line.strip():
            out[cur].append(line)
    return out


def none(lines):
    return not lines or lines[0].startswith("(")


def xen_facts(s):
    facts = []
    con = s.get("xen console", [])
    replies = [l for l in s.get("injections", []) if l.startswith("QEMU: ")]
    if replies:
        facts.append("QEMU: triple fault")
    owner = [l for l in con if "ownded by DOM" in l]
    if owner:
        facts.append("page owned by DOM " + owner[0].split()[-1])
    vmce = [l.split()[-1] for l in con if l.startswith("MCE: inject vMCE to")]
    if vmce:
        facts.append("vMCE to " + ", ".join(vmce))
    dumps = []
    cpu = None
    for l in con:
        m = re.match(r"^CPU(\d+): Machine Check Exception:\s+(\S+)", l)
        if m:
            cpu = m.group(1)
            continue
        m = re.match(r"^Bank (\d+): ([0-9a-f]+)", l)
        if m and cpu is not None:
            dumps.append("CPU%s bank %s" % (cpu, m.group(1)))
    if dumps:
        facts.append("bank dump " + ", ".join(dumps))
    heap = s.get("xen free heap pages", [])
    lost = sum(int(m.group(1)) for l in heap for m in [re.search(r": (-\d+)$", l)] if m)
    if lost:
        facts.append("free pages %d" % lost)
    if none(con):
        facts.append("Xen printed nothing")
    elif all(re.match(r"^CPU(\d+|<worker>) (enter softirq|handling errors)$|^MCE: send MCE# to DOM0", l)
             for l in con):
        facts.append("Xen: softirq and virq lines only")
    recs = [] if none(s.get("dom0 /dev/mcelog records")) else s["dom0 /dev/mcelog records"]
    if recs:
        polled = sum(1 for r in recs if " MCGSTATUS 0x0 " in r)
        facts.append("%d telemetry record%s%s" % (len(recs), "" if len(recs) == 1 else "s",
                                                  " (%d polled)" % polled if polled else ""))
    elif not replies:
        facts.append("no telemetry record")
    kl = s.get("dom0 kernel lines", [])
    mf = [l for l in kl if l.startswith("Memory failure:")]
    facts += ["dom0: " + re.sub(r"^Memory failure: 0x[0-9a-f]+: ", "", l) for l in mf]
    return facts


def linux_facts(s):
    facts = []
    replies = [l for l in s.get("injections", []) if l.startswith("QEMU: ")]
    if replies:
        facts.append("QEMU: triple fault")
    kl = s.get("linux kernel lines", [])
    for l in kl:
        m = re.search(r"Machine check: (.*)$", l)
        if m:
            facts.append("rule: " + m.group(1))
    recs = [] if none(s.get("linux kernel records")) else s["linux kernel records"]
    if recs:
        facts.append("%d record%s" % (len(recs), "" if len(recs) == 1 else "s"))
    elif not replies:
        facts.append("no record")
    if any(re.search(r"Hardware Error\]: RIP (!INEXACT! )?33:", l) for l in kl):
        facts.append("#MC in user mode")
    for l in kl:
        if l.startswith("Memory failure:"):
            facts.append(re.sub(r"^Memory failure: 0x[0-9a-f]+: ", "", l))
        elif re.search(r"SIGBUS|[Kk]illing|killed", l):
            facts.append(l)
    return facts


def table():
    rows = ["| target | case | outcome | what else |", "|---|---|---|---|"]
    for t in TARGETS:
        d = os.path.join(ROOT, "tests", "oracle", t)
        for y in sorted(os.listdir(d)):
            if not y.endswith(".yaml"):
                continue
            name = y[:-5]
            p = os.path.join(d, name + ".transcript")
            if not os.path.exists(p):
                rows.append("| %s | %s | (not recorded) |  |" % (t, name))
                continue
            s = sections(open(p).read())
            outcome = s.get("outcome", ["?"])[0]
            facts = xen_facts(s) if t.startswith("xen-") else linux_facts(s)
            rows.append("| %s | %s | %s | %s |" % (t, name, outcome, "; ".join(facts)))
    return "\n".join(rows) + "\n"


def main():
    t = table()
    if "--update" not in sys.argv[1:]:
        sys.stdout.write(t)
        return
    p = os.path.join(ROOT, "oracle", "README.md")
    text = open(p).read()
    a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
    open(p, "w").write(text[:a] + "\n" + t + text[b:])


if __name__ == "__main__":
    main()

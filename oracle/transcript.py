"""The normalized transcript of one oracle run (oracle/README.md,
"Transcript"). Input: the serial console's lines (Xen's, dom0's or Linux's
kernel's, and the ORACLE-* lines of the initramfs), the monitor's replies,
whether QEMU exited, whether the heartbeat was still running. Output: plain
text that is the same for two runs of one case.

What is removed or rewritten, and why (each is run-dependent):
  * Xen's and Linux's timestamps; QEMU's serial timing.
  * Xen's hypervisor virtual addresses (ffff8...): build- and boot-dependent.
  * Linux kernel text addresses (KASLR), symbol offsets, the interrupted
    RIP of a record (user or kernel), TSC, TIME, PIDs.
  * The heartbeat, Xen's serial-input switch banners.
  * The 'H' heap dumps: only the zones that lost free pages are kept
    (background scrubbing adds pages at run-dependent times).
  * Kernel lines that are not about machine checks or panics (boot chatter,
    TCG clocksource warnings): only an allow-list of patterns is kept.
CPU numbers, bank numbers, MSR values, addresses of the error, domain and
vCPU ids are never touched.
"""
import re


class RunFacts:
    def __init__(self, target, case_path, versions, commands, lines, marks,
                 qemu_exited, alive, qemu_stderr):
        self.target = target
        self.case_path = case_path
        self.versions = versions
        self.commands = commands
        self.lines = lines
        self.marks = marks
        self.qemu_exited = qemu_exited
        self.alive = alive
        self.qemu_stderr = qemu_stderr


XEN = re.compile(r"^\(XEN\) (?:\[[^\]]*\] )?(.*)$")
KTIME = re.compile(r"^\[\s*\d+\.\d+\] ")
VMCE_MSR = re.compile(r"^MCE: (d\d+v\d+): (rd|wr) (\S+) (\S+)$")
HEAP_ZONE = re.compile(r"^heap\[node=(\d+)\]\[zone=(\d+)\] -> (\d+) pages$")
# Dropped Xen lines: the driver's own doing (input switch, 'H' dumps) and
# the ns16550 driver's note that it fell back to polling, which TCG's
# timing causes at random.
XEN_DROP = re.compile(r"^\*\*\* Serial input to |^'H' pressed|^heap\[node=|"
                      r"^uart interrupt taking more than")
XEN_VA = re.compile(r"\bffff8[0-9a-f]{11}\b")
# Kernel lines kept: machine checks, memory failure, panics, kills.
KERNEL_KEEP = re.compile(
    r"mce|[Mm]achine [Cc]heck|Hardware Error|[Mm]emory failure|HWPoison|[Pp]oison|"
    r"[Pp]anic|SIGBUS|[Kk]ill|MCE|Uhhuh|NMI|[Tt]imeout|CPUs? didn't|synchroniz|"
    r"Fatal|soft offline|unhandlable|recover")
# clocksource/tsc: TCG's skewed TSC makes the kernel's clocksource watchdog
# check ("Checking clocksource tsc synchronization ...") and mark the TSC
# unstable at random times; nothing of it is about the error.
KERNEL_DROP = re.compile(r"^Kernel Offset:|^ORACLE-|Disabling lock debugging|^clocksource:|^tsc: |"
                         r"^\s*(?:Call Trace|<TASK>|</TASK>|RIP: |Code: |RSP: |RAX: |RDX: |RBP: |R1[0-5]: |R[89]: |"
                         r"FS: |CS: |CR2: |DR[0-7]: |PKRU: |Hardware name|CPU: \d+ PID)")
K_ADDR = re.compile(r"<?\b(?:0x)?ffffffff[0-9a-f]{8}\b>?")
# The interrupted instruction: where the busy loop, the idle task or
# whatever the kernel was doing happened to be, and its symbol
# ("{native_safe_halt}", "{asm_exc_page_fault}"). The code segment stays:
# 10 is the kernel, 33 user mode.
K_RIP = re.compile(r"(RIP(?: !INEXACT!)? [0-9a-f]+:)<[^>]*>(?: \{[^}]*\})?")
K_SYMOFF = re.compile(r"\+0x[0-9a-f]+/0x[0-9a-f]+")
K_PID = re.compile(r"(\S+):(\d+)(?= due to| \(|$)")
K_TSC = re.compile(r"\bTSC [0-9a-f]+")
K_TIME = re.compile(r"\bTIME \d+")
K_REC_HEAD = re.compile(r"CPU (\d+): Machine Check(?: Exception)?: ([0-9a-f]+) Bank (\d+): ([0-9a-f]+)")
K_REC_TAIL = re.compile(r"Hardware Error\]: TSC [0-9a-f]+ ?(.*)$")


K_REC_RIP = re.compile(r"Hardware Error\]: RIP (?:!INEXACT! )?([0-9a-f]+):")


def linux_contexts(lines, start):
    """{cpu: "user" | "kernel"}: where the #MC found each CPU whose record
    the kernel printed after the injection, from the code segment of the
    record's RIP line (0x33 user, 0x10 kernel)."""
    out, cpu = {}, None
    for i, l in enumerate(lines):
        if i < start:
            continue
        m = K_REC_HEAD.search(l)
        if m:
            cpu = int(m.group(1))
            continue
        r = K_REC_RIP.search(l)
        if r and cpu is not None:
            out.setdefault(cpu, "user" if int(r.group(1), 16) & 3 == 3 else "kernel")
            cpu = None
    return out


def split(lines):
    """(xen lines, kernel lines, oracle lines), each a list of (index, text)."""
    xen, kern, orc = [], [], []
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        m = XEN.match(line)
        if m:
            xen.append((i, m.group(1)))
        elif line.startswith("ORACLE-"):
            orc.append((i, line))
        elif line.strip():
            kern.append((i, KTIME.sub("", line)))
    return xen, kern, orc


SOFTIRQ_ENTER = re.compile(r"^CPU\d+ enter softirq$")
SOFTIRQ_WORKER = re.compile(r"^CPU\d+ handling errors$")
# The CPU that panics is the last to find an error in the #MC rendezvous
# (Xen's "severity CPU"): a race too.
PANIC_CPU = re.compile(r"^Panic on CPU \d+:$")


def canon_xen(body):
    """Xen's MCE softirq: every CPU prints 'CPUn enter softirq' as it
    arrives, and the CPU that does the work is chosen by arrival order
    (xen-mca-behaviour.md s.2): both are races between the CPUs. A run of
    'enter softirq' lines is sorted; the worker's number is replaced."""
    out, run = [], []
    for l in body + [None]:
        if l is not None and SOFTIRQ_ENTER.match(l):
            run.append(l)
            continue
        out += sorted(run)
        run = []
        if l is not None:
            if SOFTIRQ_WORKER.match(l):
                l = "CPU<worker> handling errors"
            elif PANIC_CPU.match(l):
                l = "Panic on CPU <n>:"
            out.append(l)
    return out


def heap_dumps(xen):
    dumps, cur = [], None
    for _, l in xen:
        if l.startswith("'H' pressed"):
            cur = {}
            dumps.append(cur)
            continue
        m = HEAP_ZONE.match(l)
        if m and cur is not None:
            cur[(int(m.group(1)), int(m.group(2)))] = int(m.group(3))
    return dumps


def xen_outcome(xen, start):
    for k, (i, l) in enumerate(xen):
        if i < start:
            continue
        m = re.match(r"^Panic on CPU (\d+):", l)
        if m:
            msg = []
            for _, nxt in xen[k + 1:]:
                if nxt.startswith("****"):
                    break
                msg.append(nxt.strip())
            return "panic: " + " ".join(msg)
    return None


def kernel_outcome(kern, start, who):
    for i, l in kern:
        if i >= start and "Kernel panic - not syncing" in l:
            msg = l.split("Kernel panic - not syncing:", 1)[-1].strip()
            return "panic: %s%s" % (who, msg)
    return None


def norm_kernel(l):
    l = K_RIP.sub(r"\1<ip>", l)
    l = K_ADDR.sub("<addr>", l)
    l = K_SYMOFF.sub("", l)
    l = K_TSC.sub("TSC <tsc>", l)
    l = K_TIME.sub("TIME <time>", l)
    l = K_PID.sub(lambda m: m.group(1) + ":<pid>", l)
    return l.rstrip()


def kernel_records(kern):
    """The records the kernel printed (mce=print_all), as fields."""
    out, head = [], None
    for _, l in kern:
        m = K_REC_HEAD.search(l)
        if m:
            head = m
            continue
        t = K_REC_TAIL.search(l)
        if t and head:
            f = dict(re.findall(r"(ADDR|MISC|SYND|IPID|PPIN) ([0-9a-f]+)", t.group(1)))
            out.append("CPU %s BANK %s STATUS 0x%s ADDR 0x%s MISC 0x%s MCGSTATUS 0x%s" % (
                head.group(1), head.group(3), head.group(4), f.get("ADDR", "0"),
                f.get("MISC", "0"), head.group(2)))
            head = None
    return out


def monitor_section(entries):
    """Commands sent, then what QEMU answered. Commands of one batch go in
    one write, so a reply cannot be pinned to one of them; QEMU also
    prints its triple-fault notes without a newline between CPUs."""
    cmds, replies = [], []
    for e in entries:
        parts = e.split(" -> ")
        cmds.append(parts[0])
        for r in parts[1:]:
            replies += [x.strip() for x in re.split(r"(?=CPU \d+: )", r) if x.strip()]
    return (cmds or ["(none sent)"]) + ["QEMU: " + r for r in replies]


def render(f):
    xen_t = f.target.startswith("xen-")
    start = f.marks.get("inject", len(f.lines))
    xen, kern, orc = split(f.lines)
    who = "dom0: " if xen_t else ""

    outcome = xen_outcome(xen, start) if xen_t else None
    outcome = outcome or kernel_outcome(kern, start, who)
    if not outcome:
        if f.qemu_exited:
            outcome = "reset"
        elif f.alive:
            outcome = "running"
        else:
            outcome = "hang"

    out = ["# mcasim oracle transcript (oracle/README.md)",
           "target: " + f.target]
    out += f.versions
    out += ["case: " + f.case_path, "", "== injections (QEMU monitor)"]
    out += monitor_section(f.commands)
    out += ["", "== outcome", outcome]

    if xen_t:
        out += ["", "== xen console"]
        body, msrs = [], {}
        for i, l in xen:
            if i < start or XEN_DROP.search(l):
                continue
            m = VMCE_MSR.match(l)
            if m:
                msrs.setdefault(m.group(1), []).append("%s %s %s" % m.group(2, 3, 4))
                continue
            body.append(XEN_VA.sub("<xen-va>", l.rstrip()))
        out += canon_xen(body) or ["(nothing)"]
        out += ["", "== vmce msr trace (per vCPU, in order)"]
        for v in sorted(msrs, key=lambda s: [int(x) for x in re.findall(r"\d+", s)]):
            out += ["%s: %s" % (v, a) for a in msrs[v]]
        if not msrs:
            out.append("(none)")
        # Only decreases: Xen scrubs free RAM in the background after boot
        # and adds it to the free lists at run-dependent times.
        out += ["", "== xen free heap pages ('H': zones with fewer free pages after than before)"]
        dumps = heap_dumps(xen)
        if len(dumps) >= 2:
            before, after = dumps[0], dumps[-1]
            ch = ["node %d zone %d: %+d" % (k[0], k[1], after.get(k, 0) - before.get(k, 0))
                  for k in sorted(set(before) | set(after)) if after.get(k, 0) < before.get(k, 0)]
            out += ch or ["none fewer"]
        else:
            out.append("(no second dump: Xen did not answer the debug key)")
        out += ["", "== dom0 /dev/mcelog records (Xen telemetry as dom0 read it)"]
        recs = [l[len("ORACLE-REC "):] for i, l in orc if i >= start and l.startswith("ORACLE-REC ")]
        out += recs or ["(none)"]

    post = [(i, l) for i, l in kern if i >= start]
    out += ["", "== %s kernel records (printed by its #MC handler or poller)" % ("dom0" if xen_t else "linux")]
    out += kernel_records(post) or ["(none)"]
    out += ["", "== %s kernel lines (machine check, memory failure, panic)" % ("dom0" if xen_t else "linux")]
    kept = [norm_kernel(l) for _, l in post if KERNEL_KEEP.search(l) and not KERNEL_DROP.search(l)]
    out += kept or ["(none)"]
    return "\n".join(out) + "\n"

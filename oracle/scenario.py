"""From an mcasim scenario (docs/SCENARIOS.md) to QEMU `mce` monitor
commands: the oracle's case format (oracle/README.md, "Case files").

QEMU's `mce [-b] CPU BANK STATUS MCGSTATUS ADDR MISC` writes one bank of
one CPU; with -b it also writes bank 1 of every other CPU with VAL|UC
(0xA000000000000000), MCG_STATUS MCIP|RIPV (0x5), ADDR 0, MISC 0, and
raises #MC on all of them. A UC status always raises #MC; a corrected one
never does (only polling finds it). The scenario says the same thing with
inject events at one `at`:

  * a single event: `mce CPU BANK STATUS MCG ADDR MISC` (no broadcast: a
    UC event says `broadcast: false`);
  * the target's event (`signal: mce`) plus, on every other CPU, a
    bystander event `{bank: 1, status: 0xA000000000000000, mcg_status: 0x5,
    signal: none}`: `mce -b ...` (the bystanders come first in file order
    so that mcasim latches them before the #MC is raised).

Every event says `raw: true` (QEMU writes the image as given). Everything
else is refused with a message that says why.
"""
import re

import yaml

VAL = 1 << 63
UC = 1 << 61
BYSTANDER_STATUS = VAL | UC
BYSTANDER_MCG = 0x5
USER_CONTEXTS = ("dom0-user", "guest-user")
QEMU_CPUS = 2
QEMU_BANKS = 10
TIME_UNITS = {"ps": 1e-12, "ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}


class CaseError(Exception):
    pass


def parse_time(v, where):
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(ps|ns|us|ms|s|min|h)\s*", str(v))
    if not m:
        raise CaseError("%s: '%s' is not a time with a unit" % (where, v))
    return float(m.group(1)) * TIME_UNITS[m.group(2)]


def parse_int(v, where, default=None):
    if v is None:
        if default is None:
            raise CaseError("%s: missing" % where)
        return default
    if isinstance(v, int):
        return v
    s = str(v).strip()
    try:
        return int(s, 16) if s.lower().startswith("0x") else int(s, 10)
    except ValueError:
        raise CaseError("%s: '%s' is not an integer" % (where, v))


class Group:
    def __init__(self, at_s, command, events):
        self.at_s = at_s
        self.command = command
        self.events = events


class Case:
    def __init__(self, name, duration_s, groups, busy, poll):
        self.name = name
        self.duration_s = duration_s
        self.groups = groups
        self.busy = busy
        self.poll = poll


def _inject(ev, i):
    inj = ev["inject"]
    where = "events[%d].inject" % i
    for k in ("host", "local", "ripv", "eipv"):
        if k in inj and not (k == "host" and inj[k] in (0, "0", "host0")):
            raise CaseError("%s: '%s' cannot be expressed with QEMU's mce command" % (where, k))
    if not isinstance(inj.get("broadcast", True), bool):
        raise CaseError("%s: broadcast: '%s' is not true or false" % (where, inj["broadcast"]))
    if inj.get("raw") is not True:
        raise CaseError("%s: QEMU writes the registers as given (do_inject_x86_mce): add 'raw: true', "
                        "or mcasim logs the error as hardware would and the two runs differ" % where)
    d = {
        "cpu": parse_int(inj.get("cpu"), where + ".cpu"),
        "bank": parse_int(inj.get("bank"), where + ".bank"),
        "status": parse_int(inj.get("status"), where + ".status"),
        "addr": parse_int(inj.get("addr"), where + ".addr", 0),
        "misc": parse_int(inj.get("misc"), where + ".misc", 0),
        "signal": inj.get("signal", "auto"),
        "context": inj.get("context"),
        "broadcast": inj.get("broadcast", True),
        "where": where,
    }
    uc = bool(d["status"] & UC)
    if "mcg_status" in inj:
        d["mcg_status"] = parse_int(inj["mcg_status"], where + ".mcg_status")
    elif uc:
        raise CaseError("%s: a UC error needs mcg_status: QEMU writes MCG_STATUS from the command" % where)
    else:
        d["mcg_status"] = 0
    if not d["status"] & VAL:
        raise CaseError("%s: status without VAL: QEMU refuses it" % where)
    if d["cpu"] >= QEMU_CPUS or d["bank"] >= QEMU_BANKS:
        raise CaseError("%s: cpu %d bank %d: the QEMU machine has %d CPUs and %d banks"
                        % (where, d["cpu"], d["bank"], QEMU_CPUS, QEMU_BANKS))
    return d


def _is_bystander(d):
    return (d["bank"] == 1 and d["status"] == BYSTANDER_STATUS and d["mcg_status"] == BYSTANDER_MCG
            and d["addr"] == 0 and d["misc"] == 0 and d["signal"] == "none")


def _command(events, at):
    where = "events at %gs" % at
    signalled = [d for d in events if not _is_bystander(d)]
    bystanders = [d for d in events if _is_bystander(d)]
    if len(signalled) != 1:
        raise CaseError("%s: %d injections that are not QEMU broadcast bystanders; one mce command "
                        "writes one bank (plus bank 1 of the others with -b)" % (where, len(signalled)))
    t = signalled[0]
    uc = bool(t["status"] & UC)
    if uc and t["signal"] != "mce":
        raise CaseError("%s: QEMU raises #MC for every UC error: give the target 'signal: mce'" % t["where"])
    if not uc and t["signal"] not in ("auto", "none"):
        raise CaseError("%s: QEMU never signals a corrected error: use signal auto (polling)" % t["where"])
    broadcast = False
    if bystanders:
        cpus = sorted(d["cpu"] for d in bystanders)
        others = [c for c in range(QEMU_CPUS) if c != t["cpu"]]
        if cpus != others:
            raise CaseError("%s: a broadcast writes bank 1 of every other CPU exactly once: "
                            "bystanders on CPUs %s, expected %s" % (where, cpus, others))
        if not uc:
            raise CaseError("%s: a broadcast of a corrected error makes no sense here" % where)
        order = [id(d) for d in events]
        if order.index(id(t)) < max(order.index(id(d)) for d in bystanders):
            raise CaseError("%s: list the bystander events before the target's" % where)
        broadcast = True
    # mcasim raises a UC's #MC on every CPU unless broadcast: false; QEMU
    # only with -b (the bystanders say which), so the two must agree.
    if uc and t["broadcast"] is not broadcast:
        raise CaseError("%s: %s" % (t["where"], "with the bystanders of -b every CPU takes the #MC: drop "
                                    "'broadcast: false'" if broadcast else "without -b QEMU raises #MC on "
                                    "CPU %d alone: add 'broadcast: false'" % t["cpu"]))
    return "mce %s%d %d 0x%x 0x%x 0x%x 0x%x" % (
        "-b " if broadcast else "", t["cpu"], t["bank"], t["status"], t["mcg_status"], t["addr"], t["misc"])


BATCH_WINDOW = 1e-3


def batches(groups):
    """Groups less than BATCH_WINDOW (1 ms) apart in scenario time are
    sent in one write to the monitor: a wall-clock sleep cannot be shorter
    than what a TCG guest needs to run its whole #MC handler."""
    out = []
    for g in groups:
        if out and g.at_s - out[-1][-1].at_s < BATCH_WINDOW:
            out[-1].append(g)
        else:
            out.append([g])
    return out


def load(path):
    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise CaseError("%s: %s" % (path, e))
    if not isinstance(doc, dict) or "name" not in doc:
        raise CaseError("%s: not an mcasim scenario (no name)" % path)
    hosts = (doc.get("platform") or {}).get("hosts") or []
    if len(hosts) != 1:
        raise CaseError("%s: the QEMU machine is one host" % path)
    h = hosts[0]
    if int(h.get("cpus", 4)) != QEMU_CPUS or int(h.get("banks", 10)) != QEMU_BANKS:
        raise CaseError("%s: the platform must match QEMU's machine: cpus %d, banks %d"
                        % (path, QEMU_CPUS, QEMU_BANKS))
    if doc.get("sweep"):
        raise CaseError("%s: a sweep cannot be replayed (one boot per case)" % path)
    events = doc.get("events") or []
    timed = []
    for i, ev in enumerate(events):
        if not isinstance(ev, dict) or "inject" not in ev:
            kind = [k for k in (ev or {}) if k not in ("at", "repeat", "every")]
            raise CaseError("%s: events[%d] (%s): QEMU's monitor can only inject errors into banks"
                            % (path, i, ",".join(kind) or "?"))
        if int(ev.get("repeat", 1)) != 1:
            raise CaseError("%s: events[%d]: repeat is not supported; list the events" % (path, i))
        timed.append((parse_time(ev["at"], "events[%d].at" % i), i, _inject(ev, i)))
    if not timed:
        raise CaseError("%s: no inject event" % path)
    timed.sort(key=lambda x: (x[0], x[1]))
    groups = []
    for at, _, d in timed:
        if groups and groups[-1][0] == at:
            groups[-1][1].append(d)
        else:
            groups.append((at, [d]))
    out = [Group(at, _command(evs, at), evs) for at, evs in groups]
    busy = any(d["context"] in USER_CONTEXTS for _, _, d in timed)
    ce = any(not d["status"] & UC for _, _, d in timed)
    duration = parse_time(doc.get("duration", "1s"), "duration")
    return Case(doc["name"], duration, out, busy, 5 if ce else None)

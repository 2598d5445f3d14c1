#!/usr/bin/env python3
"""The oracle's scenario -> QEMU monitor mapping (oracle/scenario.py,
oracle/README.md "Case files"): every recorded case maps, the table's two
forms give the commands QEMU's `mce` takes, and cases that would have
mcasim run another machine check than QEMU are refused.
    tests/oracle_scenario.py SOURCE_DIR"""
import glob
import os
import sys
import tempfile

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
sys.path.insert(0, os.path.join(src, "oracle"))
import scenario  # noqa: E402

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL: %s" % what)


HEAD = "name: t\nduration: 2s\nplatform:\n  hosts:\n    - {cpus: 2, banks: 10}\nevents:\n"
UC = "{cpu: 0, bank: 9, status: 0xBD80000000100134, mcg_status: 0x5, addr: 0x1000, misc: 0x86, signal: mce%s}"
BYST = "{cpu: 1, bank: 1, status: 0xA000000000000000, mcg_status: 0x5, signal: none, raw: true}"


def load(events):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(HEAD + "".join("  - at: 1s\n    inject: %s\n" % e for e in events))
    try:
        return scenario.load(f.name), None
    except scenario.CaseError as e:
        return None, str(e)
    finally:
        os.unlink(f.name)


cases = sorted(glob.glob(os.path.join(src, "tests", "oracle", "*", "*.yaml")))
check(cases, "recorded cases found")
for path in cases:
    try:
        c = scenario.load(path)
        for g in c.groups:
            check(g.command.startswith("mce "), "%s: %s" % (path, g.command))
    except scenario.CaseError as e:
        check(False, "%s does not map: %s" % (path, e))

# The table's forms (oracle/README.md).
c, err = load([UC % ", broadcast: false, raw: true"])
check(c and c.groups[0].command == "mce 0 9 0xbd80000000100134 0x5 0x1000 0x86", "single UC: %s" % (c and c.groups[0].command or err))
c, err = load([BYST, UC % ", raw: true"])
check(c and c.groups[0].command == "mce -b 0 9 0xbd80000000100134 0x5 0x1000 0x86", "broadcast: %s" % (c and c.groups[0].command or err))

# Refused: each would run another machine check in mcasim than in QEMU.
for events, want in (([UC % ", broadcast: false"], "raw: true"),
                     ([BYST, UC % ", broadcast: false, raw: true"], "drop 'broadcast: false'"),
                     ([UC % ", raw: true"], "add 'broadcast: false'"),
                     ([BYST.replace(", raw: true", ""), UC % ", raw: true"], "raw: true")):
    c, err = load(events)
    check(c is None and want in (err or ""), "refused with '%s': got %s" % (want, err or "no error"))

print("%d case files, %d failures" % (len(cases), failures))
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""The oracle's driver: boot a real target under QEMU, replay an mcasim
scenario's inject events through QEMU's `mce` monitor command, and write a
normalized transcript of what the target did (oracle/README.md).

    run_case.py TARGET CASE.yaml [-o TRANSCRIPT] [--raw DIR]

TARGET is xen-4.17, xen-4.20 or linux. The cache that oracle/setup.sh
fills (MCASIM_ORACLE_CACHE) holds the hypervisors, the kernel and the
initramfs. One QEMU runs at a time; it is always killed at the end.

The scenario -> monitor mapping (scenario.py) and the normalization
(transcript.py) live in their own files.
"""
import argparse
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario  # noqa: E402
import transcript  # noqa: E402

TARGETS = ("xen-4.17", "xen-4.20", "linux")
BOOT_TIMEOUT = 180.0     # s from QEMU's start to ORACLE-READY
WARMUP = 2.0             # s after ready before the first injection
QUIET = 5.0              # s without a new line: the outcome has settled
MAX_SETTLE = 90.0        # s after the last injection, at most
HB_DEAD = 6.0            # s without a heartbeat at the end: hung
XEN_SWITCH = b"\x01\x01\x01"  # Ctrl-A three times: Xen's serial input switch


def cache_dir():
    c = os.environ.get("MCASIM_ORACLE_CACHE")
    if c:
        return c
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mcasim-oracle")


class OracleError(Exception):
    pass


class ContextMiss(OracleError):
    """The #MC found a CPU in another context than the case's event says
    (a user busy loop interrupted in the kernel: a timer tick)."""


# A case with context guest-user/guest-kernel is run again, up to this many
# times in all, when the kernel's record shows the #MC found the CPU in the
# other mode: where the CPU is when QEMU delivers the #MC is chance.
CONTEXT_TRIES = 5
CONTEXT_MODE = {"guest-user": "user", "guest-kernel": "kernel"}


def context_miss(case, facts):
    """Linux target: None, or why the run does not show the case's context."""
    found = transcript.linux_contexts(facts.lines, facts.marks.get("inject", len(facts.lines)))
    for g in case.groups:
        for e in g.events:
            want = CONTEXT_MODE.get(e.get("context"))
            if want and e["signal"] == "mce" and found.get(e["cpu"], want) != want:
                return "%s: the #MC found CPU %d in %s mode, the case says %s" % (
                    e["where"], e["cpu"], found[e["cpu"]], e["context"])
    return None


class Serial:
    """Reads the target's serial console from QEMU's socket chardev into
    (wall time, line) pairs; writes bytes to it (Xen's debug keys)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise OracleError("QEMU's serial socket %s never appeared" % path)
                time.sleep(0.05)
        self.lines = []
        self.lock = threading.Lock()
        self.closed = False
        self.t0 = time.monotonic()
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            buf += data
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.replace(b"\r", b"").decode("utf-8", "replace")
                with self.lock:
                    self.lines.append((time.monotonic() - self.t0, line))
        if buf:
            with self.lock:
                self.lines.append((time.monotonic() - self.t0, buf.decode("utf-8", "replace")))
        self.closed = True

    def now(self):
        return time.monotonic() - self.t0

    def snapshot(self):
        with self.lock:
            return list(self.lines)

    def write(self, data):
        self.sock.sendall(data)

    def wait_for(self, text, timeout, start=0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, (_, line) in enumerate(self.snapshot()[start:], start):
                if text in line:
                    return i
            if self.closed:
                return None
            time.sleep(0.1)
        return None


class Monitor:
    """QEMU's human monitor on a unix socket: one command, its reply."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise OracleError("QEMU's monitor socket %s never appeared" % path)
                time.sleep(0.05)
        self.sock.settimeout(30)
        self._read_prompt()

    def _read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            data = self.sock.recv(4096)
            if not data:
                break
            buf += data
        return buf.decode("utf-8", "replace")

    def command(self, cmd):
        return self.commands([cmd])[0]

    def commands(self, cmds):
        """Send CMDS in one write, so that QEMU runs them back to back
        (the guest gets no time to run between them but what QEMU's
        run_on_cpu gives it), then read one reply per command."""
        self.sock.sendall(b"".join(c.encode() + b"\n" for c in cmds))
        return [self._reply(c) for c in cmds]

    def _reply(self, cmd):
        reply = self._read_prompt()
        # The monitor echoes the command (with terminal escapes), then
        # prints its reply, which may lack a newline before the prompt.
        out = []
        for l in reply.replace("\r", "\n").split("\n"):
            l = l.replace("(qemu)", "").strip()
            if not l or "\x1b" in l or l == cmd:
                continue
            out.append(l)
        return out


def qemu_command(target, cache, case, tmp):
    ser = os.path.join(tmp, "serial.sock")
    mon = os.path.join(tmp, "monitor.sock")
    kernel = os.path.join(cache, "vmlinuz")
    initrd = os.path.join(cache, "initramfs.cpio.gz")
    oracle_args = "oracle.busy=%d" % (1 if case.busy else 0)
    if case.poll:
        oracle_args += " oracle.poll=%d" % case.poll
    cmd = ["qemu-system-x86_64", "-machine", "q35,accel=tcg",
           "-cpu", "Skylake-Server,-smap,-smep", "-m", "2048", "-smp", "2",
           "-nodefaults", "-display", "none", "-no-reboot",
           "-chardev", "socket,id=ser0,path=%s,server=on,wait=on" % ser,
           "-serial", "chardev:ser0",
           "-monitor", "unix:%s,server=on,wait=off" % mon]
    if target.startswith("xen-"):
        xen = os.path.join(cache, target)
        cmd += ["-kernel", xen,
                "-append", "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M "
                           "loglvl=all guest_loglvl=all mce_verbosity=verbose "
                           "noreboot xpti=false",
                "-initrd", "%s console=hvc0 earlyprintk=xen printk.time=0 printk.devkmsg=on mce=print_all %s,%s"
                           % (kernel, oracle_args, initrd)]
    else:
        cmd += ["-kernel", kernel, "-initrd", initrd,
                "-append", "console=ttyS0,115200 printk.time=0 printk.devkmsg=on mce=print_all panic=0 %s" % oracle_args]
    return cmd, ser, mon


def versions(cache, target):
    out = {}
    try:
        with open(os.path.join(cache, "versions")) as f:
            for line in f:
                k, rest = line.rstrip("\n").split(" ", 1)
                out[k] = rest
    except OSError:
        raise OracleError("%s/versions missing: run oracle/setup.sh" % cache)
    v = []
    if target.startswith("xen-"):
        v.append("hypervisor: " + out.get(target, "?"))
        v.append("dom0 kernel: " + out.get("kernel", "?"))
    else:
        v.append("kernel: " + out.get("kernel", "?"))
    v.append("qemu: " + out.get("qemu", "?"))
    return v


def xen_debug_key(serial, key, marker_after):
    """Switch Xen's serial input to Xen, send KEY, switch back to dom0.
    QEMU may have exited meanwhile (a reset): then nothing is sent."""
    try:
        _xen_debug_key(serial, key, marker_after)
    except OSError:
        pass


def _xen_debug_key(serial, key, marker_after):
    start = len(serial.snapshot())
    serial.write(XEN_SWITCH)
    serial.wait_for("Serial input to Xen", 10, start)
    serial.write(key.encode())
    if marker_after:
        serial.wait_for(marker_after, 10, start)
    time.sleep(1.0)
    start = len(serial.snapshot())
    serial.write(XEN_SWITCH)
    serial.wait_for("Serial input to DOM0", 10, start)


def settle(serial, proc, not_before, max_wait):
    """Wait until QUIET seconds pass without a line other than heartbeats,
    QEMU exits, or max_wait passes; never return before not_before."""
    end = serial.now() + max_wait
    while serial.now() < end:
        if proc.poll() is not None or serial.closed:
            return
        lines = [t for t, l in serial.snapshot() if not l.startswith("ORACLE-HB")]
        last = lines[-1] if lines else 0
        if serial.now() >= not_before and serial.now() - last >= QUIET:
            return
        time.sleep(0.2)


def run(target, case_path, raw_dir=None, log=print):
    cache = cache_dir()
    for f in ("vmlinuz", "initramfs.cpio.gz", "versions") + ((target,) if target != "linux" else ()):
        if not os.path.exists(os.path.join(cache, f)):
            raise OracleError("%s missing in %s: run oracle/setup.sh" % (f, cache))
    case = scenario.load(case_path)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shown = os.path.relpath(os.path.abspath(case_path), root)
    if shown.startswith(".."):
        shown = os.path.basename(case_path)
    xen = target.startswith("xen-")
    with tempfile.TemporaryDirectory(prefix="mcasim-oracle-") as tmp:
        cmd, ser, mon = qemu_command(target, cache, case, tmp)
        errlog = open(os.path.join(tmp, "qemu.stderr"), "w+")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=errlog, stderr=errlog)
        monitor_log = []
        marks = {}
        try:
            serial = Serial(ser)
            monitor = Monitor(mon)
            log("  booting %s ..." % target)
            ready = serial.wait_for("ORACLE-READY", BOOT_TIMEOUT)
            if ready is None:
                tail = "\n".join(l for _, l in serial.snapshot()[-15:])
                raise OracleError("%s did not print ORACLE-READY within %ds; last lines:\n%s"
                                  % (target, BOOT_TIMEOUT, tail))
            marks["ready"] = len(serial.snapshot())
            log("  ready after %.1f s" % serial.now())
            time.sleep(WARMUP)
            if xen:
                xen_debug_key(serial, "H", "heap[node=")
            marks["inject"] = len(serial.snapshot())
            t_first = serial.now()
            prev_at = None
            for batch in scenario.batches(case.groups):
                if prev_at is not None:
                    time.sleep(max(0.0, batch[0].at_s - prev_at))
                prev_at = batch[0].at_s
                cmds = [g.command for g in batch]
                if proc.poll() is not None:
                    monitor_log += ["%s: not sent, QEMU has exited" % c for c in cmds]
                    continue
                for c, reply in zip(cmds, monitor.commands(cmds)):
                    log("  %s%s" % (c, "".join(" -> " + r for r in reply)))
                    monitor_log.append(c + "".join(" -> " + r for r in reply))
            not_before = t_first + max(0.0, case.duration_s - case.groups[0].at_s)
            settle(serial, proc, not_before, MAX_SETTLE + not_before - serial.now())
            marks["settled"] = len(serial.snapshot())
            lines = serial.snapshot()
            hb = [t for t, l in lines if l.startswith("ORACLE-HB")]
            alive = proc.poll() is None and hb and serial.now() - hb[-1] < HB_DEAD
            if not alive and proc.poll() is None:
                # give a slow heartbeat one more chance
                time.sleep(HB_DEAD)
                hb = [t for t, l in serial.snapshot() if l.startswith("ORACLE-HB")]
                alive = bool(hb) and serial.now() - hb[-1] < HB_DEAD
            if xen and proc.poll() is None:
                xen_debug_key(serial, "H", "heap[node=")
                time.sleep(1.0)
            lines = serial.snapshot()
            exited = proc.poll()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            errlog.seek(0)
            qemu_err = errlog.read()
            errlog.close()
        if raw_dir:
            os.makedirs(raw_dir, exist_ok=True)
            with open(os.path.join(raw_dir, "serial.log"), "w") as f:
                for t, l in lines:
                    f.write("%9.3f %s\n" % (t, l))
            with open(os.path.join(raw_dir, "qemu.txt"), "w") as f:
                f.write(" ".join(shlex.quote(c) for c in cmd) + "\n")
                f.write("\n".join(monitor_log) + "\n" + qemu_err)
        facts = transcript.RunFacts(
            target=target, case_path=shown, versions=versions(cache, target),
            commands=monitor_log, lines=[l for _, l in lines], marks=marks,
            qemu_exited=exited is not None, alive=bool(alive), qemu_stderr=qemu_err)
        if raw_dir:
            with open(os.path.join(raw_dir, "facts.json"), "w") as f:
                json.dump(facts.__dict__, f, indent=1)
        if target == "linux":
            miss = context_miss(case, facts)
            if miss:
                raise ContextMiss(miss)
        return transcript.render(facts)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target", choices=TARGETS)
    ap.add_argument("case", help="the case (an mcasim scenario); with --render, the --raw folder of a run")
    ap.add_argument("-o", "--output", help="transcript file (default: stdout)")
    ap.add_argument("--raw", help="also keep the raw serial log and QEMU's command line here")
    ap.add_argument("--render", action="store_true",
                    help="no QEMU: render the transcript again from a --raw folder (CASE)")
    args = ap.parse_args()
    if args.render:
        with open(os.path.join(args.case, "facts.json")) as f:
            text = transcript.render(transcript.RunFacts(**json.load(f)))
        sys.stdout.write(text)
        return 0
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    try:
        for attempt in range(1, CONTEXT_TRIES + 1):
            try:
                text = run(args.target, args.case, args.raw, log=log)
                break
            except ContextMiss as e:
                if attempt == CONTEXT_TRIES:
                    raise OracleError("%s (in all %d runs)" % (e, CONTEXT_TRIES))
                log("  run again: %s" % e)
    except (OracleError, scenario.CaseError) as e:
        print("run-case: error: %s" % e, file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/bin/sh
# `mcasim oracle` without QEMU: its help and table of rules, usage errors,
# a transcript of another target, an oracle that cannot run here (each
# missing piece named, exit 2), and the deviation marks seen from outside:
# a known deviation passes, the same case without its marks fails, a mark
# whose deviation no longer occurs or changed fails, a malformed mark file
# is an input error.
# Usage: oracle_cli.sh MCASIM CASES_DIR (tests/oracle)
set -u
m=$1 cases=$2
fails=0 passes=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out err=$tmp/err

check() { # name, expected status, grep pattern on stdout+stderr, command...
    name=$1 want=$2 pat=$3; shift 3
    "$@" >"$out" 2>"$err"; rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; cat "$out" "$err"; fails=$((fails+1)); return
    fi
    if [ -n "$pat" ] && ! cat "$out" "$err" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; cat "$out" "$err"; fails=$((fails+1)); return
    fi
    passes=$((passes+1))
}

x20=$cases/xen-4.20
check help 0 "--compare FILE" "$m" help oracle
check help-deviations 0 "SECTION | bug|limit | DIGEST | REASON" "$m" oracle --help
check rules 0 "| xen console | xen-4.17, xen-4.20 | compared |" "$m" oracle --rules
check no-case 2 "give exactly one case file" "$m" oracle --target xen-4.20
check no-target 2 "--target is required" "$m" oracle "$x20/ucna.yaml"
check bad-target 2 "--target must be xen-4.17, xen-4.20 or linux" "$m" oracle --target xen-5 "$x20/ucna.yaml"
check both-modes 2 "exclude each other" "$m" oracle --target xen-4.20 --record --compare "$x20/ucna.transcript" "$x20/ucna.yaml"
check other-target 2 "is a transcript of target xen-4.20, not xen-4.17" \
    "$m" oracle --target xen-4.17 --compare "$x20/ucna.transcript" "$x20/ucna.yaml"
check no-transcript 2 "cannot read $tmp/none" "$m" oracle --target xen-4.20 --compare "$tmp/none" "$x20/ucna.yaml"
check no-cache 2 "the oracle cache: $tmp/cache does not exist" \
    env MCASIM_ORACLE_CACHE="$tmp/cache" "$m" oracle --target xen-4.20 "$x20/ucna.yaml"
mkdir "$tmp/cache2" && touch "$tmp/cache2/vmlinuz" "$tmp/cache2/initramfs.cpio.gz" "$tmp/cache2/versions"
check no-hypervisor 2 "the hypervisor (.*): $tmp/cache2/xen-4.17 is missing in the oracle cache" \
    env MCASIM_ORACLE_CACHE="$tmp/cache2" "$m" oracle --target xen-4.17 "$cases/xen-4.17/ucna.yaml"
check linux-needs-no-hypervisor 2 "QEMU: qemu-system-x86_64 is not in PATH" \
    env MCASIM_ORACLE_CACHE="$tmp/cache2" PATH="$tmp" "$m" oracle --target linux "$cases/linux/ucna.yaml"
if grep -q "the hypervisor" "$err"; then
    echo "FAIL linux-needs-no-hypervisor: asks for a hypervisor"; fails=$((fails+1))
fi
check no-cache-setup 2 "Run oracle/setup.sh" env MCASIM_ORACLE_CACHE="$tmp/cache" "$m" oracle --target linux "$cases/linux/ucna.yaml"
check no-qemu 2 "QEMU: qemu-system-x86_64 is not in PATH" env PATH="$tmp" "$m" oracle --target linux "$cases/linux/ucna.yaml"

# A case that agrees, and one with known deviations.
check agrees 0 "OK: 8 agree, 0 known deviations, 0 differ, 0 differ from their mark, 0 marked but agree, 1 not compared" "$m" oracle --target xen-4.20 --compare "$x20/ce-poll.transcript" "$x20/ce-poll.yaml"
check known 0 "known deviation" "$m" oracle --target xen-4.20 --compare "$x20/srao-scrub-dom0-kernel.transcript" "$x20/srao-scrub-dom0-kernel.yaml"
check unmarked 1 "dom0 kernel lines: DIFFERS" \
    "$m" oracle --no-deviations --target xen-4.20 --compare "$x20/srao-scrub-dom0-kernel.transcript" "$x20/srao-scrub-dom0-kernel.yaml"
# The agreeing case marked as deviating: the mark must go.
echo "xen console | bug | 12345678 | mcasim prints a line Xen's function does not" >"$tmp/stale.deviation"
check stale-mark 1 "no longer occurs: remove it" "$m" oracle --target xen-4.20 --deviations "$tmp/stale.deviation" \
    --compare "$x20/ce-poll.transcript" "$x20/ce-poll.yaml"
# The deviating case with a digest that is not its difference's.
sed 's/| [0-9a-f]\{8\} |/| 00000000 |/' "$x20/srao-scrub-dom0-kernel.deviation" >"$tmp/changed.deviation"
check changed-mark 1 "DIFFERS from its mark" "$m" oracle --target xen-4.20 --deviations "$tmp/changed.deviation" \
    --compare "$x20/srao-scrub-dom0-kernel.transcript" "$x20/srao-scrub-dom0-kernel.yaml"
echo "xen console | maybe | 12345678 | mcasim prints a line Xen's function does not" >"$tmp/bad.deviation"
check bad-mark 2 "bad.deviation:1: KIND must be bug or limit" "$m" oracle --target xen-4.20 \
    --deviations "$tmp/bad.deviation" --compare "$x20/ce-poll.transcript" "$x20/ce-poll.yaml"
# mcasim's transcript, written with -o, is a transcript of the target.
check output 0 "" "$m" oracle --target xen-4.20 -o "$tmp/mcasim.transcript" --compare "$x20/ce-poll.transcript" "$x20/ce-poll.yaml"
check output-target 0 "" grep -qx "target: xen-4.20" "$tmp/mcasim.transcript"
check output-section 0 "" grep -qx "== xen console" "$tmp/mcasim.transcript"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]

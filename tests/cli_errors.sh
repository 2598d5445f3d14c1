#!/bin/sh
# The CLI's answers to bad input: a clear message with file:line:col and a
# hint, exit status 2, never a crash; help for every command; and decode's
# verdicts on register values from xen-mceinj and Linux's severity table.
# Usage: cli_errors.sh MCASIM DATA_DIR
set -u
m=$1 data=$2
fails=0 passes=0
out=$(mktemp) err=$(mktemp)
trap 'rm -rf "$out" "$err" "$out".*' EXIT

check() { # name, expected status, grep pattern on stdout+stderr, command...
    name=$1 want=$2 pat=$3; shift 3
    "$@" >"$out" 2>"$err"; rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; cat "$err"; fails=$((fails+1)); return
    fi
    if [ -n "$pat" ] && ! cat "$out" "$err" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; cat "$out" "$err"; fails=$((fails+1)); return
    fi
    passes=$((passes+1))
}

check help-top 0 "commands:" "$m" --help
check help-run 0 "--junit FILE" "$m" run --help
check help-validate 0 "without running" "$m" validate --help
check help-decode 0 "--mcg-status" "$m" decode --help
check help-cmd 0 "--trace FILE" "$m" help run
check help-import 0 "mce-inject" "$m" import --help
check help-import-cmd 0 "EINJ settings" "$m" help import
check help-campaign 0 "--shard K/N" "$m" campaign --help
check help-campaign-keep 0 "--keep N|all" "$m" campaign --help
check campaign-keep-bad 2 "--keep" "$m" campaign "$data/../campaign/storm.yaml" --keep none
check help-campaign-cmd 0 "campaign merge" "$m" help campaign
check campaign-no-file 2 "one campaign file expected" "$m" campaign
check campaign-missing 2 "cannot open" "$m" campaign "$data/no-such-campaign.yaml"
check campaign-bad-shard 2 "K/N with 1 <= K <= N" "$m" campaign x.yaml --shard 0/3
check campaign-trace-alone 2 "go with --host" "$m" campaign x.yaml --trace t.jsonl
check campaign-merge-nothing 2 "at least one partial" "$m" campaign merge -o "$out.d"
check campaign-merge-not-partial 2 "not a partial result" "$m" campaign merge -o "$out.d" "$data/../campaign/small.yaml"
check import-missing 2 "/nonexistent.mce: error: cannot open" "$m" import /nonexistent.mce
check import-bad-format 2 "--from wants one of auto, yaml, mce-inject" "$m" import --from mcelog "$data/bad-syntax.yaml"
check import-yaml 2 "not one of the formats mcasim imports" "$m" import "$data/bad-syntax.yaml"
check import-to-folder 0 "" "$m" import -o "$out.d" "$data/../import/qemu-corrected.qemu" "$data/../import/einj-notrigger.einj"
check import-files-written 0 "name: einj-notrigger" cat "$out.d/qemu-corrected.yaml" "$out.d/einj-notrigger.yaml"
check import-many-stdout 0 "^---$" "$m" import "$data/../import/qemu-corrected.qemu" "$data/../import/einj-notrigger.einj"
check validate-from 2 "bad-syntax.yaml:1:1: error: 'name:' is not the mce command" "$m" validate --from qemu "$data/bad-syntax.yaml"
check no-args 2 "usage" "$m"
check unknown-cmd 2 "unknown command" "$m" frobnicate
check run-missing 2 "no such file" "$m" run /nonexistent.yaml
check run-no-args 2 "no scenario" "$m" run
check run-bad-jobs 2 "-j wants" "$m" run -j 0 "$data"
check unknown-key 2 "bad-unknown-key.yaml:7:31: error" "$m" validate "$data/bad-unknown-key.yaml"
check did-you-mean 2 "did you mean 'status'" "$m" validate "$data/bad-unknown-key.yaml"
check time-unit 2 "bad-time-unit.yaml:2:11: error" "$m" validate "$data/bad-time-unit.yaml"
check cpu-range 2 "bad-cpu-range.yaml:7" "$m" validate "$data/bad-cpu-range.yaml"
check syntax 2 "bad-syntax.yaml:" "$m" validate "$data/bad-syntax.yaml"
check run-refuses-bad 2 "error" "$m" run "$data"
check dram-fault-no-dram 2 "dram_fault on a host without a memory model" "$m" validate "$data/bad-dram-fault-no-dram.yaml"
check chipkill-geometry 2 "bad-chipkill-geometry.yaml:6:9: error: dram: chipkill needs x4" "$m" validate "$data/bad-chipkill-geometry.yaml"
check fit-mode 2 "bad-field-rates-fit.yaml:8:48: error: unknown key 'multi-rnak' in fit" "$m" validate "$data/bad-field-rates-fit.yaml"
check fit-mode-hint 2 "did you mean 'multi-rank'" "$m" validate "$data/bad-field-rates-fit.yaml"
check fit-csv 2 "bad-field-rates-csv.yaml:6:43: error: 'fit_file': .*bad-field-rates.csv:3:16: permanent FIT '-8.2' of single-row is negative" \
    "$m" validate "$data/bad-field-rates-csv.yaml"
check storm-name 2 "did you mean 'linux-6'" "$m" validate "$data/bad-storm.yaml"
check sweep-too-few-cpus 2 "bad-sweep.yaml:9:13: error: sweep cpus: cpus 2 is too few" "$m" validate "$data/bad-sweep.yaml"
check migrate-same-host 2 "bad-migrate-same-host.yaml:10:30: error: 'to': domain 1 already runs on host 'src'" \
    "$m" validate "$data/bad-migrate-same-host.yaml"
check migrate-no-dom0 2 "hint: add '- {id: 0, host: dst}'" "$m" validate "$data/bad-migrate-no-dom0.yaml"
check link-rate 2 "bad-link-rate.yaml:5:14: error: 'bandwidth': '10Gbps' has an unknown unit" \
    "$m" validate "$data/bad-link-rate.yaml"
check link-rate-units 2 "hint: units: .*Gbit/s" "$m" validate "$data/bad-link-rate.yaml"
check sweep-range 2 "bad-sweep-range.yaml:9:32: error: sweep events.0.at: 'to' is below 'from'" \
    "$m" validate "$data/bad-sweep-range.yaml"
check expect-migration 2 "bad-expect-migration.yaml:5:14: error: expect.migration without a migrate event" \
    "$m" validate "$data/bad-expect-migration.yaml"
check decode-no-status 2 "--status is required" "$m" decode
check decode-bad-number 2 "not a number" "$m" decode --status 0xZZ
check decode-negative 2 "non-negative" "$m" decode --status -1
check decode-bad-cpu 2 "VENDOR:FAMILY:MODEL" "$m" decode --status 0 --cpu via:6
check decode-bad-context 2 "unknown context" "$m" decode --status 0 --context guest
# Verdicts under --policy linux (Xen's xen-mceinj.c values; Linux mce/severity.c rules)
check decode-srao 0 '"class":"srao","rule":"Action optional: memory scrubbing error","action":"recover"' \
    "$m" decode --policy linux --status 0xBD000000004000CF --mcg-status 0x5 --json
check decode-llc 0 '"class":"srao","rule":"Action optional: last level cache writeback error"' \
    "$m" decode --policy linux --status 0xBD2000008000017A --mcg-status 0x5 --json
check decode-ucna 0 '"class":"ucna"' "$m" decode --policy linux --status 0xBC20000080000136 --mcg-status 0 --poll --json
check decode-pcc 0 '"class":"fatal","rule":"Processor context corrupt","action":"panic"' \
    "$m" decode --policy linux --status 0xBF2000008000017A --mcg-status 0x5 --json
check decode-srar-user 0 '"class":"srar","rule":"Action required: data load error","action":"recover"' \
    "$m" decode --policy linux --status 0xBD80000000000134 --context user --json
check decode-srar-hv 0 '"rule":"No restart IP in hypervisor context","action":"panic"' \
    "$m" decode --policy linux --status 0xBD80000000000134 --context hv --json
check decode-ce 0 '"class":"corrected"' "$m" decode --policy linux --status 0x9C0000000000009F --json
check decode-noser 0 '"rule":"Uncorrected error without SER_P"' \
    "$m" decode --policy linux --status 0xBC00000000000134 --mcg-cap 0x106 --json
# The default, Xen's classification (intel_check_mce_type): the context
# does not change the class (mce_urgent_action decides fatality later)
check decode-xen-srao 0 '"class":"srao","rule":"SRAO: software recoverable, action optional","action":"recover","policy":"xen"' \
    "$m" decode --status 0xBD000000004000CF --mcg-status 0x5 --json
check decode-xen-srar-hv 0 '"class":"srar","rule":"SRAR: software recoverable, action required"' \
    "$m" decode --status 0xBD80000000000134 --context hv --json
check decode-xen-pcc 0 '"source":"Xen mce_intel.c intel_check_mce_type: PCC=1 -> fatal"' \
    "$m" decode --status 0xBF2000008000017A --json
check decode-bad-policy 2 "--policy wants xen or linux" "$m" decode --status 0 --policy bsd
check decode-text 0 "MEMORY CONTROLLER MS_CHANNELunspecified_ERR" "$m" decode --status 0xBD000000004000CF
# MCIP clear: no #MC handler saw it, the poller grades it (SDM 15.3.1.2), unless --mce
check decode-mcip-clear 0 '"class":"corrected","rule":"Corrected error","action":"log"' \
    "$m" decode --status 0x9C0000000000009F --mcg-status 0 --json
check decode-mcip-clear-path 0 '"path":"poll"' "$m" decode --status 0x9C0000000000009F --mcg-status 0 --json
# --mce under Linux's rules: a #MC handler seeing MCIP clear (severity.c)
check decode-mce-forced 0 '"rule":"MCIP not set in MCA handler"' \
    "$m" decode --policy linux --status 0x9C0000000000009F --mcg-status 0 --mce --json
check decode-zero 0 "^MCi_STATUS  0x0 " "$m" decode --status 0
check decode-zero-json 0 '"status":"0x0"' "$m" decode --status 0 --mcg-status 0 --json
check decode-zero-mcg 0 '"mcg_status":"0x0"' "$m" decode --status 0 --mcg-status 0 --json
# AMD's bits (APM Vol. 2): Deferred 44, Poison 43; a deferred error is logged, not fatal
check decode-amd 0 '"rule":"Deferred error (AMD): uncorrected, not yet consumed","action":"log"' \
    "$m" decode --vendor amd --status 0x9000180000000000 --json
check decode-amd-flags 0 '"flags":"CE EN Deferred Poison ErrorCodeExt 0x0"' \
    "$m" decode --vendor amd --status 0x9000180000000000 --json
check decode-amd-cpu 0 '"vendor":"amd"' "$m" decode --cpu amd:0x17:0x31 --status 0x9400000000000151 --json
check decode-bad-vendor 2 "--vendor wants intel or amd" "$m" decode --status 0 --vendor via
# records on stdin: mcelog's text, the kernel's panic line, a QEMU mce line
printf 'Hardware event. This is not a software error.\nCPU 0 BANK 8\nMISC 86 ADDR 180020\nMCG status:RIPV MCIP\nSTATUS bd000000004000cf MCGSTATUS 5\nMCGCAP 1000c14 APICID 0 SOCKETID 0\nCPUID Vendor Intel Family 6 Model 46 Step 5\n' > "$out.mcelog"
check decode-mcelog 0 '"class":"srao","rule":"Action optional: memory scrubbing error".*"addr":"0x180020"' \
    sh -c '"$1" decode --policy linux --json < "$2"' - "$m" "$out.mcelog"
check decode-mcelog-xen 0 '"class":"srao","rule":"SRAO: software recoverable, action optional".*"addr":"0x180020"' \
    sh -c '"$1" decode --json < "$2"' - "$m" "$out.mcelog"
printf 'CPU 1 BANK 4\nSTATUS 9c0000000000009f MCGSTATUS 0\nCPUID Vendor AMD Family 23 Model 49 Step 0\n' > "$out.amd"
check decode-mcelog-amd 0 '"class":"corrected".*"vendor":"amd","context":"guest-kernel","path":"poll"' \
    sh -c '"$1" decode --json < "$2"' - "$m" "$out.amd"
echo 'CPU 0: Machine Check Exception: 5 Bank 2: b200000000070f0f' > "$out.panic"
check decode-panic-line 0 '"class":"fatal","rule":"Processor context corrupt"' sh -c '"$1" decode --policy linux --json < "$2"' - "$m" "$out.panic"
check decode-panic-line-xen 0 '"class":"fatal","rule":"Fatal: processor context corrupt"' sh -c '"$1" decode --json < "$2"' - "$m" "$out.panic"
echo '(qemu) mce -b 0 9 0xbd000000000000c0 0x5 0x12345000 0x8c' > "$out.qemu"
check decode-qemu 0 '"class":"srao".*"addr":"0x12345000","misc":"0x8c"' sh -c '"$1" decode --json < "$2"' - "$m" "$out.qemu"
check decode-stdin-override 0 '"class":"fatal"' sh -c '"$1" decode --policy linux --mcg-status 0 --mce --json < "$2"' - "$m" "$out.qemu"
check decode-stdin-override-xen 0 '"mcg_status":"0x0".*"path":"mce"' sh -c '"$1" decode --mcg-status 0 --mce --json < "$2"' - "$m" "$out.qemu"
echo 'hello' > "$out.junk"
check decode-no-record 2 "no record on stdin" sh -c '"$1" decode < "$2"' - "$m" "$out.junk"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]

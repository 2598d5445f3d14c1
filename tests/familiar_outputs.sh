#!/bin/sh
# The outputs of `mcasim run` that RAS engineers already read, on library
# scenarios: --mcelog (dom0's mcelog, field for field: a whole entry of a
# known record as mcelog v176 prints it, the strings Xen's mce-test greps,
# "MCE n" counting entries), --console (every line "(XEN) " and the text,
# as Xen's console prints it with console_timestamps=none), --rasdaemon
# (rasdaemon's mce_record table, read with the sqlite3 CLI by the queries
# ras-mc-ctl --errors and --summary run), one entry per bank dom0 fetched
# in all three; several runs make folders, several hosts sections; the
# files are the same bytes from run to run.
# Usage: familiar_outputs.sh MCASIM SCENARIOS_DIR
set -u
m=$1 scn=$2
. "$(dirname "$0")/harness.sh"
command -v sqlite3 > /dev/null || { echo "FAIL: no sqlite3 CLI (scripts/install-deps.sh installs it)"; exit 1; }
srao=$scn/basic/srao-patrol-scrub.yaml

# ---- one run: the patrol-scrub SRAO of xen-mceinj, logged out at 1 ms --------
"$m" run -q --mcelog "$w/srao.mcelog" --console "$w/srao.console" --rasdaemon "$w/srao.db" "$srao" > /dev/null \
    || no "srao run failed"
# mcelog v176 (mcelog.c dump_mce, p4.c decode_intel_mc) for CPU 0 bank 7,
# MCi_STATUS 0xbd000000004000cf, MISC 0x86, ADDR 0x180020, MCG_STATUS 0x5,
# MCG_CAP 0x1000d0a; mcelog leaves a space at the end of four lines
printf '%s\n' \
    'Hardware event. This is not a software error.' \
    'MCE 0' \
    'CPU 0 BANK 7 ' \
    'MISC 86 ADDR 180020 ' \
    'TIME 0 Thu Jan  1 00:00:00 1970' \
    'MCG status:RIPV MCIP ' \
    'MCi status:' \
    'Uncorrected error' \
    'Error enabled' \
    'MCi_MISC register valid' \
    'MCi_ADDR register valid' \
    'SRAO' \
    'MCA: MEMORY CONTROLLER MS_CHANNELunspecified_ERR' \
    'Transaction: Memory scrubbing error' \
    'STATUS bd000000004000cf MCGSTATUS 5' \
    'MCGCAP 1000d0a APICID 0 SOCKETID 0 ' > "$w/want"
diff "$w/want" "$w/srao.mcelog" > "$w/d" && ok || no "srao mcelog differs from mcelog's text: $(cat "$w/d")"
# mcasim decode reads it back as the mcelog record it is
"$m" decode < "$w/srao.mcelog" > "$w/dec" 2>&1 && grep -q '^MCG_CAP     0x1000d0a' "$w/dec" \
    && grep -q '^class       srao$' "$w/dec" && ok || no "decode of the mcelog entry: $(cat "$w/dec")"
# mce-test's check for its error type 0
grep -q "MEMORY CONTROLLER MS_CHANNELunspecified_ERR" "$w/srao.mcelog" && ok || no "mce-test grep type 0"

# the console: Xen's prefix on every line, the debug build's recovery line
[ -s "$w/srao.console" ] && ok || no "srao console empty"
! grep -qv '^(XEN) ' "$w/srao.console" && ok || no "a console line without (XEN): $(grep -v '^(XEN) ' "$w/srao.console")"
grep -q '^(XEN) arch/x86/cpu/mcheck/mce\.c:[0-9]*: MCE: Error is successfully recovered$' "$w/srao.console" \
    && ok || no "console lacks Xen's recovery line: $(cat "$w/srao.console")"

# rasdaemon's table, created as ras-record.c creates it
sqlite3 "$w/srao.db" .schema | grep -q '^CREATE TABLE mce_record (id INTEGER PRIMARY KEY, timestamp TEXT, mcgcap INTEGER, mcgstatus INTEGER, status INTEGER, addr INTEGER, misc INTEGER, ip INTEGER, tsc INTEGER, walltime INTEGER, ppin INTEGER, cpu INTEGER, cpuid INTEGER, apicid INTEGER, socketid INTEGER, cs INTEGER, bank INTEGER, cpuvendor INTEGER, microcode INTEGER, bank_name TEXT, error_msg TEXT, mcgstatus_msg TEXT, mcistatus_msg TEXT, mcastatus_msg TEXT, user_action TEXT, mc_location TEXT);$' \
    && ok || no "mce_record layout: $(sqlite3 "$w/srao.db" .schema)"
# ras-mc-ctl --errors's query (util/ras-mc-ctl.in), and its --summary one
errors="select id, timestamp, mcgcap, mcgstatus, status, addr, misc, ip, tsc, walltime, ppin, cpu, cpuid, apicid, socketid, cs, bank, cpuvendor, microcode, bank_name, error_msg, mcgstatus_msg, mcistatus_msg, mcastatus_msg, user_action, mc_location from mce_record order by id"
sqlite3 -separator '|' "$w/srao.db" "$errors" > "$w/rows" || no "ras-mc-ctl --errors query failed"
[ "$(wc -l < "$w/rows")" -eq 1 ] && ok || no "srao: $(wc -l < "$w/rows") rows, expected 1"
# status 0xbd000000004000cf as the signed 64-bit integer rasdaemon binds;
# cpuid 0x50650: family 6 model 0x55, mcasim's default host CPU
want_row='1|1970-01-01 00:00:00 +0000|16780554|5|-4827858800536977201|1572896|134|0|0|0|0|0|329296|0|0|0|7|0|0||MEMORY CONTROLLER MS_CHANNELunspecified_ERR Transaction: Memory scrubbing error|mcgstatus=5 RIPV MCIP|Uncorrected_error Error_enabled SRAO|||n_errors=0'
[ "$(cat "$w/rows")" = "$want_row" ] && ok || no "srao row: $(cat "$w/rows")"
[ "$(sqlite3 "$w/srao.db" "select printf('%x %x %x', status, addr, misc) from mce_record")" = "bd000000004000cf 180020 86" ] \
    && ok || no "registers do not read back"
[ "$(sqlite3 -separator '|' "$w/srao.db" "select error_msg, count(*) from mce_record group by error_msg")" = \
  "MEMORY CONTROLLER MS_CHANNELunspecified_ERR Transaction: Memory scrubbing error|1" ] \
    && ok || no "ras-mc-ctl --summary query"
[ "$(sqlite3 -separator '|' "$w/srao.db" "select host, host_name, record, record_bank from mcasim_entry")" = "0|host0|1|0" ] \
    && ok || no "mcasim_entry: $(sqlite3 "$w/srao.db" 'select * from mcasim_entry')"
[ "$(sqlite3 "$w/srao.db" "select count(*) from mce_record where timestamp >= '1970-01-01'")" = 1 ] \
    && ok || no "ras-mc-ctl --since's comparison"

# ---- mce-test's other two greps ---------------------------------------------
"$m" run -q --mcelog "$w/llc.mcelog" "$scn/basic/srao-llc-writeback.yaml" > /dev/null || no "llc run failed"
grep -q "Generic CACHE Level-2 Eviction Error" "$w/llc.mcelog" && ok || no "mce-test grep type 1"
"$m" run -q --mcelog "$w/ucna.mcelog" --rasdaemon "$w/ucna.db" "$scn/basic/ucna-cmci.yaml" > /dev/null \
    || no "ucna run failed"
grep -q "Data CACHE Level-2 Data-Read Error" "$w/ucna.mcelog" && ok || no "mce-test grep type 2"
# a UCNA has neither S nor AR: mcelog prints no state line, rasdaemon none
! grep -q '^UCNA$' "$w/ucna.mcelog" && ok || no "a UCNA line mcelog would not print"
[ "$(sqlite3 "$w/ucna.db" "select mcistatus_msg || '/' || error_msg from mce_record")" = \
  "Uncorrected_error Error_enabled/Data CACHE Level-2 Data-Read Error" ] && ok || no "ucna row"

# ---- many records: one entry per bank dom0 fetched, numbered --------------------
burst=$scn/basic/telemetry-pool-burst.yaml
"$m" run -q --mcelog "$w/burst.mcelog" --rasdaemon "$w/burst.db" "$burst" > /dev/null || no "burst run failed"
n=$(grep -c '^Hardware event. This is not a software error.$' "$w/burst.mcelog")
[ "$n" -gt 1 ] && ok || no "burst: $n entries"
[ "$(grep '^MCE ' "$w/burst.mcelog" | tr '\n' ' ')" = "$(i=0; while [ "$i" -lt "$n" ]; do printf 'MCE %s ' "$i"; i=$((i+1)); done)" ] \
    && ok || no "burst: MCE numbers are not 0..$((n-1))"
[ "$(sqlite3 "$w/burst.db" "select count(*) from mce_record")" = "$n" ] && ok || no "burst: rows differ from entries"
[ "$(sqlite3 "$w/burst.db" "select count(*) from mce_record r join mcasim_entry e using (id)")" = "$n" ] \
    && ok || no "burst: mcasim_entry does not name every row"

# ---- nothing fetched (the host panicked first): empty files, an empty table --------
"$m" run -q --mcelog "$w/pcc.mcelog" --rasdaemon "$w/pcc.db" --console "$w/pcc.console" "$scn/basic/pcc-fatal.yaml" \
    > /dev/null || no "pcc run failed"
[ -f "$w/pcc.mcelog" ] && [ ! -s "$w/pcc.mcelog" ] && ok || no "pcc: mcelog not empty"
[ "$(sqlite3 "$w/pcc.db" "select count(*) from mce_record")" = 0 ] && ok || no "pcc: rows in mce_record"
grep -q '^(XEN) Panic on CPU 0:$' "$w/pcc.console" && ok || no "pcc: console lacks Xen's panic line"

# ---- several hosts: a section per host ------------------------------------------------
mig=$scn/migration/case-a.yaml
"$m" run -q --mcelog "$w/mig.mcelog" --console "$w/mig.console" "$mig" > /dev/null || no "migration run failed"
[ "$(grep '^# host ' "$w/mig.console" | tr '\n' ' ')" = "# host 0 source # host 1 target " ] \
    && ok || no "migration console sections: $(grep '^#' "$w/mig.console")"
[ "$(grep -c '^# host ' "$w/mig.mcelog")" -eq 2 ] && ok || no "migration mcelog sections"

# ---- several runs: a folder, a file per run --------------------------------------------
mkdir "$w/two"
cp "$srao" "$scn/basic/ucna-cmci.yaml" "$w/two/"
"$m" run -q -j 2 --mcelog "$w/ml" --console "$w/cl" --rasdaemon "$w/rd" "$w/two" > /dev/null || no "two runs failed"
for f in ml/srao-patrol-scrub.mcelog ml/ucna-cmci.mcelog cl/srao-patrol-scrub.console rd/ucna-cmci.db; do
    [ -f "$w/$f" ] && ok || no "several runs: no $f"
done
cmp -s "$w/ml/srao-patrol-scrub.mcelog" "$w/srao.mcelog" && ok || no "the folder's file differs from the single run's"

# ---- the same bytes again -----------------------------------------------------------
"$m" run -q --mcelog "$w/again.mcelog" --console "$w/again.console" --rasdaemon "$w/again.db" "$srao" > /dev/null
for ext in mcelog console db; do
    cmp -s "$w/srao.$ext" "$w/again.$ext" && ok || no "$ext differs between two runs"
done
# an existing file is replaced, a database too (not appended to)
"$m" run -q --rasdaemon "$w/again.db" "$srao" > /dev/null
[ "$(sqlite3 "$w/again.db" "select count(*) from mce_record")" = 1 ] && ok || no "a second run appended rows"

finish

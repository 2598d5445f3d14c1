#!/bin/sh
# `mcasim run` never lies to CI: an output that cannot be written stops
# everything before a run (exit 2); SIGINT and SIGTERM stop the workers,
# write what finished marked partial and exit 130 / 143; no temporary file
# outlives mcasim, SIGKILL included; a scenario without expect: warns (and is an error with
# --strict); validate reports every error of a file; a failed expectation
# shows what was there; JUnit stays valid XML whatever the text, with a time
# per case and the folder as classname; JSON carries the point, its
# parameters, the version and the commit; progress shows in a log and on a
# terminal, not with -q; --max-wall and --max-memory end a run "aborted".
# Usage: cli_run.sh MCASIM SCENARIOS_DIR
set -u
m=$1 scn=$2
. "$(dirname "$0")/harness.sh"
srao=$scn/basic/srao-patrol-scrub.yaml

# ---- outputs checked before anything runs ------------------------------------
# (below a regular file: nobody, root included, can create anything there)
touch "$w/afile"
for opt in junit trace perfetto vcd results mcelog console rasdaemon; do
    rm -f "$w/trace.jsonl"
    "$m" run -q --trace "$w/trace.jsonl" --"$opt" "$w/afile/out" "$srao" > "$w/o" 2> "$w/e"; rc=$?
    [ "$rc" -eq 2 ] && ok || no "--$opt to an unwritable place: exit $rc, expected 2"
    grep -q -- "--$opt $w/afile/out: cannot write" "$w/e" && ok || no "--$opt: no clear message: $(cat "$w/e")"
    { [ "$opt" = trace ] || [ ! -e "$w/trace.jsonl" ]; } && ok || no "--$opt: a run happened before the check"
    [ ! -s "$w/o" ] && ok || no "--$opt: a table was printed"
done
mkdir "$w/adir"
"$m" run -q --junit "$w/adir" "$srao" > /dev/null 2> "$w/e"; rc=$?
[ "$rc" -eq 2 ] && grep -q "it is a folder" "$w/e" && ok || no "--junit to a folder: exit $rc"
# several runs: a per-run output is a folder, which must be makeable
"$m" run -q -j 2 --trace "$w/afile/sub" "$scn/basic" > /dev/null 2> "$w/e"; rc=$?
[ "$rc" -eq 2 ] && ok || no "--trace folder below a file: exit $rc, expected 2"

# ---- --vcd FILE is FILE --------------------------------------------------------
"$m" run -q --vcd "$w/signals" "$srao" > /dev/null || no "vcd run failed"
[ -f "$w/signals" ] && [ ! -e "$w/signals.vcd" ] && [ ! -e "$w/signals.partial.vcd" ] && ok || no "--vcd wrote another name"

# ---- signals -----------------------------------------------------------------
# basic/ finishes in well under a second; long.yaml (1000 h of 64 idle CPUs)
# takes tens of seconds, so the signal always finds it running
printf 'name: long\nduration: 1000h\nplatform: {hosts: [{cpus: 64}]}\nexpect: {host: {outcome: running}}\n' > "$w/long.yaml"
mkdir "$w/tmp"
for sig in INT TERM; do
    rm -rf "$w/res" "$w/j.xml"
    TMPDIR="$w/tmp" "$m" run -j 2 --results "$w/res" --junit "$w/j.xml" "$scn/basic" "$w/long.yaml" > "$w/t" 2> "$w/e" &
    pid=$!
    sleep 2
    # the workers' pieces are nameless files in $TMPDIR (run_store.c)
    ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "$w/tmp/" && ok || no "SIG$sig: no temporary file in \$TMPDIR"
    kill -"$sig" "$pid"
    wait "$pid"; rc=$?
    want=130; [ "$sig" = TERM ] && want=143
    [ "$rc" -eq "$want" ] && ok || no "SIG$sig: exit $rc, expected $want"
    [ -z "$(ls -A "$w/tmp")" ] && ok || no "SIG$sig: temporary files left in \$TMPDIR: $(ls "$w/tmp")"
    grep -q "interrupted by SIG$sig" "$w/res/PARTIAL" 2>/dev/null && ok || no "SIG$sig: no results/PARTIAL"
    grep -q '"completed":false' "$w/res/results.json" && grep -q '"completed":true' "$w/res/results.json" \
        && ok || no "SIG$sig: results.json does not mark finished and unfinished runs"
    grep -q "<skipped message=\"interrupted by SIG$sig\"" "$w/j.xml" && grep -q 'name="partial"' "$w/j.xml" \
        && ok || no "SIG$sig: JUnit lacks skipped cases"
    grep -q "not run or stopped (interrupted by SIG$sig)" "$w/t" && ok || no "SIG$sig: table does not say partial"
done
# SIGKILL: nothing to clean up, nothing left (its workers stopped too)
TMPDIR="$w/tmp" "$m" run -q -j 2 "$scn/basic" "$w/long.yaml" > /dev/null 2>&1 &
pid=$!
sleep 2
kids=$(awk -v p="$pid" '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null)
kill -KILL "$pid"
wait "$pid" 2>/dev/null
[ -n "$kids" ] && kill -KILL $kids 2>/dev/null
sleep 0.2
[ -z "$(ls -A "$w/tmp")" ] && ok || no "SIGKILL: temporary files left in \$TMPDIR: $(ls "$w/tmp")"
# a complete run into the same folder removes the PARTIAL mark
"$m" run -q --results "$w/res" "$srao" > /dev/null || no "run after interrupt failed"
[ ! -e "$w/res/PARTIAL" ] && ok || no "PARTIAL left after a complete run"
# temporary files follow $TMPDIR (an unwritable one is an error, not /tmp)
"$m" run -q "$srao" > /dev/null 2>&1 && ok || no "plain run failed"
TMPDIR="$w/afile" "$m" run -q "$srao" > /dev/null 2> "$w/e"; rc=$?
[ "$rc" -eq 2 ] && grep -q "cannot create a temporary file in $w/afile" "$w/e" && ok || no "TMPDIR not followed: exit $rc"

# ---- no expect:, --strict ----------------------------------------------------
printf 'name: nothing\nplatform: {hosts: [{cpus: 2}]}\n' > "$w/nothing.yaml"
"$m" run -q "$w/nothing.yaml" > /dev/null 2> "$w/e"; rc=$?
[ "$rc" -eq 0 ] && grep -q "nothing.yaml: warning: 'nothing' has no expect: block" "$w/e" && ok \
    || no "no expect: should warn and pass (exit $rc)"
"$m" run -q --strict "$w/nothing.yaml" > "$w/o" 2> "$w/e"; rc=$?
[ "$rc" -eq 2 ] && grep -q "nothing.yaml: error: 'nothing' has no expect: block" "$w/e" && [ ! -s "$w/o" ] && ok \
    || no "run --strict without expect: exit $rc, expected 2 before running"
"$m" validate --strict "$w/nothing.yaml" > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok || no "validate --strict without expect: exit $rc"
"$m" validate "$w/nothing.yaml" > /dev/null 2>&1 && ok || no "validate without expect: should pass"

# ---- validate: every error of a file -----------------------------------------
cat > "$w/multi.yaml" <<'YAML'
name: multi
duration: 10
platform:
  hosts:
    - cpus: 2
      bnks: 4
events:
  - at: 1ms
    inject: {cpu: 5, bank: 1, status: 0x9000000000000000}
  - at: 2ms
    inject: {cpu: 0, bank: 1, status: 0x1}
  - at: 3xs
    cr4_mce: {cpu: 0, value: maybe}
expect:
  host: {outcome: exploded}
YAML
"$m" validate "$w/multi.yaml" > /dev/null 2> "$w/e"; rc=$?
[ "$rc" -eq 2 ] && ok || no "multi-error validate: exit $rc"
for at in 2:11 6:7 9:19 11:39 12:9 13:30 15:19; do
    grep -q "multi.yaml:$at: error:" "$w/e" && ok || no "validate missed the error at $at"
done
[ "$(grep -c ': error:' "$w/e")" -eq 7 ] && ok || no "validate: $(grep -c ': error:' "$w/e") errors, expected 7"

# ---- a failed expectation shows what was seen ---------------------------------
cat > "$w/seen.yaml" <<'YAML'
name: seen
platform: {hosts: [{cpus: 2}]}
events:
  - at: 1ms
    inject: {cpu: 0, bank: 7, status: 0xBD000000004000CF, addr: 0x180020, misc: 0x86}
expect:
  dom0_log: ["MEMORY CONTROLLER RD_CHANNEL0_ERR", not: "MEMORY"]
YAML
"$m" run -q "$w/seen.yaml" > "$w/t"; rc=$?
[ "$rc" -eq 1 ] && ok || no "failing expectation: exit $rc"
grep -q 'seen.yaml:7:14: dom0 log does not contain "MEMORY CONTROLLER RD_CHANNEL0_ERR"; nearest of its [0-9]* lines: "MCA: MEMORY CONTROLLER MS_CHANNELunspecified_ERR"' "$w/t" \
    && ok || no "missing text: nearest line not shown: $(cat "$w/t")"
grep -q 'seen.yaml:7:51: dom0 log contains "MEMORY": line [0-9]* of [0-9]*: "MCA: MEMORY CONTROLLER' "$w/t" \
    && ok || no "forbidden text: the line not shown"

# ---- JUnit, JSON identity ------------------------------------------------------
cat > "$w/ctl.yaml" <<'YAML'
name: ctl
platform: {hosts: [{cpus: 2}]}
expect:
  console: ["bad \x01\x1b[31m <&> \u00e9 end"]
YAML
"$m" run -q "$w/ctl.yaml" --junit "$w/ctl.xml" > /dev/null
if LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037]')" "$w/ctl.xml"; then no "JUnit holds raw control characters"; else ok; fi
grep -q 'console does not contain &quot;bad \\x01\\x1B\[31m &lt;&amp;&gt; é end&quot;' "$w/ctl.xml" && ok || no "JUnit text not escaped"
"$m" run -q -j 2 --junit "$w/sw.xml" --json "$scn/latency/cost-model-sweep.yaml" > "$w/sw.json" || no "sweep run failed"
[ "$(grep -c '<testcase classname="[^"]*latency" name="cost-model-sweep@[0-3]" file="[^"]*" time="[0-9]*\.[0-9]\{3\}"' "$w/sw.xml")" -eq 4 ] \
    && ok || no "JUnit: classname, name or time missing"
grep -q '"point":3,"params":"cost_model=sapphirerapids","completed":true,"mcasim_version":"[0-9.]*","mcasim_commit":"[0-9a-f]*\(-dirty\)\{0,1\}"}' "$w/sw.json" \
    && ok || no "JSON lacks the point, its parameters, the version or the commit"

# ---- progress --------------------------------------------------------------------
CI=1 MCASIM_PROGRESS_SECONDS=0.05 "$m" run -j 1 "$scn/basic" "$scn/latency" > /dev/null 2> "$w/e"
grep -q "^mcasim: [0-9]* of [0-9]* runs done, [0-9]* failed, [0-9]*s elapsed, about .* left$" "$w/e" && ok \
    || no "no progress line in a log"
CI=1 MCASIM_PROGRESS_SECONDS=0.05 "$m" run -q -j 1 "$scn/basic" "$scn/latency" > /dev/null 2> "$w/e"
[ ! -s "$w/e" ] && ok || no "-q still prints progress"
if command -v script > /dev/null 2>&1; then
    env -u CI script -qec "$m run -j 1 $scn/basic > /dev/null" /dev/null > "$w/tty" 2>&1
    grep -q '\[#*\.*\] [0-9]*/[0-9]*, [0-9]* failed, .* left' "$w/tty" && ok || no "no progress bar on a terminal"
fi

# ---- limits --------------------------------------------------------------------
"$m" run --max-wall 500ms "$w/long.yaml" > "$w/t"; rc=$?
[ "$rc" -eq 1 ] && grep -q '^long  *FAIL  *aborted  *limit: more than 0.500 s of wall-clock time' "$w/t" && ok \
    || no "--max-wall: exit $rc: $(cat "$w/t")"
cat > "$w/many.yaml" <<'YAML'
name: many
duration: 2s
platform: {hosts: [{cpus: 4}]}
events:
  - {at: 1ms, repeat: 1000000, every: 1us, inject: {cpu: 0, bank: 3, status: 0x9C0000000000009F, addr: 0x2345000, misc: 0x8C}}
expect: {host: {outcome: running}}
YAML
"$m" run --max-memory 100MiB --json "$w/many.yaml" > "$w/t"; rc=$?
[ "$rc" -eq 1 ] && grep -q '"outcome":"aborted","reason":"limit: [0-9.]* MiB resident, over 100.0 MiB (--max-memory)"' "$w/t" \
    && grep -q '"completed":false' "$w/t" && ok || no "--max-memory: exit $rc: $(head -c 300 "$w/t")"
"$m" run -q --max-wall 60s --max-memory 1GiB "$srao" > /dev/null && ok || no "a run within its limits failed"
"$m" run --max-wall 0s "$srao" > /dev/null 2>&1; [ $? -eq 2 ] && ok || no "--max-wall 0s accepted"

finish

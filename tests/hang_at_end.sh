#!/bin/sh
# A run whose duration ends while the #MC handlers are still at work is no
# hang: its host reads "running". A hang is every busy CPU spinning on a
# change no CPU will make (host_rt::report_hang, cpu_sc::spin_untimed).
#
# The SRAO of scenarios/basic/srao-patrol-scrub.yaml is broadcast to its 4
# CPUs at 1 ms; the full run gives the first handler_entry and the last
# handler_exit of that round, and the same scenario cut halfway between
# them must end with the handlers entered and not all left (the cut is
# mid-handling) and its host running. The rendezvous whose CPU never
# arrives (scenarios/rendezvous/stuck-cpu-no-timeout.yaml) still reads
# "hang", cut anywhere after it began; with that CPU's stall ending later,
# a cut before it ends reads running.
#
# Usage: hang_at_end.sh MCASIM SRCDIR
M=$1
SRC=$2
. "$(dirname "$0")/harness.sh"

# outcome RESULTS: the first host's outcome in a results.json
outcome() { sed -n 's/.*"hosts":\[{"name":"[^"]*","outcome":"\([a-z]*\)".*/\1/p' "$1"; }

scn=$SRC/scenarios/basic/srao-patrol-scrub.yaml
"$M" run -q "$scn" --trace "$w/full.jsonl" --results "$w/full" > /dev/null 2>&1
entry=$(grep -m1 '"stage":"handler_entry"' "$w/full.jsonl" | sed 's/^{"t_ps":\([0-9]*\).*/\1/')
exit_=$(grep '"stage":"handler_exit"' "$w/full.jsonl" | tail -1 | sed 's/^{"t_ps":\([0-9]*\).*/\1/')
[ -n "$entry" ] && [ -n "$exit_" ] && [ "$exit_" -gt "$entry" ] && ok ||
    no "no #MC round in $scn's trace (entry '$entry', exit '$exit_')"
[ "$(outcome "$w/full/results.json")" = running ] && ok || no "the full run's host is not running"

cut=$(((entry + exit_) / 2))
sed "s/^duration: .*/duration: ${cut}ps/" "$scn" > "$w/cut.yaml"
"$M" run -q "$w/cut.yaml" --trace "$w/cut.jsonl" --results "$w/cut" > /dev/null 2>&1
ne=$(grep -c '"stage":"handler_entry"' "$w/cut.jsonl")
nx=$(grep -c '"stage":"handler_exit"' "$w/cut.jsonl")
[ "$ne" -ge 1 ] && [ "$nx" -lt "$ne" ] && ok ||
    no "the run cut at ${cut} ps is not mid-handling: $ne handler entries, $nx exits"
got=$(outcome "$w/cut/results.json")
[ "$got" = running ] && ok || no "cut mid-handling at ${cut} ps, the host reads '$got', not running"

# the stuck rendezvous: a hang, whatever the cut after it began
hang=$SRC/scenarios/rendezvous/stuck-cpu-no-timeout.yaml
"$M" run -q "$hang" --trace "$w/hang.jsonl" --results "$w/hang" > /dev/null 2>&1
[ "$(outcome "$w/hang/results.json")" = hang ] && ok || no "$hang no longer reads hang"
first=$(grep -m1 '"stage":"handler_entry"' "$w/hang.jsonl" | sed 's/^{"t_ps":\([0-9]*\).*/\1/')
sed "s/^duration: .*/duration: $((first + 50000000))ps/" "$hang" > "$w/hang-cut.yaml"
"$M" run -q "$w/hang-cut.yaml" --results "$w/hang-cut" > /dev/null 2>&1
[ "$(outcome "$w/hang-cut/results.json")" = hang ] && ok || no "stuck-cpu-no-timeout cut 50 us into it does not read hang"

# the same rendezvous with CPU 7's stall ending at 10.5 ms: the whole run
# completes it (running), and so a run cut at 5 ms, while CPU 7's #MC
# waits behind the stall, is on its way too, not hung
sed 's/    stall: {cpu: 7}/    stall: {cpu: 7, for: 10ms}/' "$hang" > "$w/finite.yaml"
grep -q 'for: 10ms' "$w/finite.yaml" && ok || no "could not give $hang a finite stall"
"$M" run -q "$w/finite.yaml" --results "$w/finite" > /dev/null 2>&1
[ "$(outcome "$w/finite/results.json")" = running ] && ok || no "a 10 ms stall: the whole run does not read running"
sed 's/^duration: .*/duration: 5ms/' "$w/finite.yaml" > "$w/finite-cut.yaml"
"$M" run -q "$w/finite-cut.yaml" --results "$w/finite-cut" > /dev/null 2>&1
got=$(outcome "$w/finite-cut/results.json")
[ "$got" = running ] && ok || no "cut at 5 ms, before CPU 7's stall ends, the host reads '$got', not running"
finish

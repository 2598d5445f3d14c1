#!/bin/sh
# `mcasim report` end to end. A generated latency.csv (2 scenarios x 2
# parameter sets x 3 CPU counts, a mix of classes, a deterministic LCG)
# must give every plot as PNG and SVG with its data and script,
# summary.csv whose percentiles match a nearest-rank computed here by
# sort(1), and an index.html holding the tables; the data and tables must
# be byte-identical between two runs. Bad input exits 2 naming FILE:LINE;
# no gnuplot exits 3 after writing everything else. The hand-written
# migration.csv of tests/data/report must give the migration plot and
# tables (alone, next to latency rows, and as a single point). With
# SCENARIOS_DIR, the results of a real `mcasim run --results` sweep (and of
# migration scenarios) must report cleanly too.
# Usage: report_smoke.sh MCASIM [SCENARIOS_DIR]
set -u
m=$1 scn=${2:-}
fixture=$(cd "$(dirname "$0")" && pwd)/data/report/migration.csv
. "$(dirname "$0")/harness.sh"

# gen_csv: scenario,point,params,cpus,error,class,stage,latency_ns rows for
# two scenarios, each swept over a rendezvous policy and the CPU count.
gen_csv() {
    awk 'BEGIN {
        seed = 12345
        print "scenario,point,params,cpus,error,class,stage,latency_ns"
        ns = split("broadcast-srao mixed-srar", scen, " ")
        np = split("rendezvous=xen;timeout=0 rendezvous=linux;timeout=1ms", pol, " ")
        nc = split("4 16 64", cpus, " ")
        for (s = 1; s <= ns; s++) {
            point = 0
            for (p = 1; p <= np; p++)
                for (c = 1; c <= nc; c++) {
                    for (e = 1; e <= 40; e++)
                        error_rows(scen[s], point, pol[p] ";cpus=" cpus[c], cpus[c] + 0, e, class_of(s), p)
                    point++
                }
        }
    }
    # Park-Miller: products stay below 2^53, so every awk gets the same numbers.
    function u() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
    function class_of(s,  x) {
        x = u()
        if (s == 1) return x < 0.7 ? "srao" : (x < 0.9 ? "corrected" : "ucna")
        return x < 0.8 ? "srar" : (x < 0.9 ? "fatal" : "corrected")
    }
    function row(sc, pt, pa, n, e, cl, st, v) {
        printf "%s,%d,%s,%d,%d,%s,%s,%.3f\n", sc, pt, pa, n, e, cl, st, v
        total += v
    }
    function error_rows(sc, pt, pa, n, e, cl, pol,  bcast) {
        total = 0
        bcast = cl == "srao" || cl == "srar" || cl == "fatal"
        if (bcast) row(sc, pt, pa, n, e, cl, "signal", 80 + 40 * u())
        else if (cl == "corrected") row(sc, pt, pa, n, e, cl, "signal", 1e7 * u())   # polled: up to 10 ms
        else row(sc, pt, pa, n, e, cl, "signal", 1500 + 1000 * u())                # CMCI
        if (bcast) row(sc, pt, pa, n, e, cl, "rendezvous",
                       (pol == 1 ? 50 : 30) * n * (0.5 + u()) + (pol == 2 && u() < 0.05 ? 2000 * n : 0))
        row(sc, pt, pa, n, e, cl, "logout", bcast ? 500 + 300 * n * u() : 800 + 200 * u())
        row(sc, pt, pa, n, e, cl, "grade", 250 + 60 * u())
        if (cl != "fatal") {
            if (bcast) row(sc, pt, pa, n, e, cl, "verdict", 1500 + 3000 * u() + 20 * n)
            if (bcast) row(sc, pt, pa, n, e, cl, "deferred", 700 + 100 * u())
            row(sc, pt, pa, n, e, cl, "notify", 10 + 5 * u())
            row(sc, pt, pa, n, e, cl, "dom0", 3500 + 800 * u())
        }
        printf "%s,%d,%s,%d,%d,%s,end_to_end,%.3f\n", sc, pt, pa, n, e, cl, total
    }'
}

mkdir -p "$w/res"
gen_csv > "$w/res/latency.csv"
[ "$(wc -l < "$w/res/latency.csv")" -gt 1000 ] && ok || no "generator wrote too few rows"

# ---- a full report ----
"$m" report "$w/res" -o "$w/rep" > "$w/out" 2> "$w/err"; rc=$?
have_gnuplot=1
if [ "$rc" -eq 3 ] && grep -q "gnuplot not found" "$w/err"; then
    echo "note: gnuplot not installed: images not checked"; have_gnuplot=0
elif [ "$rc" -ne 0 ]; then
    no "report exit $rc"; cat "$w/err"
else
    ok
fi
for f in cdf hist breakdown cpus policy; do
    exts="dat gp"
    [ $have_gnuplot -eq 1 ] && exts="dat gp png svg"
    for e in $exts; do
        [ -s "$w/rep/$f.$e" ] && ok || no "missing or empty $f.$e"
    done
done
for f in summary.csv index.html; do [ -s "$w/rep/$f" ] && ok || no "missing or empty $f"; done
[ $have_gnuplot -eq 0 ] || grep -q 'src="data:image/png;base64,' "$w/rep/index.html" && ok || no "index.html embeds no image"

# index.html holds the tables, summary.csv one row per run and stage
for pat in '<table>' '<th class="k">stage</th>' 'mixed-srar' 'rendezvous=linux;timeout=1ms;cpus=64' \
           'nearest-rank' '<td class="k">end_to_end</td>'; do
    grep -qF -- "$pat" "$w/rep/index.html" && ok || no "index.html lacks $pat"
done
head -1 "$w/rep/summary.csv" | grep -qx 'scenario,cpus,params,stage,count,p50_us,p90_us,p99_us,max_us,mean_us' \
    && ok || no "summary.csv header: $(head -1 "$w/rep/summary.csv")"
want_rows=$(awk -F, 'NR > 1 && !(($1 FS $4 FS $3 FS $7) in k) { k[$1 FS $4 FS $3 FS $7] = 1; n++ } END { print n }' "$w/res/latency.csv")
got_rows=$(($(wc -l < "$w/rep/summary.csv") - 1))
[ "$got_rows" -eq "$want_rows" ] && ok || no "summary.csv has $got_rows rows, expected $want_rows"

# nearest-rank percentiles, recomputed with sort(1) for one run and stage
key='mixed-srar,0,rendezvous=xen;timeout=0;cpus=4'
grep -F "$key" "$w/res/latency.csv" | awk -F, '$7 == "end_to_end" { print $8 }' | sort -g > "$w/vals"
n=$(wc -l < "$w/vals")
pick() { sed -n "$(( ($1 * n + 99) / 100 ))p" "$w/vals" | awk '{ printf "%.3f", $1 / 1000 }'; }
want="mixed-srar,4,rendezvous=xen;timeout=0;cpus=4,end_to_end,$n,$(pick 50),$(pick 90),$(pick 99),$(pick 100),"
grep -qF "$want" "$w/rep/summary.csv" && ok || no "summary.csv lacks '$want'"

# data and tables are deterministic
"$m" report -q "$w/res/latency.csv" -o "$w/rep2" > /dev/null 2>&1
for f in summary.csv cdf.dat hist.dat breakdown.dat cpus.dat policy.dat cdf.gp policy.gp; do
    cmp -s "$w/rep/$f" "$w/rep2/$f" && ok || no "$f differs between two runs"
done

# skipped plots are explained: one CPU count, one parameter set
awk -F, 'NR == 1 || ($4 == 16 && $3 ~ /xen/)' "$w/res/latency.csv" > "$w/one.csv"
"$m" report -q "$w/one.csv" -o "$w/rep3" > /dev/null 2>&1
grep -q "Not drawn: the srao, srar and fatal errors of the results ran at a single CPU count" \
    "$w/rep3/index.html" && ok || no "no note for the skipped cpus plot"
grep -q "Not drawn: no scenario ran under two or more parameter sets" "$w/rep3/index.html" \
    && ok || no "no note for the skipped policy plot"
[ ! -e "$w/rep3/cpus.gp" ] && ok || no "a skipped plot left a script"

# ---- bad input: exit 2, FILE:LINE ----
check() { # name, expected status, pattern on stderr, command...
    name=$1 want=$2 pat=$3; shift 3
    "$@" > "$w/out" 2> "$w/err"; rc=$?
    if [ "$rc" -ne "$want" ]; then no "$name: exit $rc, expected $want"; cat "$w/err"; return; fi
    grep -qF -- "$pat" "$w/err" && ok || { no "$name: stderr lacks '$pat'"; cat "$w/err"; }
}
hdr='scenario,point,params,cpus,error,class,stage,latency_ns'
printf '%s\nx,0,,4,1,srao,signal,10\nx,0,,4,1,srao,nowhere,1\n' "$hdr" > "$w/stage.csv"
printf 'scenario,point,cpus\nx,0,4\n' > "$w/header.csv"
printf '%s\nx,0,,4,1,srao,signal,10\n\nx,0,,four,1,srao,signal,10\n' "$hdr" > "$w/cpus.csv"
printf '%s\nx,0,,4,1,srao,signal\n' "$hdr" > "$w/fields.csv"
printf '%s\nx,0,,4,1,srao,signal,-3\n' "$hdr" > "$w/negative.csv"
printf '%s\nx,0,,4,1,srao,signal,nan\n' "$hdr" > "$w/nan.csv"
printf '%s\nx,0,,4,1,warm,signal,1\n' "$hdr" > "$w/class.csv"
printf '%s\n' "$hdr" > "$w/empty.csv"
: > "$w/zero.csv"
mkdir -p "$w/nofile"
check bad-stage 2 "stage.csv:3: error: column 7 (stage): unknown stage 'nowhere'" "$m" report "$w/stage.csv" -o "$w/x"
check bad-header 2 "header.csv:1: error: not a latency CSV" "$m" report "$w/header.csv" -o "$w/x"
check bad-cpus 2 "cpus.csv:4: error: column 4 (cpus): 'four'" "$m" report "$w/cpus.csv" -o "$w/x"
check bad-fields 2 "fields.csv:2: error: expected 8 comma-separated fields, found 7" \
    "$m" report "$w/fields.csv" -o "$w/x"
check negative 2 "negative.csv:2: error: column 8 (latency_ns): negative latency" "$m" report "$w/negative.csv" -o "$w/x"
check nan 2 "nan.csv:2: error: column 8 (latency_ns): 'nan' is not a decimal number" "$m" report "$w/nan.csv" -o "$w/x"
check bad-class 2 "class.csv:2: error: column 6 (class): unknown class 'warm'" "$m" report "$w/class.csv" -o "$w/x"
check header-only 2 "no latency rows" "$m" report "$w/empty.csv" -o "$w/x"
check zero-bytes 2 "zero.csv:1: error: empty file" "$m" report "$w/zero.csv" -o "$w/x"
check missing 2 "$w/none.csv: error: cannot open" "$m" report "$w/none.csv" -o "$w/x"
check no-latency-csv 2 "no latency.csv in this folder" "$m" report "$w/nofile" -o "$w/x"
check second-bad 2 "stage.csv:3:" "$m" report "$w/res" "$w/stage.csv" -o "$w/x"
check no-output 2 "-o DIR is required" "$m" report "$w/res"
check no-input 2 "no RESULTS given" "$m" report -o "$w/x"
check bad-option 2 "Try 'mcasim report --help'" "$m" report --frob "$w/res" -o "$w/x"
check bad-templates 2 "cannot read template" "$m" report "$w/res" -o "$w/x2" --templates "$w/nofile"
printf 'x' > "$w/file"
check output-is-file 2 "cannot create" "$m" report "$w/res" -o "$w/file/sub"

# ---- help ----
"$m" report --help > "$w/out" && grep -q -- "--templates DIR" "$w/out" && grep -q "reports" "$w/out" \
    && ok || no "report --help lacks the templates folder"
"$m" help report > "$w/out" && grep -q "nearest-rank" "$w/out" && ok || no "help report"
"$m" --help | grep -q "report" && ok || no "top-level help lacks report"

# ---- no gnuplot: exit 3, everything but the images written ----
m_abs=$(cd "$(dirname "$m")" && pwd)/$(basename "$m")
(PATH=/nonexistent "$m_abs" report "$w/res" -o "$w/nogp" > /dev/null 2> "$w/err"); rc=$?
[ "$rc" -eq 3 ] && grep -q "gnuplot not found: install gnuplot-nox" "$w/err" && ok || no "no gnuplot: exit $rc"
[ -s "$w/nogp/index.html" ] && [ -s "$w/nogp/cdf.dat" ] && [ -s "$w/nogp/cdf.gp" ] && [ -s "$w/nogp/summary.csv" ] \
    && [ ! -e "$w/nogp/cdf.png" ] && ok || no "no gnuplot: outputs"
grep -q "Not rendered: gnuplot was not found" "$w/nogp/index.html" && ok || no "no gnuplot: index note"

# ---- migrations: the hand-written migration.csv ----
mkdir -p "$w/mig"
cp "$fixture" "$w/mig/migration.csv"
"$m" report "$w/mig" -o "$w/mrep" > "$w/out" 2> "$w/err"; rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 -a $have_gnuplot -eq 0 ] && ok || { no "migration report exit $rc"; cat "$w/err"; }
grep -q "report: $w/mrep/index.html (0 latency rows from 0 runs, 11 migrations)" "$w/out" && ok || no "migration summary line"
exts="dat gp"
[ $have_gnuplot -eq 1 ] && exts="dat gp png svg"
for e in $exts; do [ -s "$w/mrep/migration.$e" ] && ok || no "missing or empty migration.$e"; done
[ ! -e "$w/mrep/cdf.gp" ] && ok || no "a migration-only report drew latency plots"
head -1 "$w/mrep/migration_table.csv" | grep -qx \
    'scenario,point,params,x_param,x_unit,x,domain,from,to,outcome,case,iterations,rechecks,pages_lost,needless_broken,downtime_us' \
    && ok || no "migration_table.csv header"
[ "$(wc -l < "$w/mrep/migration_table.csv")" -eq "$(wc -l < "$fixture")" ] && ok || no "migration_table.csv: a row per migration"
grep -qx 'mce-during-migration,1,events.1.at=1250us,events.1.at,ms,1.25,1,0,1,success,live,5,0,0,0,500.000' \
    "$w/mrep/migration_table.csv" && ok || no "migration_table.csv: 1250us as 1.25 ms"
grep -qx 'mce-during-migration,6,0,0,4,1,0,0,0,1' "$w/mrep/migration_outcomes.csv" && ok || no "migration_outcomes.csv counts"
grep -q '^1.75 ' "$w/mrep/migration.dat" && grep -q '^# policy-2d \[mig_on_vmce=abort\]: x (events.2.at (ms))' \
    "$w/mrep/migration.dat" && grep -q '^# runs without a sweep' "$w/mrep/migration.dat" && ok || no "migration.dat panels"
for pat in '<h2 id="migration">' '<h2 id="migration-table">' 'events.1.at=1750us' 'data_loss' 'B.II' \
           'mig_on_vmce=abort' 'caps-refused' 'mcasim migration report'; do
    grep -qF -- "$pat" "$w/mrep/index.html" && ok || no "index.html lacks $pat"
done
! grep -q 'id="table"' "$w/mrep/index.html" && ok || no "a migration-only index.html has a latency table"
# spans: points 0 and 1 (success, live, nothing lost) are one line of the sweep
grep -qF '<td>1 ms</td><td>1.25 ms</td><td>2</td><td>1</td><td class="k">success</td><td class="k">live</td>' \
    "$w/mrep/index.html" && ok || no "index.html: spans along the sweep"
grep -qF '<th>needless broken</th>' "$w/mrep/index.html" && ok || no "index.html: needless broken column"
# a case row per case below the outcome rows: seven columns, tics "case: ..."
awk '!/^#/ && NF && NF != 7 { bad = 1 } END { exit bad }' "$w/mrep/migration.dat" && ok \
    || no "migration.dat: seven columns"
grep -qF '"case: B.II"' "$w/mrep/migration.gp" && grep -qF '"case: none"' "$w/mrep/migration.gp" && ok \
    || no "migration.gp: case rows"
"$m" report -q "$fixture" -o "$w/mrep2" > /dev/null 2>&1
for f in migration.dat migration.gp migration_table.csv migration_outcomes.csv; do
    cmp -s "$w/mrep/$f" "$w/mrep2/$f" && ok || no "$f differs between two runs"
done
# next to latency rows: both sections
"$m" report -q "$w/res" "$fixture" -o "$w/both" > /dev/null 2>&1
grep -q 'id="cdf"' "$w/both/index.html" && grep -q 'id="migration"' "$w/both/index.html" \
    && [ -s "$w/both/migration.dat" ] && [ -s "$w/both/cdf.dat" ] && ok || no "latency and migration in one report"
# a single point still makes a plot
head -3 "$fixture" | sed 2d > "$w/one.csv"
"$m" report -q "$w/one.csv" -o "$w/mone" > /dev/null 2>&1
[ -s "$w/mone/migration.dat" ] && { [ $have_gnuplot -eq 0 ] || [ -s "$w/mone/migration.png" ]; } && ok \
    || no "single migration: no plot"
# bad migration rows and header-only inputs
mhdr=$(head -1 "$fixture")
printf '%s\nx,0,,1,0,1,fine,,1,0,1,0,0,0,,,,\n' "$mhdr" > "$w/outcome.csv"
check bad-outcome 2 "outcome.csv:2: error: column 7 (outcome): unknown outcome 'fine'" \
    "$m" report "$w/outcome.csv" -o "$w/x"
mkdir -p "$w/headers"
printf '%s\n' "$hdr" > "$w/headers/latency.csv"
printf '%s\n' "$mhdr" > "$w/headers/migration.csv"
check headers-only 2 "no latency rows and no migration rows" "$m" report "$w/headers" -o "$w/x"

# ---- real results from a sweep, when the scenarios are there ----
sweep="$scn/latency/broadcast-cpus-sweep.yaml"
if [ -n "$scn" ] && [ -f "$sweep" ] && [ $have_gnuplot -eq 1 ]; then
    "$m" run -q -j 2 --results "$w/real" "$sweep" "$scn/latency/cost-model-sweep.yaml" > /dev/null 2>&1
    "$m" report -q "$w/real" -o "$w/realrep" 2> "$w/err" && [ -s "$w/realrep/cpus.png" ] && ok \
        || { no "report of real sweep results"; cat "$w/err"; }
fi
if [ -n "$scn" ] && [ -f "$scn/migration/case-a.yaml" ] && [ $have_gnuplot -eq 1 ]; then
    "$m" run -q -j 2 --results "$w/realmig" "$scn/migration/case-a.yaml" "$scn/migration/hetero-refuse.yaml" \
        > /dev/null 2>&1
    [ "$(wc -l < "$w/realmig/migration.csv")" -eq 3 ] && ok || no "migration.csv of two migration scenarios"
    "$m" report -q "$w/realmig" -o "$w/realmigrep" 2> "$w/err" && [ -s "$w/realmigrep/migration.png" ] \
        && grep -q '^case-a,' "$w/realmigrep/migration_table.csv" && ok \
        || { no "report of real migration results"; cat "$w/err"; }
fi

finish

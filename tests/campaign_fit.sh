#!/bin/sh
# mcasim campaign with FIT tables (docs/CAMPAIGNS.md, "FIT tables"): a
# fleet entry's own table and the whole campaign's; a table of zeros gives
# hosts where nothing happens; the jaguar table, by name or as a CSV file,
# gives the rows of the same hosts without a campaign table, byte for
# byte; a table for a host scenario without field rates, and a bad CSV
# row, are errors that say where; --host re-runs a host with its table.
# Usage: campaign_fit.sh MCASIM SRCDIR
set -u
M=$1
SRC=$2
. "$SRC/tests/harness.sh"
C=$SRC/tests/campaign

"$M" campaign "$C/small.yaml" -q -j2 -o "$w/small" && ok || no "the small campaign"
"$M" campaign "$C/fit.yaml" -q -j2 -o "$w/fit" && ok || no "the campaign with FIT tables"

# hosts 6..11 (entry 2, table: jaguar): small.yaml's rows of those hosts
awk -F, 'NR > 1 && $2 >= 6' "$w/small/hosts.csv" > "$w/small-6.csv"
awk -F, 'NR > 1 && $2 >= 6' "$w/fit/hosts.csv" > "$w/fit-6.csv"
[ "$(wc -l < "$w/fit-6.csv")" -eq 12 ] && cmp -s "$w/small-6.csv" "$w/fit-6.csv" && ok ||
    no "hosts 6..11 with table: jaguar differ from small.yaml's"
# some of those hosts have events, so the zeros below say something
awk -F, '{ for (i = 6; i <= NF; i++) s += $i } END { exit !(s > 0) }' "$w/fit-6.csv" && ok ||
    no "the jaguar hosts had no event at all"
# hosts 0..5 (the campaign's table of zeros): done, running, every count 0
awk -F, 'NR > 1 && $2 < 6 { n++; if ($4 != "done" || $5 != "running") bad = 1
    for (i = 6; i <= NF; i++) if ($i != 0) bad = 1 } END { exit bad || n != 12 }' "$w/fit/hosts.csv" && ok ||
    no "hosts with zero FIT had events"

# --host re-runs a host with its entry's table: its row of hosts.csv
for h in 1 7; do   # 1: zero FIT (jaguar shuts it down); 7: jaguar, with events
    "$M" campaign "$C/fit.yaml" --host $h --policy linux-6 > "$w/one.csv" 2> /dev/null &&
        [ "$(tail -n 1 "$w/one.csv")" = "$(grep "^linux-6,$h," "$w/fit/hosts.csv")" ] && ok ||
        no "--host $h differs from its row"
done

# the jaguar table as a CSV beside a campaign file: small.yaml's hosts.csv
cat > "$w/jaguar.csv" <<'CSV'
mode,transient,permanent
single-bit,14.2,18.6
single-word,1.4,0.3
single-column,1.4,5.6
single-row,0.2,8.2
single-bank,0.8,10.0
multi-bank,0.3,1.4
multi-rank,0.9,2.8
CSV
sed "s|^  - {scenario: small-host.yaml|  - {scenario: $C/small-host.yaml|; s|^seed: 7|seed: 7\nfield_rates: {fit_file: jaguar.csv}|" \
    "$C/small.yaml" > "$w/csv.yaml"
"$M" campaign "$w/csv.yaml" -q -j2 -o "$w/csv" && cmp -s "$w/small/hosts.csv" "$w/csv/hosts.csv" && ok ||
    no "the jaguar table as CSV differs from the built-in one"

# errors: a table for a host scenario that draws no field-rate faults
printf 'name: plain\nplatform: {hosts: [{cpus: 1}]}\n' > "$w/plain.yaml"
printf 'name: e\nfleet:\n  - {scenario: plain.yaml, count: 1, field_rates: {table: jaguar}}\npolicies: [{name: xen}]\n' \
    > "$w/e1.yaml"
"$M" campaign "$w/e1.yaml" -q -o "$w/e1" 2> "$w/err"; rc=$?
[ $rc -eq 2 ] && grep -q "e1.yaml:3:51: the FIT table changes nothing for fleet entry 1" "$w/err" && ok ||
    { no "a table for a scenario without field rates: exit $rc"; cat "$w/err"; }
# a bad CSV row: the campaign's position and the CSV's
printf 'mode,transient,permanent\nsingle-bit,1,x\n' > "$w/bad.csv"
sed 's|jaguar.csv|bad.csv|' "$w/csv.yaml" > "$w/e2.yaml"
"$M" campaign "$w/e2.yaml" -q -o "$w/e2" 2> "$w/err"; rc=$?
[ $rc -eq 2 ] && grep -q "e2.yaml:[0-9]*:[0-9]*: 'fit_file': .*bad.csv:2:14: permanent FIT 'x' of single-bit is not a number" \
    "$w/err" && ok || { no "a bad CSV row: exit $rc"; cat "$w/err"; }
finish

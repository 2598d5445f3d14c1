#!/bin/sh
# index.html of a report works in a browser: loaded by headless Chromium
# (skipped, exit 77, when none is installed), its script runs, every table
# with headings gets a filter box, the run table sorts by a column
# (#sort=runs:1:desc: cpus, descending, blocks unfolded so every row
# stands alone) and filters (#filter=runs:end_to_end keeps a row per run),
# and the page says how many runs each plot shows.
# Usage: report_html.sh MCASIM SCENARIOS_DIR
set -u
m=$1 scn=$2
browser=""
for b in chromium chromium-browser google-chrome; do
    command -v "$b" > /dev/null 2>&1 && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "no headless Chromium installed: skipped"; exit 77; }
. "$(dirname "$0")/harness.sh"

"$m" run -q -j 2 --results "$w/res" "$scn/latency/broadcast-cpus-sweep.yaml" > /dev/null || no "run failed"
"$m" report -q "$w/res" -o "$w/rep" || no "report failed"
dom() { # the page's DOM once its script ran, for the hash $1
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$w/rep/index.html#$1" 2> /dev/null
}
dom "sort=runs:1:desc" > "$w/sorted.html"
grep -q 'data-tables-ready="[1-9]' "$w/sorted.html" && ok || no "the page's script did not run"
[ "$(grep -c 'input type="search"[^>]*class="filter"' "$w/sorted.html")" -ge 2 ] && ok || no "no filter boxes"
grep -q '<table id="runs"[^>]*data-sorted="1:desc"' "$w/sorted.html" && ok || no "run table not sorted"
# the run table's rows, in page order: their cpus column
sed -n '/<table id="runs"/,/<\/table>/p' "$w/sorted.html" | grep -o '<tr[^>]*><td class="k[^"]*">broadcast-cpus-sweep</td><td[^>]*>[0-9]*</td>' \
    | sed 's/.*>\([0-9]*\)<\/td>$/\1/' > "$w/cpus"
[ "$(head -1 "$w/cpus")" = 256 ] && [ "$(tail -1 "$w/cpus")" = 1 ] && ok \
    || no "sorted by cpus descending: first $(head -1 "$w/cpus"), last $(tail -1 "$w/cpus")"
sort -rn "$w/cpus" | cmp -s - "$w/cpus" && ok || no "rows not in descending cpus order"
dom "filter=runs:end_to_end" > "$w/filtered.html"
shown=$(sed -n '/<table id="runs"/,/<\/table>/p' "$w/filtered.html" | grep -c '<tr[^>]*><td' )
hidden=$(sed -n '/<table id="runs"/,/<\/table>/p' "$w/filtered.html" | grep -c '<tr[^>]*style="display: none;"')
[ $((shown - hidden)) -eq 9 ] && ok || no "filter end_to_end: $((shown - hidden)) rows shown, expected 9 (one per run)"
grep -q 'class="count">9 of [0-9]* rows' "$w/filtered.html" && ok || no "filter count not shown"
grep -q 'It shows all 9 runs of the results' "$w/sorted.html" && ok || no "no run count under the plots"
finish

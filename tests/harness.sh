# Sourced by the shell tests: a scratch folder $w removed on exit, and the
# pass/fail count: `check && ok || no "what failed"`, then `finish` (exit
# status 0 only when nothing failed).
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { echo "FAIL: $*"; fails=$((fails+1)); }
finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}

# same_outputs NAME A B: run folders A and B (--res A/res, --console,
# --mcelog, the table) hold the same latency.csv, points.csv, console,
# mcelog and table, and the same results.json less its trace_events count
# (left in A.r and B.r).
same_outputs() {
    for f in res/latency.csv res/points.csv console mcelog table; do
        cmp -s "$2/$f" "$3/$f" && ok || no "$1: $f differs"
    done
    sed 's/"trace_events":[0-9]*,//' "$2/res/results.json" > "$2.r"
    sed 's/"trace_events":[0-9]*,//' "$3/res/results.json" > "$3.r"
    cmp -s "$2.r" "$3.r" && ok || no "$1: results.json differs: $(diff "$2.r" "$3.r" | cut -c1-300 | head -4)"
}

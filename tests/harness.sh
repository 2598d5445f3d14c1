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

#!/bin/sh
# The oracle's docs stay true: docs/XEN-CONFORMANCE.md ("Known deviations
# from real Xen (oracle)") links every case's deviation file and names each
# section it marks, and links no file that is gone; oracle/README.md holds
# exactly the tables `mcasim oracle --rules` prints.
# Usage: oracle_docs.sh MCASIM SOURCE_DIR
set -u
m=$1 src=$2
doc=$src/docs/XEN-CONFORMANCE.md readme=$src/oracle/README.md
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$src"/tests/oracle/*/*.deviation; do
    tc=${f#"$src"/tests/oracle/}; tc=${tc%.deviation}
    grep -o "\[$tc\](\.\./tests/oracle/$tc\.deviation): [^;|]*" "$doc" >"$tmp/rows"
    if [ ! -s "$tmp/rows" ]; then
        echo "FAIL: $doc does not link $tc.deviation"; fails=$((fails+1)); continue
    fi
    grep -v '^#' "$f" | grep -v '^[[:space:]]*$' | cut -d'|' -f1 | sed 's/[[:space:]]*$//' | while read -r sec; do
        grep -qF "$sec" "$tmp/rows" || { echo "FAIL: $doc does not name section '$sec' of $tc"; echo x >>"$tmp/bad"; }
    done
done
grep -o '\.\./tests/oracle/[^)]*\.deviation' "$doc" | sort -u | while read -r link; do
    [ -f "$src/docs/$link" ] || { echo "FAIL: $doc links $link, which does not exist"; echo x >>"$tmp/bad"; }
done
[ -f "$tmp/bad" ] && fails=$((fails + $(wc -l <"$tmp/bad")))

"$m" oracle --rules >"$tmp/rules" || { echo "FAIL: mcasim oracle --rules"; fails=$((fails+1)); }
sed -n '/^<!-- mcasim oracle --rules: begin -->$/,/^<!-- mcasim oracle --rules: end -->$/p' "$readme" |
    sed '1d;$d' >"$tmp/readme-rules"
if ! cmp -s "$tmp/rules" "$tmp/readme-rules"; then
    echo "FAIL: $readme's rules differ from mcasim oracle --rules (paste its output between the markers):"
    diff "$tmp/readme-rules" "$tmp/rules" | head -20
    fails=$((fails+1))
fi
echo "$fails failed"
[ "$fails" -eq 0 ]

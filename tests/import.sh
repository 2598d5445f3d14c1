#!/bin/sh
# One input of a real injector (tests/import/*): run as it is, it gives
# the host outcome and first record class its "mcasim-expect:" comment
# states (the comment below it says why, from the SDM and Xen's source);
# imported and run as YAML, it gives byte for byte the same results but for
# the file name; and --from with its format reads it the same way.
# Usage: import.sh MCASIM FILE FORMAT
set -u
m=$1 f=$2 fmt=$3
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
fails=0
no() { echo "FAIL: $(basename "$f"): $*"; fails=$((fails+1)); }

want=$(sed -n 's/^# mcasim-expect: host \([a-z]*\), first record \([a-z]*\)$/\1 \2/p' "$f")
[ -n "$want" ] || { echo "FAIL: $f has no '# mcasim-expect: host OUTCOME, first record CLASS' line"; exit 1; }
set -- $want
outcome=$1 class=$2

"$m" run -q --json "$f" > "$w/direct.json" 2> "$w/err"
grep -q '^\[$' "$w/direct.json" || no "no JSON: $(cat "$w/err")"
got_outcome=$(sed -n 's/.*"hosts":\[{"name":"[^"]*","outcome":"\([a-z]*\)".*/\1/p' "$w/direct.json")
got_class=$(sed -n 's/.*"records":\[{[^}]*"class":"\([a-z]*\)".*/\1/p' "$w/direct.json")
grep -q '"records":\[\]' "$w/direct.json" && got_class=none
[ "$got_outcome" = "$outcome" ] || no "host outcome $got_outcome, expected $outcome"
[ "$got_class" = "$class" ] || no "first record class ${got_class:-?}, expected $class"

# the round trip: import, run the YAML, same results but for "file"
"$m" import "$f" > "$w/imported.yaml" || no "import failed"
"$m" run -q --json "$w/imported.yaml" > "$w/yaml.json" 2> /dev/null
sed 's/"file":"[^"]*"//' "$w/direct.json" > "$w/a"
sed 's/"file":"[^"]*"//' "$w/yaml.json" > "$w/b"
cmp -s "$w/a" "$w/b" || no "its import gives other results: $(diff "$w/a" "$w/b" | head -c 400)"

# --from forces the format detection found
"$m" run -q --json --from "$fmt" "$f" > "$w/from.json" 2> /dev/null
cmp -s "$w/direct.json" "$w/from.json" || no "--from $fmt reads it otherwise"
"$m" validate "$f" > /dev/null 2>&1 || no "validate refuses it"

[ "$fails" -eq 0 ] && echo "$(basename "$f"): host $outcome, first record $class; its import runs the same"
[ "$fails" -eq 0 ]

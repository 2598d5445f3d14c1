#!/bin/bash
# oracle/record.sh [CASE.yaml ...]: re-record committed oracle cases (slow:
# two QEMU boots per case, one after the other). Default: every
# tests/oracle/<target>/<case>.yaml. Each case runs twice; the transcript
# is written next to the case (<case>.transcript) when both runs agree,
# else both are kept as <case>.transcript.run1/.run2 and the case is
# listed as unstable (exit 1). The raw logs of the last runs are kept in
# $MCASIM_ORACLE_CACHE/raw/<target>/<case>/run{1,2}.
set -uo pipefail
# --render: no QEMU; render both kept raw runs again (after a change of
# the normalization) and compare them as a recording would.
render=0
if [ "${1:-}" = --render ]; then
	render=1
	shift
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache=${MCASIM_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcasim-oracle}
if [ $# -eq 0 ]; then
	set -- tests/oracle/*/*.yaml
fi
if [ -x build/sim/mcasim ]; then
	build/sim/mcasim validate "$@" > /dev/null || { echo "record.sh: a case does not validate" >&2; exit 2; }
else
	echo "record.sh: build/sim/mcasim not built: cases not validated (scripts/build.sh)" >&2
fi
unstable=()
for case in "$@"; do
	case=${case#"$root"/}
	target=$(basename "$(dirname "$case")")
	name=$(basename "$case" .yaml)
	out=${case%.yaml}.transcript
	raw=$cache/raw/$target/$name
	[ $render = 1 ] || rm -rf "$raw"
	echo "== $target/$name"
	ok=1
	for run in 1 2; do
		if [ $render = 1 ]; then
			oracle/run-case.sh --render "$target" "$raw/run$run" > "$out.run$run" || { ok=0; break; }
		elif ! oracle/run-case.sh "$target" "$case" -o "$out.run$run" --raw "$raw/run$run"; then
			ok=0
			break
		fi
	done
	if [ $ok = 1 ] && cmp -s "$out.run1" "$out.run2"; then
		mv "$out.run1" "$out" && rm -f "$out.run2"
		echo "   $(sed -n '/^== outcome/{n;p}' "$out")"
	else
		unstable+=("$target/$name")
		[ -f "$out.run1" ] && [ -f "$out.run2" ] && diff "$out.run1" "$out.run2" | head -20
		echo "   UNSTABLE or failed: $out.run1 / $out.run2 kept"
	fi
done
if [ ${#unstable[@]} -gt 0 ]; then
	echo "record.sh: ${#unstable[@]} case(s) differ between runs or failed: ${unstable[*]}" >&2
	exit 1
fi
echo "record.sh: all $# case(s) recorded, each identical in two runs"

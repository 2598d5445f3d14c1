#!/bin/sh
# `cmake --install` into a temporary prefix gives a working mcasim (and
# the simulator it execs, libexec/mcasim/mcasim-sim): the
# binary runs a scenario and an injector's input, finds its report
# templates beside itself (share/mcasim/reports, not the source tree; the
# prefix is moved to prove it), and comes with its man page (from --help
# and each subcommand's) and bash completion.
# Usage: install.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
. "$(dirname "$0")/harness.sh"

cmake --install "$build" --prefix "$w/prefix" > "$w/install.log" 2>&1 || { cat "$w/install.log"; echo "FAIL: cmake --install"; exit 1; }
mv "$w/prefix" "$w/moved"
p=$w/moved
for f in bin/mcasim libexec/mcasim/mcasim-sim share/man/man1/mcasim.1 share/bash-completion/completions/mcasim share/mcasim/reports/common.gp \
         share/mcasim/reports/cdf.gp share/mcasim/reports/README.md; do
    [ -f "$p/$f" ] && ok || no "not installed: $f"
done
cd "$w" || exit 2
unset MCASIM_REPORTS
"$p/bin/mcasim" --version | grep -q '^mcasim [0-9.]* (commit ' && ok || no "--version"
"$p/bin/mcasim" run -q --results "$w/res" "$src/scenarios/latency/cost-model-sweep.yaml" > /dev/null && ok || no "installed run"
"$p/bin/mcasim" run -q "$src/tests/import/xen-mceinj-type0.xen-mceinj" > /dev/null 2>&1 && ok || no "installed run of an import"
if command -v gnuplot > /dev/null 2>&1; then
    "$p/bin/mcasim" report -q "$w/res" -o "$w/report" && ok || no "installed report"
    [ -s "$w/report/index.html" ] && [ -s "$w/report/cdf.png" ] && ok || no "installed report: no index.html or cdf.png"
fi
"$p/bin/mcasim" report --help | grep -q "../share/mcasim/reports beside the mcasim binary" && ok || no "report --help"
# the man page: the top help and every subcommand's
for s in "COMMAND: RUN" "COMMAND: IMPORT" "COMMAND: DECODE" "--max-wall" "mce-inject"; do
    grep -q -- "$s" "$p/share/man/man1/mcasim.1" && ok || no "man page lacks $s"
done
# bash completion: subcommands, then run's options, then --from's formats
if command -v bash > /dev/null 2>&1; then
    out=$(bash -c '. "$1"; COMP_WORDS=(mcasim re); COMP_CWORD=1; _mcasim; echo "${COMPREPLY[*]}";
                   COMP_WORDS=(mcasim run --max); COMP_CWORD=2; _mcasim; echo "${COMPREPLY[*]}";
                   COMP_WORDS=(mcasim run --from x); COMP_CWORD=3; _mcasim; echo "${COMPREPLY[*]}"' - \
          "$p/share/bash-completion/completions/mcasim")
    [ "$out" = "$(printf 'report\n--max-wall --max-memory\nxen-mceinj')" ] && ok || no "completion: $out"
fi
finish

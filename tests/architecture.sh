#!/bin/sh
# The include rules between the project's rooms (docs/ARCHITECTURE.md,
# "Source map"), checked on every test run. One row per room: the folder,
# the project folders its files may include from, and the libraries it may
# use. Any other include is reported as FILE:LINE with the rule it breaks.
# Quoted includes resolve beside the including file first, then from the
# top of the tree; system headers are checked only for SystemC and libyaml.
# Usage: architecture.sh [SOURCE_DIR]
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2

# room          may include (project folders)                           libraries
rules='
arch            arch                                                      -
hv              hv arch                                                   -
models          models arch                                               systemc
guests          guests hv/public arch                                     -
sim/scenario    sim/scenario hv/public models arch                        yaml
sim/results     sim/results sim/scenario hv/public models arch            -
sim/runtime     sim/runtime sim/results sim/scenario hv guests models arch systemc
sim/cli         sim/cli sim/runtime sim/results sim/scenario reports hv guests models arch -
reports         reports sim/results sim/scenario hv/public arch           -
bench           bench sim reports hv guests models arch                   systemc
'

files=$(find arch hv models guests sim reports bench -name '*.[ch]' -o -name '*.[ch]pp' 2>/dev/null | sort)
# FILE:LINE:#include ... for every include of every file, then one awk pass.
# shellcheck disable=SC2086
out=$(grep -Hn '^[[:space:]]*#[[:space:]]*include' $files | awk -v rules="$rules" -v files="$files" '
function norm(p,   n, i, k, part, out) {      # a/b/../c -> a/c
    n = split(p, part, "/"); k = 0
    for (i = 1; i <= n; i++) {
        if (part[i] == "." || part[i] == "") continue
        if (part[i] == ".." && k > 0) { k--; continue }
        out[++k] = part[i]
    }
    p = ""
    for (i = 1; i <= k; i++) p = p (i > 1 ? "/" : "") out[i]
    return p
}
function room_of(f,   r, best) {                # the longest room that holds f
    best = ""
    for (r in may) if (index(f, r "/") == 1 && length(r) > length(best)) best = r
    return best
}
BEGIN {
    n = split(rules, line, "\n")
    for (i = 1; i <= n; i++) {
        k = split(line[i], w, " ")
        if (k < 3) continue
        lib[w[1]] = w[k]; may[w[1]] = ""
        for (j = 2; j < k; j++) may[w[1]] = may[w[1]] " " w[j]
    }
    m = split(files, fl, "\n")
    for (i = 1; i <= m; i++) exists[fl[i]] = 1
}
{
    f = $0; sub(/:.*/, "", f)
    rest = substr($0, length(f) + 2); ln = rest; sub(/:.*/, "", ln)
    inc = rest; sub(/^[^:]*:[[:space:]]*#[[:space:]]*include[[:space:]]*/, "", inc)
    kind = substr(inc, 1, 1); path = substr(inc, 2); sub(/[">].*/, "", path)
    room = room_of(f)
    if (room == "") next
    if (kind == "<") {
        if (path ~ /^(systemc|tlm|sysc\/)/) {
            if (f ~ /\.[ch]$/) printf "architecture: %s:%s includes <%s>: C files never use SystemC (logic in C, shells in C++)\n", f, ln, path
            else if (lib[room] != "systemc") printf "architecture: %s:%s includes <%s>: only sim/runtime, models and bench use SystemC\n", f, ln, path
        } else if (path == "yaml.h" && lib[room] != "yaml")
            printf "architecture: %s:%s includes <%s>: only sim/scenario reads YAML\n", f, ln, path
        next
    }
    dir = f; sub(/\/[^\/]*$/, "", dir)
    target = norm(dir "/" path)
    if (!(target in exists)) target = norm(path)
    k = split(may[room], ok, " ")
    for (i = 1; i <= k; i++) if (index(target, ok[i] "/") == 1) next
    printf "architecture: %s:%s includes \"%s\": %s may include only from:%s\n", f, ln, path, room, may[room]
}')
if [ -n "$out" ]; then
    echo "$out"
    exit 1
fi
echo "architecture: include rules hold"

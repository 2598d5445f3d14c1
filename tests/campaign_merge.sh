#!/bin/sh
# mcasim campaign: a run without shards and the merge of N = 1, 7 and 64
# shards (given to merge in a shuffled order) are the same bytes; --host
# re-runs one host to its row of hosts.csv, and stops at the wall and
# memory limits with the row `limit`; a missing shard, a partial of
# another campaign and a bad campaign file are errors that say where.
# Usage: campaign_merge.sh MCASIM SRCDIR
set -eu
M=$1
SRC=$2
C=$SRC/tests/campaign/small.yaml
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$M" campaign "$C" -q -j2 -o "$W/full" || fail "the full run"
for f in hosts.csv summary.csv summary.json rates.dat rates.gp; do
    [ -s "$W/full/$f" ] || fail "the full run wrote no $f"
done
[ "$(wc -l < "$W/full/hosts.csv")" -eq 25 ] || fail "hosts.csv: 24 rows and a header expected"

# rates: the exact Poisson 95% interval of 0 events is [0, 3.688879] and
# of 1 event [0.025318, 5.571643] (Garwood; chi-square tables), per host-year
awk -F, 'NR > 1 && ($6 == 0 || $6 == 1) {
    lo = $6 == 0 ? 0 : 0.025318; hi = $6 == 0 ? 3.688879 : 5.571643; seen++
    if ($9 * $5 < lo - 1e-4 || $9 * $5 > lo + 1e-4 || $10 * $5 < hi - 1e-3 || $10 * $5 > hi + 1e-3) { print; bad = 1 }
} END { exit bad || !seen }' "$W/full/summary.csv" || fail "Poisson intervals of 0 and 1 events"

for n in 1 7 64; do
    k=1
    while [ $k -le $n ]; do
        "$M" campaign "$C" -q -j2 --shard $k/$n -o "$W/part-$n-$k.csv" || fail "shard $k/$n"
        k=$((k + 1))
    done
    # any order: the reversed list
    parts=$(ls "$W"/part-$n-*.csv | sort -r)
    # shellcheck disable=SC2086
    "$M" campaign merge -o "$W/merged-$n" $parts || fail "merge of $n shards"
    for f in hosts.csv summary.csv summary.json rates.dat rates.gp; do
        cmp "$W/full/$f" "$W/merged-$n/$f" || fail "$f of $n shards differs from the full run"
    done
done

# --timings: a row per host-run of the shard (2/7 of 24 jobs: jobs 1, 8,
# 15, 22), in job order, its status that of hosts.csv, costs that are
# numbers (a worker has some resident memory), no simulated time reached
# given for a host-run done; the partial is unchanged
"$M" campaign "$C" -q -j2 --shard 2/7 -o "$W/t-part.csv" --timings "$W/timings.csv" || fail "--timings run"
cmp "$W/t-part.csv" "$W/part-7-2.csv" || fail "--timings changed the partial"
[ "$(head -1 "$W/timings.csv")" = "policy,host,status,wall_s,user_s,sys_s,max_rss_kib,sim_reached_s" ] ||
    fail "--timings header"
[ "$(tail -n +2 "$W/timings.csv" | cut -d, -f1,2 | tr '\n' ' ')" = "xen,1 xen,8 linux-6,3 linux-6,10 " ] ||
    fail "--timings rows: $(tail -n +2 "$W/timings.csv" | cut -d, -f1,2 | tr '\n' ' ')"
tail -n +2 "$W/timings.csv" | while IFS=, read -r p h st wall user sys rss reached; do
    grep -q "^$p,$h,[0-9]*,$st," "$W/full/hosts.csv" || fail "--timings: $p $h $st is not hosts.csv's status"
    echo "$wall $user $sys $rss" | awk '{ exit !($1 >= 0 && $2 >= 0 && $3 >= 0 && $4 > 0) }' ||
        fail "--timings: costs '$wall $user $sys $rss'"
    [ "$st" != done ] || [ -z "$reached" ] || fail "--timings: a done host-run with sim_reached_s '$reached'"
done
if "$M" campaign "$C" --host 1 --timings "$W/x.csv" 2>/dev/null; then fail "--timings with --host accepted"; fi

# one host again, alone: its row, bit for bit, and a trace
row=$(grep '^linux-6,5,' "$W/full/hosts.csv")
again=$("$M" campaign "$C" --host 5 --policy linux-6 --trace "$W/h5.jsonl" | tail -1)
[ "$row" = "$again" ] || fail "--host 5 gave '$again', hosts.csv has '$row'"
[ -f "$W/h5.jsonl" ] || fail "--trace wrote nothing"

# --host keeps the wall limit: the run stops, its row says limit, exit 1
set +e
out=$("$M" campaign "$SRC/tests/campaign/long.yaml" --host 0 --max-wall 1s 2>"$W/err")
rc=$?
set -e
[ $rc -eq 1 ] || fail "--host --max-wall 1s: exit $rc, 1 expected"
echo "$out" | tail -1 | grep -q '^xen,0,[0-9]*,limit,-,' || fail "--host at the limit printed '$out'"
grep -q "stopped at the wall limit" "$W/err" || fail "--host at the limit said nothing: $(cat "$W/err")"
# and how far it got: a time within the host's 101 s (its CMCI rounds
# begin at 10 ms; the wall limit falls somewhere after)
grep -Eq "stopped at the wall limit, [0-9]+ s of 101 simulated \([0-9.]+ %\)" "$W/err" ||
    fail "--host at the limit said not how far it got: $(cat "$W/err")"
# and the memory limit, in --host and in the pool: kept whole, the run
# record of a million CMCI rounds passes 64 MiB within a second or two
# (bounded, the default, it stays near 10 MiB and only the wall stops it)
set +e
out=$("$M" campaign "$SRC/tests/campaign/long.yaml" --host 0 --keep all --max-memory 64MiB --max-wall 60s 2>"$W/err")
rc=$?
set -e
[ $rc -eq 1 ] || fail "--host --max-memory: exit $rc, 1 expected"
echo "$out" | tail -1 | grep -q '^xen,0,[0-9]*,limit,-,' || fail "--host at the memory limit printed '$out'"
grep -q "stopped at the memory limit" "$W/err" || fail "memory limit not said: $(cat "$W/err")"
set +e
"$M" campaign "$SRC/tests/campaign/long.yaml" -q --keep all --max-memory 64MiB --max-wall 60s -o "$W/mem" \
    --timings "$W/mem-timings.csv" 2>"$W/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "campaign --max-memory: exit $rc, 1 expected"
grep -q '^xen,0,[0-9]*,limit,-,' "$W/mem/hosts.csv" || fail "the pool's row at the memory limit: $(cat "$W/mem/hosts.csv")"
# its timings row says how far it got: seconds within the host's 101 s
tail -1 "$W/mem-timings.csv" | grep -Eq '^xen,0,limit,([0-9.]+,){4}([0-9]|[1-9][0-9]|100)$' ||
    fail "the pool's timings row at the limit: $(cat "$W/mem-timings.csv")"
grep -q "host-runs unfinished (their rows say limit or failed): the rates leave them out" "$W/err" ||
    fail "the pool did not say its rates leave a host-run out: $(cat "$W/err")"
set +e
"$M" campaign "$SRC/tests/campaign/long.yaml" --host 0 --max-memory 64MiB --max-wall 2s >/dev/null 2>"$W/err"
set -e
grep -q "stopped at the wall limit" "$W/err" || fail "bounded run hit the memory limit: $(cat "$W/err")"

# a missing shard
if "$M" campaign merge -o "$W/bad" "$W"/part-7-1.csv "$W"/part-7-2.csv 2>"$W/err"; then
    fail "a merge without every shard succeeded"
fi
grep -q "is in none of the partials" "$W/err" || fail "missing shard not named: $(cat "$W/err")"

# a partial of another campaign (another file: another digest)
sed 's/seed: 7/seed: 8/' "$C" > "$SRC/tests/campaign/.other-$$.yaml"
"$M" campaign "$SRC/tests/campaign/.other-$$.yaml" -q --shard 2/2 -o "$W/other.csv" || true
rm -f "$SRC/tests/campaign/.other-$$.yaml"
if "$M" campaign merge -o "$W/bad2" "$W/part-1-1.csv" "$W/other.csv" 2>"$W/err"; then
    fail "merged partials of two campaigns"
fi
grep -q "another campaign" "$W/err" || fail "other campaign not said: $(cat "$W/err")"

# an edited host scenario between two shards: another digest too
mkdir "$W/edit"
cp "$C" "$SRC/tests/campaign/small-host.yaml" "$W/edit/"
"$M" campaign "$W/edit/small.yaml" -q --shard 1/2 -o "$W/edit/p1.csv" || fail "shard 1/2 before the edit"
printf '# edited\n' >> "$W/edit/small-host.yaml"
"$M" campaign "$W/edit/small.yaml" -q --shard 2/2 -o "$W/edit/p2.csv" || fail "shard 2/2 after the edit"
if "$M" campaign merge -o "$W/bad3" "$W/edit/p1.csv" "$W/edit/p2.csv" 2>"$W/err"; then
    fail "merged partials run before and after a host scenario edit"
fi
grep -q "another campaign" "$W/err" || fail "edited host scenario not said: $(cat "$W/err")"

# a bad campaign file: file:line:col
printf 'name: x\nfleet:\n  - {scenario: small-host.yaml, count: 0}\npolicies: [{name: xen}]\n' > "$W/bad.yaml"
cp "$SRC/tests/campaign/small-host.yaml" "$W/"
if "$M" campaign "$W/bad.yaml" -q 2>"$W/err"; then fail "count 0 accepted"; fi
grep -q "bad.yaml:3:" "$W/err" || fail "no position for count 0: $(cat "$W/err")"
printf 'name: x\nmax_memory: 12parsecs\nfleet:\n  - {scenario: small-host.yaml, count: 1}\npolicies: [{name: xen}]\n' > "$W/bad.yaml"
if "$M" campaign "$W/bad.yaml" -q 2>"$W/err"; then fail "max_memory 12parsecs accepted"; fi
grep -q "bad.yaml:2:13" "$W/err" || fail "no position for a bad max_memory: $(cat "$W/err")"
printf 'name: x\nfleet:\n  - {scenario: nowhere.yaml, count: 1}\npolicies: [{name: xen, storm: nope}]\n' > "$W/bad.yaml"
if "$M" campaign "$W/bad.yaml" -q 2>"$W/err"; then fail "a missing scenario accepted"; fi
grep -q "not found" "$W/err" || fail "missing scenario not said: $(cat "$W/err")"
echo "campaign merge: OK"

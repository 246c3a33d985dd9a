#!/bin/sh
# bench-pair.sh SERVSIM OUTDIR [REF]: the city-scale run against an older
# servsim, by default 0.3.2 (REF: any commit of this repository), built
# from this checkout's history with that version's own Makefile and flags.
#
# Simultaneous pairs: the two binaries run at the same time, one on each
# core (taskset), on the same slice of the city-scale scenario (one
# replication of each design over 700 days, -j 1), and change cores at
# every pair, since the two cores of a shared machine need not be equally
# fast. The ratio of a pair is new CPU time over old (the shell's `times`);
# two pairs, one each way round, make one measurement (the geometric mean
# of their ratios), and the figure is the geometric mean of the
# measurements with its 95% interval (t over their logarithms).
# PAIRS (default 10, even) sets the number of pairs; the new binary's
# results are checked to be the same for every pair.
# Skipped, with a line saying so, outside a git checkout or without REF.
set -eu
bin=$1
out=$2
ref=${3:-d575e1dd79b9b2267d1cb830e3c9be0faa2aa700}   # 0.3.2's last commit
label=$ref
[ $# -ge 3 ] || label=0.3.2
pairs=${PAIRS:-10}
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$bin" in /*) ;; *) bin=$(pwd)/$bin ;; esac
if ! git rev-parse --verify -q "$ref^{commit}" >/dev/null 2>&1; then
    echo "# bench-pair: no commit $ref in this checkout: no paired comparison"
    exit 0
fi
src=$out/ref-src
if [ ! -x "$src/servsim" ] || [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$ref^{commit}")" ]; then
    rm -rf "$src"
    git worktree prune
    git worktree add -q --detach "$src" "$ref"
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$src" -j2 servsim >"$out/ref-build.log" 2>&1 ||
        { echo "bench-pair: building $ref failed (see $out/ref-build.log)" >&2; exit 1; }
fi
old=$src/servsim
ncpu=$(nproc 2>/dev/null || echo 1)
pin() { if [ "$ncpu" -ge 2 ] && command -v taskset >/dev/null 2>&1; then taskset -c "$@"; else shift; "$@"; fi; }
# cpu_seconds FILE: the children's user + system time from `times`' second line
cpu_seconds() {
    sed -n 2p "$1" | tr 'ms' '  ' | awk '{ print $1 * 60 + $2 + $3 * 60 + $4 }'
}
# run CORE BINARY TIMES-FILE RESULTS-DIR
run() {
    pin "$1" sh -c '"$@" >/dev/null 2>&1 || echo failed; times' sh \
        "$2" run scenarios/city-scale.ini -r 1 -j 1 --set scenario.horizon=700 \
        -o "$4" --quiet >"$3"
}
ratios=$out/ratios
: >"$ratios"
i=0
while [ "$i" -lt "$pairs" ]; do
    a=$((i % 2)); b=$((1 - a))
    rm -rf "$out/old" "$out/new"
    if [ "$ncpu" -ge 2 ]; then
        run $a "$old" "$out/t-old" "$out/old" & run $b "$bin" "$out/t-new" "$out/new" & wait
    else
        run 0 "$old" "$out/t-old" "$out/old"; run 0 "$bin" "$out/t-new" "$out/new"
    fi
    if grep -q failed "$out/t-old" "$out/t-new"; then
        echo "bench-pair: a run failed (pair $((i + 1)))" >&2; exit 1
    fi
    if [ "$i" -eq 0 ]; then cp "$out/new/summary.csv" "$out/summary-first.csv"
    elif ! cmp -s "$out/new/summary.csv" "$out/summary-first.csv"; then
        echo "bench-pair: the new binary's results differ between pairs" >&2; exit 1
    fi
    echo "$(cpu_seconds "$out/t-old") $(cpu_seconds "$out/t-new") $a" >>"$ratios"
    i=$((i + 1))
done
# t quantiles (0.975) for 1 - 10 degrees of freedom, then 2 beyond
awk -v ref="$label" '
    BEGIN { split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228", tq, " ") }
    { l = log($2 / $1); old += $1; new += $2
      if (NR % 2) prev = l; else { m[++k] = (prev + l) / 2 } }
    END {
        for (i = 1; i <= k; i++) s += m[i]
        mean = s / k
        for (i = 1; i <= k; i++) v += (m[i] - mean)^2
        half = k > 1 ? (k - 1 <= 10 ? tq[k - 1] : 2) * sqrt(v / (k - 1) / k) : 0
        printf "city_700_days_vs_%s_cpu_seconds: %.2f old, %.2f new (means of %d runs each)\n", ref, old / NR, new / NR, NR
        printf "city_700_days_vs_%s_ratio: %.3f [%.3f, %.3f] (new / old, %d pairs each way round)\n", ref, exp(mean), exp(mean - half), exp(mean + half), k
    }' "$ratios"

#!/bin/sh
# mpi.sh: the distributed build writes the same files, byte for byte, as
# one process. Runs when the MPI build exists (make MPI=1; .ci/run builds
# it); otherwise says it was skipped.
#   sh tests/mpi.sh ./servsim
set -u
one=${1:-./servsim}
root=$(cd "$(dirname "$0")/.." && pwd)
mpi="$root/build/mpi/servsim"
if [ ! -x "$mpi" ] || ! command -v mpirun >/dev/null 2>&1; then
    echo "mpi: skipped (no MPI build: make MPI=1 build/mpi/servsim)"
    exit 0
fi
# CI runs as root; Open MPI refuses that unless told
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tmp=$(mktemp -d /tmp/servsim-mpi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
mpirun_2() { mpirun -np 2 --oversubscribe "$mpi" "$@"; }

same() {   # same NAME FILE...: the files of $tmp/NAME-1 and $tmp/NAME-2 agree
    name=$1; shift
    for f in "$@"; do
        if cmp -s "$tmp/$name-1/$f" "$tmp/$name-2/$f"; then pass=$((pass + 1)); else
            fail=$((fail + 1)); echo "FAIL: mpi $name: $f differs from one process" >&2; fi
    done
}

hb="$root/scenarios/housing-benefit.ini"
erl="$root/scenarios/validation/erlang-c.ini"
"$one" run "$hb" -o "$tmp/hb-1" -r 5 --set scenario.horizon=600 -q
mpirun_2 run "$hb" -o "$tmp/hb-2" -r 5 --set scenario.horizon=600 -q -j 1
same hb summary.csv replications.csv differences.csv weekly.csv scenario.resolved.ini
"$one" run "$erl" -o "$tmp/erl-1" -r 3 --set scenario.horizon=20000 -q
mpirun_2 run "$erl" -o "$tmp/erl-2" -r 3 --set scenario.horizon=20000 -q -j 1
same erl summary.csv replications.csv differences.csv
"$one" sweep "$erl" -o "$tmp/sw-1" -r 2 --set scenario.horizon=30000 -q \
    --vary "station c12.calls.servers=12:14:1"
mpirun_2 sweep "$erl" -o "$tmp/sw-2" -r 2 --set scenario.horizon=30000 -q -j 1 \
    --vary "station c12.calls.servers=12:14:1"
same sw sweep.csv
# An interrupt that reaches one process only (a node's signal, not
# mpirun's): every process must see the run as interrupted, so no results
# are written (rank 0 used to write zeros for the other's replications),
# a checkpoint is, and resuming it in one process gives the same files.
# rank_pid R OUT: the pid of rank R of the run writing OUT, once it runs.
rank_pid() {
    for _ in $(seq 1 100); do
        for pid in $(pgrep -f "servsim run .* -o $2 "); do
            if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$1"; then
                echo "$pid"; return 0; fi
        done
        sleep 0.1
    done
    return 1
}
city="$root/scenarios/city-scale.ini"
"$one" run "$city" -o "$tmp/int-1" -r 2 --set scenario.horizon=500 -q
mpirun_2 run "$city" -o "$tmp/int-2" -r 2 --set scenario.horizon=500 -q -j 1 >"$tmp/int.log" 2>&1 &
job=$!
# each replication takes a second or more: rank 1 is still at work
if r1=$(rank_pid 1 "$tmp/int-2"); then sleep 1; kill -INT "$r1"; fi
wait "$job"
rc=$?
if [ "$rc" -eq 130 ] && [ ! -e "$tmp/int-2" ] && [ -f "$tmp/int-2.partial" ]; then
    pass=$((pass + 1))
    "$one" run "$city" -o "$tmp/int-2" -r 2 --set scenario.horizon=500 -q --resume
    same int summary.csv replications.csv differences.csv weekly.csv
else
    fail=$((fail + 1))
    echo "FAIL: mpi: one process interrupted: exit $rc (want 130), results" \
         "$(ls -d "$tmp/int-2" 2>/dev/null || echo none), checkpoint" \
         "$(ls "$tmp/int-2.partial" 2>/dev/null || echo none)" >&2
    head -3 "$tmp/int.log" >&2
fi
if mpirun_2 run "$hb" -o "$tmp/no" --needs -q >/dev/null 2>&1; then
    fail=$((fail + 1)); echo "FAIL: mpi: --needs across processes should be refused" >&2
else pass=$((pass + 1)); fi
echo "mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

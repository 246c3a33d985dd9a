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
if mpirun_2 run "$hb" -o "$tmp/no" --needs -q >/dev/null 2>&1; then
    fail=$((fail + 1)); echo "FAIL: mpi: --needs across processes should be refused" >&2
else pass=$((pass + 1)); fi
echo "mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

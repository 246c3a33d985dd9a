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
# rank_pid R OUT: the pid of rank R of the run or sweep writing OUT, once
# it has used half a second of CPU (past MPI_Init and loading, inside the
# replications). Open MPI names a process's rank in its environment.
rank_pid() {
    n=0
    while [ "$n" -lt 300 ]; do
        n=$((n + 1))
        for pid in $(pgrep -f "servsim [a-z]+ .* -o $2 "); do
            tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$1" ||
                continue
            ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || continue
            [ "${ticks:-0}" -ge 50 ] && { echo "$pid"; return 0; }
        done
        sleep 0.1
    done
    return 1
}
city="$root/scenarios/city-scale.ini"
long="--set scenario.horizon=1000"   # a replication takes seconds
"$one" run "$city" -o "$tmp/int-1" -r 2 $long -q
timeout 600 mpirun -np 2 --oversubscribe "$mpi" run "$city" -o "$tmp/int-2" -r 2 $long -q -j 1 \
    >"$tmp/int.log" 2>&1 &
job=$!
if r1=$(rank_pid 1 "$tmp/int-2"); then kill -INT "$r1"; fi
wait "$job"
rc=$?
if [ "$rc" -eq 130 ] && [ ! -e "$tmp/int-2" ] && [ -f "$tmp/int-2.partial" ]; then
    pass=$((pass + 1))
    # resumed in one process, and (a copy of the checkpoint) across two
    cp "$tmp/int-2.partial" "$tmp/mres-2.partial"
    cp "$tmp/int-2.partial" "$tmp/keep.partial"
    "$one" run "$city" -o "$tmp/int-2" -r 2 $long -q --resume
    same int summary.csv replications.csv differences.csv weekly.csv
    mkdir -p "$tmp/mres-1"
    cp "$tmp/int-1/"*.csv "$tmp/mres-1/"
    timeout 600 mpirun -np 2 --oversubscribe "$mpi" run "$city" -o "$tmp/mres-2" -r 2 $long \
        -j 1 --resume >"$tmp/mres.log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "^resuming: [123] of 4" "$tmp/mres.log" &&
       [ ! -e "$tmp/mres-2.partial" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL: mpi: --resume across two processes: exit $rc, or not resumed from the checkpoint" >&2
        head -3 "$tmp/mres.log" >&2
    fi
    same mres summary.csv replications.csv differences.csv weekly.csv
    # a checkpoint that one process cannot see (here: the two run in
    # different folders, as on nodes without a shared one): that process
    # runs its share again, and the files are still the same
    mkdir -p "$tmp/mres3-2" "$tmp/elsewhere"
    cp "$tmp/keep.partial" "$tmp/mres3-2/r.partial"
    args="run $city -o r -r 2 $long -j 1 --resume"
    # shellcheck disable=SC2086
    timeout 600 mpirun --oversubscribe -np 1 --wdir "$tmp/mres3-2" "$mpi" $args : \
        -np 1 --wdir "$tmp/elsewhere" "$mpi" $args >"$tmp/mres3.log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "the MPI processes found from 0 to 2" "$tmp/mres3.log"; then
        pass=$((pass + 1)); else fail=$((fail + 1))
        echo "FAIL: mpi: --resume with a checkpoint one process cannot see: exit $rc" >&2
        head -3 "$tmp/mres3.log" >&2
    fi
    mv "$tmp/mres3-2/r" "$tmp/mres3-2x" && rm -rf "$tmp/mres3-2" && mv "$tmp/mres3-2x" "$tmp/mres3-2"
    mkdir -p "$tmp/mres3-1" && cp "$tmp/int-1/"*.csv "$tmp/mres3-1/"
    same mres3 summary.csv replications.csv differences.csv weekly.csv
    # the other way round, and interrupted: rank 0 cannot see the
    # checkpoint, so it runs its replications again, and is interrupted
    # while it does. Rank 1 restored them; they must not come out as
    # finished (the OR of the restored copy and the partial re-run was
    # saved as a finished replication, and resuming gave nonsense)
    mkdir -p "$tmp/own-2" "$tmp/own-b"
    cp "$tmp/keep.partial" "$tmp/own-b/r.partial"
    # shellcheck disable=SC2086
    timeout 600 mpirun --oversubscribe -np 1 --wdir "$tmp/own-2" "$mpi" $args -q : \
        -np 1 --wdir "$tmp/own-b" "$mpi" $args -q >"$tmp/own.log" 2>&1 &
    job=$!
    if r0=$(rank_pid 0 r); then kill -INT "$r0"; fi
    wait "$job"
    rc=$?
    if [ "$rc" -eq 130 ] && [ -f "$tmp/own-2/r.partial" ]; then
        pass=$((pass + 1))
        "$one" run "$city" -o "$tmp/own-2/r" -r 2 $long -j 1 -q --resume
        mv "$tmp/own-2/r" "$tmp/own-2x" && rm -rf "$tmp/own-2" && mv "$tmp/own-2x" "$tmp/own-2"
        mkdir -p "$tmp/own-1" && cp "$tmp/int-1/"*.csv "$tmp/own-1/"
        same own summary.csv replications.csv differences.csv weekly.csv
    else
        fail=$((fail + 1))
        echo "FAIL: mpi: rank 0 interrupted re-running what rank 1 restored: exit $rc" \
             "(want 130), checkpoint $(ls "$tmp/own-2/r.partial" 2>/dev/null || echo none)" >&2
        head -3 "$tmp/own.log" >&2
    fi
else
    fail=$((fail + 1))
    echo "FAIL: mpi: one process interrupted: exit $rc (want 130), results" \
         "$(ls -d "$tmp/int-2" 2>/dev/null || echo none), checkpoint" \
         "$(ls "$tmp/int-2.partial" 2>/dev/null || echo none)" >&2
    head -3 "$tmp/int.log" >&2
fi
# The same for a sweep: every process catches the signal (only rank 0
# did: rank 1 was killed, and rank 0's DIR.tmp-* was left behind).
timeout 600 mpirun -np 2 --oversubscribe "$mpi" sweep "$city" -o "$tmp/swint" -r 2 $long -q -j 1 \
    --vary "team split.back.staff=700,710" >"$tmp/int-sweep.log" 2>&1 &
job=$!
if r1=$(rank_pid 1 "$tmp/swint"); then kill -INT "$r1"; fi
wait "$job"
rc=$?
left=$(find "$tmp" -maxdepth 1 -name 'swint*' | wc -l)
if [ "$rc" -eq 130 ] && [ "$left" -eq 0 ]; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "FAIL: mpi: sweep, one process interrupted: exit $rc (want 130), $left files left" >&2
    head -3 "$tmp/int-sweep.log" >&2
fi
# Ctrl-C at a terminal signals the whole process group, mpirun too; Open
# MPI's mpirun then exits 1 whatever the processes return (docs/cli.md,
# Interrupts). servsim's processes still do as they do alone: during the
# replications they write nothing in DIR and say "interrupted"; while the
# results are written, they commit them. Either way nothing is left half
# done beside DIR. setsid gives the job a group of its own to signal (a
# run three times as long as above, so the signal lands in the replications).
# (Not under timeout, which would lead the group and pass the signal on
# its own way; the signal is sent whether or not the rank was found, so
# the job always ends.)
setsid mpirun -np 2 --oversubscribe "$mpi" run "$city" -o "$tmp/grp" -r 2 \
    --set scenario.horizon=3000 -q -j 1 >"$tmp/grp.log" 2>&1 &
job=$!
rank_pid 1 "$tmp/grp" >/dev/null
kill -INT -"$job"
wait "$job"
rc=$?
tmps=$(find "$tmp" -maxdepth 1 -name 'grp.*-*' | wc -l)
if grep -q "^servsim: interrupted: " "$tmp/grp.log" && [ ! -e "$tmp/grp" ]; then state=interrupted
elif [ -f "$tmp/grp/summary.csv" ] && ! grep -q "interrupted" "$tmp/grp.log"; then state=committed
else state=inconsistent; fi
if [ "$rc" -eq 1 ] && [ "$tmps" -eq 0 ] && [ "$state" != inconsistent ]; then
    pass=$((pass + 1)); [ "$state" = interrupted ] || echo "mpi: note: the Ctrl-C came after the replications (results committed)"
else fail=$((fail + 1))
    echo "FAIL: mpi: Ctrl-C to the process group: exit $rc (mpirun's is 1), $tmps" \
         "temporary folders left, outcome $state" >&2
    head -3 "$tmp/grp.log" >&2
fi
# Processes that disagree before they first combine must not wait for
# each other for ever: standard input reaches rank 0 only (rank 1 reads
# an empty scenario: exit 3 on every process), and a sweep's output
# folder that rank 0 cannot create (exit 4).
timeout 120 mpirun -np 2 --oversubscribe "$mpi" run /dev/stdin -o "$tmp/stdin" -q <"$erl" >"$tmp/stdin.log" 2>&1
rc=$?
# rank 1's own reason reaches the user, though ranks other than 0 are quiet
if [ "$rc" -eq 3 ] && grep -q "another MPI process could not load" "$tmp/stdin.log" &&
    grep -q "^servsim: MPI process 1 of 2: /dev/stdin: the file is empty" "$tmp/stdin.log"; then
    pass=$((pass + 1)); else fail=$((fail + 1))
    echo "FAIL: mpi: a scenario only rank 0 can read: exit $rc (want 3; 124 is a hang)" >&2
    head -3 "$tmp/stdin.log" >&2
fi
timeout 120 mpirun -np 2 --oversubscribe "$mpi" sweep "$erl" -o /proc/servsim/x -r 2 -q \
    --set scenario.horizon=20000 --vary "station c12.calls.servers=12:13:1" >"$tmp/swo.log" 2>&1
rc=$?
if [ "$rc" -eq 4 ]; then pass=$((pass + 1)); else fail=$((fail + 1))
    echo "FAIL: mpi: sweep into a folder that cannot be made: exit $rc (want 4; 124 is a hang)" >&2
    head -3 "$tmp/swo.log" >&2
fi
# a run into a folder servsim did not write: refused by rank 0 before the
# run, and every process stops (a horizon of 1e9 days would never end)
mkdir -p "$tmp/foreign" && echo keep >"$tmp/foreign/note"
timeout 120 mpirun -np 2 --oversubscribe "$mpi" run "$erl" -o "$tmp/foreign" -r 2 -q \
    --set scenario.horizon=1e9 >"$tmp/foreign.log" 2>&1
rc=$?
if [ "$rc" -eq 4 ] && grep -q "nothing run" "$tmp/foreign.log"; then pass=$((pass + 1))
else fail=$((fail + 1))
    echo "FAIL: mpi: run into a foreign folder: exit $rc (want 4; 124 is a hang)" >&2
    head -3 "$tmp/foreign.log" >&2
fi
if mpirun_2 run "$hb" -o "$tmp/no" --needs -q >/dev/null 2>&1; then
    fail=$((fail + 1)); echo "FAIL: mpi: --needs across processes should be refused" >&2
else pass=$((pass + 1)); fi
echo "mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

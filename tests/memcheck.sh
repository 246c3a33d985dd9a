#!/bin/sh
# memcheck.sh: the unit tests and a few servsim commands under valgrind.
# Any valgrind error or definite/indirect leak fails the script.
#
#   sh tests/memcheck.sh [SERVSIM [TEST_BIN]]
#
# MEMCHECK_SUITES  CUnit suites to run, space-separated (default: every
#                  suite in tests/tests.h but those in MEMCHECK_SKIP);
#                  "all" runs the real runner (TEST_BIN) whole.
# MEMCHECK_SKIP    suites left out by default (default: "validation
#                  calibration service_queues": long statistical
#                  simulations, 15+ minutes under valgrind, that add no code
#                  paths the others and the command-line steps below miss
#                  (phone-lines.ini and the behaviours' scenarios run there);
#                  the service suite, which does, takes about 2 minutes)
# VALGRIND         valgrind command (default: valgrind)
#
# Suites are chosen by a small runner compiled here from the objects the
# Makefile already built (build/opt), so test_main.c needs no change.
set -u
BIN=${1:-./servsim}
TEST_BIN=${2:-build/opt/servsim-tests}
OBJ=$(dirname "$TEST_BIN")
VALGRIND=${VALGRIND:-valgrind}
CC=${CC:-cc}
VG="$VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-origins=yes"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/servsim-memcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

step_in() {   # step_in TAG NAME EXPECTED_STATUS COMMAND...: logs in $tmp/*.TAG
    tag=$1 name=$2 want=$3
    shift 3
    start=$(date +%s)
    $VG --log-file="$tmp/vg.$tag" "$@" >"$tmp/out.$tag" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    if [ "$rc" -eq "$want" ] && [ ! -s "$tmp/vg.$tag" ]; then
        echo "ok   $name (${secs}s)"
        return 0
    fi
    echo "FAIL $name: exit $rc (wanted $want; 99 = valgrind error) (${secs}s)"
    tail -n 20 "$tmp/out.$tag" | sed 's/^/     | /'
    sed 's/^/     vg| /' "$tmp/vg.$tag"
    failed=1
    return 1
}
step() {   # step NAME EXPECTED_STATUS COMMAND...
    step_in one "$@"
}

# ---- unit tests ----
if [ "${MEMCHECK_SUITES:-}" = all ]; then
    step "unit tests (all suites)" 0 "$TEST_BIN" tests/data
else
    skip=${MEMCHECK_SKIP-validation calibration service_queues}
    suites=${MEMCHECK_SUITES:-}
    if [ -z "$suites" ]; then
        for s in $(sed -n 's/^int suite_\([a-z_0-9]*\)(void);$/\1/p' tests/tests.h); do
            case " $skip " in *" $s "*) ;; *) suites="$suites $s" ;; esac
        done
    fi
    # One runner; the suites it runs are its arguments. Valgrind runs a
    # process's threads one at a time, so the suites go in two halves side
    # by side, one per core (the heaviest first, dealt out in turn), which
    # halves this, the longest step of CI.
    {
        echo '#include <CUnit/Basic.h>'
        echo '#include <limits.h>'
        echo '#include <stdlib.h>'
        echo '#include <string.h>'
        echo '#include "tests.h"'
        echo 'static char dir[PATH_MAX];'
        echo 'const char *test_data_dir(void) { return dir; }'
        echo 'int main(int argc, char **argv) {'
        echo '    if (!realpath("tests/data", dir) || CU_initialize_registry() != CUE_SUCCESS) return 2;'
        for s in $suites; do
            echo "    if (suite_$s() != 0) return 2;"
        done
        echo '    CU_basic_set_mode(CU_BRM_SILENT);'
        echo '    unsigned bad = 0;   /* each run resets the failure count */'
        echo '    for (int i = 1; i < argc; i++) {'
        echo '        CU_pSuite s = CU_get_suite(argv[i]);'
        echo '        if (!s) return 2;'
        echo '        CU_basic_run_suite(s);'
        echo '        bad += CU_get_number_of_failures() + (CU_get_error() != 0);'
        echo '        CU_basic_show_failures(CU_get_failure_list());'
        echo '    }'
        echo '    CU_cleanup_registry();'
        echo '    return bad ? 1 : 0; }'
    } >"$tmp/runner.c"
    objs=
    for o in "$OBJ"/sim/*.o "$OBJ"/models/*.o "$OBJ"/lib/*.o "$OBJ"/cli/*.o "$OBJ"/tests/*.o; do
        case $o in */cli/main.o|*/tests/test_main.o) ;; *) objs="$objs $o" ;; esac
    done
    if ! $CC -g -std=c11 -D_XOPEN_SOURCE=700 -Itests -o "$tmp/runner" "$tmp/runner.c" $objs \
            -lgsl -lgslcblas -linih -lcsv -lm -pthread -lcunit; then
        echo "FAIL cannot build the suite runner (run 'make $TEST_BIN' first)"
        exit 1
    fi
    # heaviest first (seconds natively: locality 3, service 2, risk, slots,
    # network under 1), then the rest in their order, dealt to two halves
    ordered=
    for s in locality service risk slots network; do
        case " $suites " in *" $s "*) ordered="$ordered $s" ;; esac
    done
    for s in $suites; do
        case " locality service risk slots network " in *" $s "*) ;; *) ordered="$ordered $s" ;; esac
    done
    half_a= half_b= turn=a
    for s in $ordered; do
        if [ $turn = a ]; then half_a="$half_a $s"; turn=b; else half_b="$half_b $s"; turn=a; fi
    done
    (step_in b "unit tests (${half_b# })" 0 "$tmp/runner" $half_b >"$tmp/half_b.txt"; echo $? >"$tmp/half_b.rc") &
    step_in a "unit tests (${half_a# })" 0 "$tmp/runner" $half_a
    wait
    cat "$tmp/half_b.txt"
    [ "$(cat "$tmp/half_b.rc")" = 0 ] || failed=1
fi

# ---- the command line ----
step "run mm1-feedback -r 3 -j 2" 0 "$BIN" run scenarios/validation/mm1-feedback.ini \
    --set scenario.horizon=20000 -r 3 -j 2 -q -o "$tmp/out-run"
step "run housing-benefit (short) -r 2 -j 2" 0 "$BIN" run scenarios/housing-benefit.ini \
    --set scenario.horizon=200 --set scenario.warmup=20 -r 2 -j 2 -q -o "$tmp/out-hb"
for f in erlang-a mmck priority rota profile; do   # the queueing behaviours
    step "run $f (short) -r 2 -j 2" 0 "$BIN" run scenarios/validation/$f.ini \
        --set scenario.horizon=20000 --set scenario.warmup=1000 -r 2 -j 2 -q -o "$tmp/out-$f"
done
step "run phone-lines (short) -r 2 -j 2" 0 "$BIN" run scenarios/phone-lines.ini \
    --set scenario.horizon=200 --set scenario.warmup=20 -r 2 -j 2 -q -o "$tmp/out-phones"
# households' risk, escalations, prevention programmes, community
# capacity, the return and the break-even year (risk.c, programme.c,
# community.c, results.c)
step "run prevention (short) -r 2 -j 2" 0 "$BIN" run scenarios/prevention.ini \
    --set scenario.horizon=4500 -r 2 -j 2 -q -o "$tmp/out-prev"
step "run risk, a programme and community capacity -r 2 -j 2" 0 "$BIN" run \
    tests/fuzz/corpus/pipeline/community.ini -r 2 -j 2 -q -o "$tmp/out-community"
step "trace a household at risk" 0 "$BIN" trace tests/fuzz/corpus/pipeline/community.ini \
    --design apart --need 30
printf '[scenario]\nname = broken\ntime_unit = minutes\nhorizon = 100\n[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nroute = nowhere:1\n' >"$tmp/broken.ini"
step "check broken.ini (exit 3)" 3 "$BIN" check "$tmp/broken.ini"
printf '[scenario]\nname = bad csv\ntime_unit = minutes\nhorizon = 100\n[design a]\nkind = network\n[station a.s]\nservice = empirical(bad.csv)\narrival_rate = 1\n' >"$tmp/badcsv.ini"
printf 'x\n1\n2\nthree\n' >"$tmp/bad.csv"
step "check bad empirical csv (exit 3)" 3 "$BIN" check "$tmp/badcsv.ini"
step "run into an unusable -o (exit 4)" 4 "$BIN" run scenarios/validation/mm1-feedback.ini \
    --set scenario.horizon=2000 --set scenario.warmup=100 -r 2 -j 1 -q -o "$tmp/broken.ini/sub"

[ "$failed" -eq 0 ] && echo "memcheck: all clean" || echo "memcheck: FAILED"
exit "$failed"

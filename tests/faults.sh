#!/bin/sh
# faults.sh: failure injection. Makes the Nth allocation fail (N = 1, 2, 3,
# ... until a command completes without reaching N) in `servsim check` and a
# short `servsim run`, under the AddressSanitizer build, and asserts for
# every N:
#   - no signal, no sanitizer report (ASan, UBSan, LeakSanitizer);
#   - the exit status is a documented one: 0 (the failure was harmless),
#     or 1, 3, 4 with a message on stderr (not just blank lines); never 3
#     ("bad input") for a scenario that loads when no allocation fails, and
#     1 for bad input only with a message that memory ran out;
#   - run: exit 0 gives byte-identical results to an unfailed run; any other
#     exit leaves no results directory and no DIR.tmp-*/DIR.old-* behind.
#
#   sh tests/faults.sh [SAN_SERVSIM]      (default build/san/servsim;
#                                          build it with make SANITIZE=1)
# FAULTS_MAX   highest N tried per case (default 3000)
# FAULTS_CASES case names to run (default: all; see `case_*` below).
#   run_wide uses -j 2, so which allocation is the Nth varies between runs
#   (its traces may point elsewhere); the other cases are deterministic.
#
# The shim (tests/faults/failmalloc.c) is preloaded before gcc's dynamic
# libasan; a failing N is re-run with FAILMALLOC_TRACE=1 to show where the
# allocation failed, and that trace is printed with the failure.
set -u
BIN=${1:-build/san/servsim}
MAX=${FAULTS_MAX:-3000}
CC=${CC:-cc}
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/servsim-faults.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! $CC -shared -fPIC -O1 -g -fno-omit-frame-pointer -o "$tmp/failmalloc.so" "$here/faults/failmalloc.c" -ldl; then
    echo "faults: cannot build the shim"; exit 1
fi
[ -x "$BIN" ] || { echo "faults: $BIN missing (make SANITIZE=1)"; exit 1; }
if ! ldd "$BIN" | grep -q libasan; then
    # clang links ASan statically; the executable's malloc then wins over
    # any preloaded one and nothing would ever fail
    echo "faults: $BIN must be an ASan build with a shared libasan (gcc: make SANITIZE=1 CC=gcc)"
    exit 1
fi

SAN=86   # sanitizer exit status, distinct from servsim's own
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=1:exitcode=$SAN:abort_on_error=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="exitcode=$SAN:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="exitcode=$SAN"

# ---- inputs ----
cat >"$tmp/d.ini" <<'INI'
[scenario]
name = faults
time_unit = minutes
horizon = 300
warmup = 20
replications = 2
seed = 5

[design a]
kind = network

[station a.front]
servers = 2
service = empirical(s.csv)
arrival_rate = 0.5
route = back:0.4, front:0.1, exit:0.5

[station a.back]
service = gamma(1.5, 0.5)
route = exit

[design b]
kind = network

[station b.one]
servers = 3
service = lognormal(2, 1)
arrival_rate = 0.5
INI
printf 'minutes\n1.5\n0.5\n"2"\n3\n' >"$tmp/s.csv"
sed 's/route = exit/route = nowhere:1/' "$tmp/d.ini" >"$tmp/bad.ini"
sed 's/empirical(s.csv)/empirical(bad.csv)/' "$tmp/d.ini" >"$tmp/badcsv.ini"
printf 'x\n1\n2\nthree\n' >"$tmp/bad.csv"
# bad input found late, after the whole file is read: an unknown key, and a
# line that is not INI
sed 's/^route = exit$/route = exit\nbogus = 1/' "$tmp/d.ini" >"$tmp/badkey.ini"
{ cat "$tmp/d.ini"; echo "this is not a key"; } >"$tmp/syntax.ini"

# the queueing behaviours: patience, a queue limit with an overflow, classes,
# a profile and a rota
cat >"$tmp/q.ini" <<'INI'
[scenario]
name = behaviours
time_unit = minutes
horizon = 3000
warmup = 100
replications = 2
seed = 3

[design q]
kind = network
classes = urgent, routine

[station q.calls]
servers = 2
rota = mon-fri 09-17: 4
service = exponential(1)
arrival_rate = 1.5
arrival_profile = mon 00-12: 3
class_mix = urgent:0.3, routine:0.7
patience = exponential(2)
queue_limit = 5
turned_away = overflow

[station q.overflow]
service = exponential(2)
patience = deterministic(0)
INI

# households at risk who escalate (risk.c): two agencies, chases, a
# follow-up, two services
cat >"$tmp/risk.ini" <<'INI'
[scenario]
name = risk
time_unit = days
horizon = 120
warmup = 20
followup_days = 60
replications = 1
seed = 3

[need debt]
arrival_rate = 3
work_hours = lognormal(2, 1)
patience_days = exponential(5)
chase_gap_days = exponential(5)
risk = uniform(0.1, 0.3)

[escalation crisis]
rate_per_year = 20
cost_per_day = 150
days = lognormal(30, 10)

[escalation care]
rate_per_year = 5
cost_per_day = 800
days = deterministic(90)

[risk]
per_referral = 0.1
per_failure_contact = 0.02
need_met = 0.2

[design apart]
kind = service

[team apart.council]
agency = council
staff = 8

[team apart.advice]
agency = charity
staff = 6

[pathway apart.debt]
front = contact at council
decide = decide at advice

[programme apart.visits]
places = 20
risk_from = 0.15
days = deterministic(40)
visit_every_days = exponential(5)
effect = 0.1
cost_per_place_day = 5

[community apart]
give_back = 0.3
coordinators = 1
per_coordinator = 5
coordinator_cost_per_week = 600
stay_days = exponential(30)
unsupported_stay_days = exponential(5)
effect = 0.1
INI

case_check()      { "$BIN" check "$tmp/d.ini" --set 'station b.one.servers=2'; }
case_check_bad()  { "$BIN" check "$tmp/bad.ini"; }
case_check_csv()  { "$BIN" check "$tmp/badcsv.ini"; }
case_check_key()  { "$BIN" check "$tmp/badkey.ini"; }
case_check_syntax() { "$BIN" check "$tmp/syntax.ini"; }
case_run()        { "$BIN" run "$tmp/d.ini" -r 2 -j 1 -q -o "$tmp/runs/out"; }
case_run_wide()   { "$BIN" run "$tmp/d.ini" -r 3 -j 2 -q -o "$tmp/runs/out"; }
# the domain model ("kind = service"), run short
HB=scenarios/housing-benefit.ini
case_check_service() { "$BIN" check "$HB"; }
case_run_service()   { "$BIN" run "$HB" --set scenario.horizon=60 --set scenario.warmup=10 \
                           -r 1 -j 1 -q -o "$tmp/runs/out"; }
case_run_queues()    { "$BIN" run "$tmp/q.ini" -r 2 -j 1 -q -o "$tmp/runs/out"; }
case_run_phones()    { "$BIN" run scenarios/phone-lines.ini --set scenario.horizon=40 \
                           --set scenario.warmup=5 -r 1 -j 1 -q -o "$tmp/runs/out"; }
case_run_risk()      { "$BIN" run "$tmp/risk.ini" -j 1 -q -o "$tmp/runs/out"; }
# the report of a results folder (made once, unfailed, below), without
# gnuplot or Graphviz on the PATH: their processes would fail too
case_report()        { mkdir -p "$tmp/runs/out" &&
                       PATH=/nonexistent "$BIN" report "$tmp/reported" -q \
                           -o "$tmp/runs/out/report.html"; }
# (two small designs and a baseline: a table, differences, diagrams' text)
"$BIN" run "$tmp/d.ini" --set scenario.baseline=a -r 2 -j 1 -q -o "$tmp/reported" \
    >/dev/null 2>&1 || echo "faults: the report's results folder was not made"
# and a chart to read in (as if gnuplot had drawn the run's plots)
printf 'design,week,metric,mean,ci_low,ci_high\n' >"$tmp/reported/weekly.csv"
{ printf '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
  i=0; while [ $i -lt 3000 ]; do printf '<path d="M0 %d h10"/>' $i; i=$((i + 1)); done
  printf '</svg>\n'; } >"$tmp/reported/demand.svg"
CASES=${FAULTS_CASES:-check check_bad check_csv check_key check_syntax run run_wide check_service run_service run_queues run_phones run_risk report}

failures=0
report() {   # report CASE N WHY
    echo "FAIL $1, allocation $2: $3"
    sed 's/^/     | /' "$tmp/err" | head -n 40
    FAILMALLOC_N=$2 FAILMALLOC_TRACE=1 LD_PRELOAD="$tmp/failmalloc.so" \
        "case_$1" >/dev/null 2>"$tmp/trace"
    sed -n '/injected failure here/,/^$/p' "$tmp/trace" | head -n 16 | sed 's/^/     @ /'
    failures=$((failures + 1))
}

run_case() {   # run_case NAME N -> sets rc, hit
    rm -rf "$tmp/runs" "$tmp/log"
    mkdir -p "$tmp/runs"
    FAILMALLOC_N=$2 FAILMALLOC_LOG="$tmp/log" LD_PRELOAD="$tmp/failmalloc.so" \
        "case_$1" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    hit=0
    grep -q '^failed ' "$tmp/log" 2>/dev/null && hit=1
}

for c in $CASES; do
    run_case "$c" 0
    base_rc=$rc
    calls=$(sed -n 's/^calls //p' "$tmp/log" | tail -n 1)
    [ -d "$tmp/runs/out" ] && cp -R "$tmp/runs/out" "$tmp/base-$c"
    if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/err"; then
        report "$c" 0 "sanitizer report without any injected failure"
        continue
    fi
    n=1 bad=0
    while [ "$n" -le "$MAX" ]; do
        run_case "$c" "$n"
        if [ "$hit" -eq 0 ]; then
            # done once past the unfailed count; below it, only a threaded
            # run that allocated less this time
            [ "$n" -gt "${calls:-0}" ] && break
            n=$((n + 1))
            continue
        fi
        why=
        if grep -q 'CHECK failed: sanitizer_linux_libcdep' "$tmp/err"; then
            # the failure hit ASan's own thread start-up (pthread_getattr_np
            # in a new thread), not servsim: a limit of the tool
            n=$((n + 1))
            continue
        elif [ "$rc" -eq "$SAN" ] || grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/err"; then
            why="sanitizer report (exit $rc)"
        elif [ "$rc" -ge 128 ]; then
            why="killed by signal $((rc - 128))"
        elif [ "$rc" -eq 0 ]; then
            if [ "$rc" -ne "$base_rc" ]; then
                why="exit 0 where the unfailed run exits $base_rc"
            elif [ -d "$tmp/base-$c" ] && ! diff -r "$tmp/base-$c" "$tmp/runs/out" >/dev/null 2>&1; then
                why="exit 0 but results differ from the unfailed run"
            fi
        else
            case $rc in
            1|3|4) grep -q '[^[:space:]]' "$tmp/err" || why="exit $rc with no message on stderr" ;;
            *) why="exit $rc (expected 0, 1, 3 or 4)" ;;
            esac
            # a good scenario is not bad input because memory ran out, and
            # bad input is not a failed run unless memory did run out
            if [ -z "$why" ] && [ "$rc" -eq 3 ] && [ "$base_rc" -ne 3 ]; then
                why="exit 3 (bad input) for a good scenario: out of memory is exit 1"
            elif [ -z "$why" ] && [ "$rc" -eq 1 ] && [ "$base_rc" -eq 3 ] &&
                 ! grep -q 'out of memory\|Cannot allocate memory' "$tmp/err"; then
                why="exit 1 (run failed) for bad input, and no message says memory ran out"
            fi
            if [ -z "$why" ] && [ "${c#run}" != "$c" ] && [ -e "$tmp/runs/out" ]; then
                why="exit $rc but the results directory was written"
            fi
            if [ -z "$why" ] && [ "$c" = report ] && [ -n "$(ls -A "$tmp/runs/out")" ]; then
                why="exit $rc but a page or a part of one was written"
            fi
            if [ -z "$why" ] && ls -d "$tmp/runs/out".* >/dev/null 2>&1; then
                why="exit $rc left $(cd "$tmp/runs" && echo out.*) behind"
            fi
        fi
        if [ -n "$why" ]; then
            report "$c" "$n" "$why"
            bad=$((bad + 1))
        fi
        n=$((n + 1))
    done
    echo "$c: $((n - 1)) allocations failed in turn (of ${calls:-?} counted), $bad bad"
done
[ "$failures" -eq 0 ] && echo "faults: all clean" || echo "faults: $failures FAILED"
[ "$failures" -eq 0 ]

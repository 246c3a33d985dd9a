#!/bin/sh
# cli.sh: the command line, tested from outside like git's t/ scripts:
# exit codes, messages, byte-identical output across thread counts, and
# that a failed or interrupted run never harms earlier results.
#   sh tests/cli.sh ./servsim
set -u
bin=${1:-./servsim}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
tmp=$(mktemp -d /tmp/servsim-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect CODE DESCRIPTION -- command...: the command exits with CODE
expect() {
    code=$1; what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$code" ]; then ok; else
        bad "$what: exit $got, expected $code"; sed 's/^/    /' "$tmp/err" >&2; fi
}
# interrupted -- command...: runs the command in the background with stderr
# in $tmp/err, sends SIGINT a second later, and sets $got to its exit status
interrupted() {
    shift
    "$@" >/dev/null 2>"$tmp/err" &
    pid=$!
    sleep 1
    kill -INT "$pid"
    wait "$pid"
    got=$?
}
# has FILE TEXT DESCRIPTION: FILE contains TEXT
has() {
    if grep -qF -- "$2" "$1"; then ok; else
        bad "$3: '$2' not in output:"; sed 's/^/    /' "$1" >&2; fi
}

small="$tmp/small.ini"
hb="$(cd "$(dirname "$0")/.." && pwd)/scenarios/housing-benefit.ini"
cat >"$small" <<'INI'
[scenario]
name = small
time_unit = minutes
horizon = 20000
warmup = 1000
replications = 6
seed = 5

[design one]
kind = network

[station one.desk]
servers = 2
service = exponential(1.5)
arrival_rate = 1
route = desk:0.1, exit:0.9
INI

# --- servsim alone runs the flagship into results/housing-benefit
# (the binary may be a build/ copy: say where the scenarios and plots are)
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$tmp/alone" && (cd "$tmp/alone" && SERVSIM_SCENARIOS="$root/scenarios" \
    SERVSIM_PLOTS="$root/plots" "$bin" -q >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc")
if [ "$(cat "$tmp/rc")" -eq 0 ] && [ -f "$tmp/alone/results/housing-benefit/summary.csv" ]; then ok; else
    bad "servsim alone: exit $(cat "$tmp/rc"), no results/housing-benefit/summary.csv"; sed 's/^/    /' "$tmp/err" >&2; fi

# --- usage and help
expect 0 "--version" -- "$bin" --version
has "$tmp/out" "servsim " "--version prints the version"
has "$tmp/out" "GPL-3.0-or-later" "--version names the licence"
expect 0 "--help" -- "$bin" --help
has "$tmp/out" "exit codes" "--help lists exit codes"
expect 0 "help run" -- "$bin" help run
has "$tmp/out" "--jobs" "help run describes -j"
expect 2 "help on unknown topic" -- "$bin" help frobnicate
expect 2 "unknown command" -- "$bin" frobnicate
has "$tmp/err" "unknown command 'frobnicate'" "unknown command message"
expect 2 "run without file" -- "$bin" run
expect 2 "bad -j" -- "$bin" run "$small" -j 0
expect 2 "bad -r" -- "$bin" run "$small" -r -3
expect 2 "unknown option" -- "$bin" run "$small" --bogus

# --- standard output that cannot be written is not a success (exit 4)
for cmd in "check $hb" "trace $hb --design split --need 3" "bench --customers 2000 --repeat 1" \
           "--version"; do
    # shellcheck disable=SC2086 # the words of cmd are separate arguments
    "$bin" $cmd >/dev/full 2>"$tmp/err"; got=$?
    if [ "$got" -eq 4 ] && grep -q "cannot write to standard output" "$tmp/err"; then ok
    else bad "$cmd to /dev/full: exit $got, expected 4 with a message"; fi
done
# --- --resume with rows the checkpoint does not keep is refused at once
expect 2 "--resume with --needs" -- "$bin" run "$hb" -o "$tmp/rn" --resume --needs
has "$tmp/err" "--resume cannot be used with --needs or --events" "--resume --needs explained"
expect 2 "--resume with --events" -- "$bin" run "$hb" -o "$tmp/rn" --events --resume

# --- bench: figures as name: value lines; bad counts are usage errors
expect 0 "bench" -- "$bin" bench --customers 20000 --repeat 3
for name in mm1_runs: mm1_customers_per_second: mm1_customers_per_second_best: \
            mm1_customers_per_second_worst: mm1_events_per_second: mm1_peak_rss_mb: \
            mm1_customers_per_second_2threads:; do
    has "$tmp/out" "$name" "bench prints $name"
done
# best >= median >= worst; about 20,000 customers a thread (Poisson: sd 141)
if awk -F': ' '{v[$1] = $2}
    END { exit !(v["mm1_runs"] == 3 &&
                 v["mm1_customers_per_second_best"] >= v["mm1_customers_per_second"] &&
                 v["mm1_customers_per_second"] >= v["mm1_customers_per_second_worst"] &&
                 v["mm1_customers"] > 19000 && v["mm1_customers"] < 21000 &&
                 v["mm1_customers_2threads"] > 38000 && v["mm1_customers_2threads"] < 42000) }' \
    "$tmp/out"; then ok; else bad "bench figures out of order or range:"; sed 's/^/    /' "$tmp/out" >&2; fi
# with two runs the median time is the mean of the two, so the median rate
# is the harmonic mean of the best and the worst (rates are printed whole)
expect 0 "bench, two runs" -- "$bin" bench --customers 20000 --repeat 2
if awk -F': ' '{v[$1] = $2}
    END { m = v["mm1_customers_per_second"]; b = v["mm1_customers_per_second_best"]
          w = v["mm1_customers_per_second_worst"]
          if (!(m > 0 && b > 0 && w > 0)) exit 1
          d = 2 / m - (1 / b + 1 / w); if (d < 0) d = -d
          exit !(d * m < 1e-5) }' "$tmp/out"; then ok; else
    bad "bench --repeat 2: the median is not the mean of the two times:"; sed 's/^/    /' "$tmp/out" >&2; fi
expect 2 "bench --customers 0" -- "$bin" bench --customers 0
expect 2 "bench --customers abc" -- "$bin" bench --customers abc
expect 2 "bench --repeat 101" -- "$bin" bench --repeat 101
has "$tmp/err" "expected 1 to 100 runs" "bench --repeat says what is allowed"

# --- "-" reads the scenario from standard input, once, for every command
"$bin" check - <"$small" >"$tmp/out" 2>"$tmp/err"; got=$?
if [ "$got" -eq 0 ] && grep -q "^(stdin): ok" "$tmp/out"; then ok; else bad "check - : exit $got"; fi
printf '[scenario]\nname = x\nbogus\n' | "$bin" check - >"$tmp/out" 2>"$tmp/err"; got=$?
if [ "$got" -eq 3 ] && grep -q "^(stdin):3: syntax error" "$tmp/err"; then ok
else bad "a bad scenario on standard input: exit $got, or no (stdin):LINE"; fi
printf 'a\0b' | "$bin" check - >"$tmp/out" 2>"$tmp/err"; got=$?
if [ "$got" -eq 3 ] && grep -q "binary" "$tmp/err"; then ok; else bad "binary standard input: exit $got"; fi
"$bin" run - -o "$tmp/fromstdin" -q <"$small" >/dev/null 2>"$tmp/err"; got=$?
if [ "$got" -eq 0 ] && [ -f "$tmp/fromstdin/summary.csv" ]; then ok; else bad "run - : exit $got"; fi
"$bin" run "$small" -o "$tmp/fromfile" -q >/dev/null 2>&1
if cmp -s "$tmp/fromstdin/summary.csv" "$tmp/fromfile/summary.csv"; then ok
else bad "run - and run FILE differ"; fi
"$bin" sweep - -o "$tmp/sweepstdin" -q -r 2 --vary "station one.desk.servers=2:3:1" \
    <"$small" >/dev/null 2>"$tmp/err"; got=$?
if [ "$got" -eq 0 ] && [ -f "$tmp/sweepstdin/sweep.csv" ]; then ok
else bad "sweep - (the scenario read once, loaded at every point): exit $got"; fi

# --- check: good and bad scenario files (exit 3, file:line messages)
expect 0 "check good" -- "$bin" check "$small"
has "$tmp/out" "ok" "check says ok"
# the limits that keep every message's location true: the line counter
# stops at 10,000,000 lines (it used to wrap past 2^31 and blame a --set)
awk 'BEGIN { print "[scenario]"; for (i = 0; i < 10000000; i++) print ""; print "x = 1" }' \
    >"$tmp/lines.ini"
expect 3 "more than 10,000,000 lines" -- "$bin" check "$tmp/lines.ini"
has "$tmp/err" "lines.ini:10000001: more than 10000000 lines" "the line past the limit named"
awk 'BEGIN { for (i = 0; i <= 100000; i++) print "[s" i "]" }' >"$tmp/secs.ini"
expect 3 "more than 100,000 sections" -- "$bin" check "$tmp/secs.ini"
has "$tmp/err" "secs.ini:100001: more than 100000 sections" "the section past the limit named"
rm -f "$tmp/lines.ini" "$tmp/secs.ini"
expect 3 "check_minutes below 0" -- "$bin" check scenarios/housing-benefit.ini \
    --set 'team split.front.check_minutes=-1'
has "$tmp/err" "check_minutes = -1 is out of range (allowed: 0 to 10000)" "check_minutes' range said"
expect 3 "check missing file" -- "$bin" check "$tmp/nope.ini"
has "$tmp/err" "nope.ini" "missing file named"
expect 3 "check directory" -- "$bin" check "$tmp"
: >"$tmp/empty.ini"
expect 3 "check empty" -- "$bin" check "$tmp/empty.ini"
head -c 512 /bin/sh >"$tmp/binary.ini"
expect 3 "check binary" -- "$bin" check "$tmp/binary.ini"
sed 's/^arrival_rate = 1$/arrival_rate = nan/' "$small" >"$tmp/nan.ini"
expect 3 "check NaN" -- "$bin" check "$tmp/nan.ini"
has "$tmp/err" "nan.ini:15:" "NaN error cites file:line"
sed 's/^servers = 2$/servers = -2/' "$small" >"$tmp/neg.ini"
expect 3 "check negative servers" -- "$bin" check "$tmp/neg.ini"
has "$tmp/err" "neg.ini:13:" "negative error cites file:line"
printf 'colour = red\n' >>"$small.x"; cat "$small" "$small.x" >"$tmp/unknown.ini"
expect 3 "check unknown key" -- "$bin" check "$tmp/unknown.ini"
has "$tmp/err" "unknown key 'colour'" "unknown key named"
has "$tmp/err" "allowed:" "unknown key lists what is allowed"
sed 's/^servers = 2$/servers = 2\nservers = 3/' "$small" >"$tmp/dup.ini"
expect 3 "check duplicate key" -- "$bin" check "$tmp/dup.ini"
has "$tmp/err" "duplicate key" "duplicate key named"
expect 3 "check bad --set" -- "$bin" check "$small" --set "station one.desk.servers=many"
has "$tmp/err" "--set station one.desk.servers" "--set error cites the option"
expect 0 "check good --set" -- "$bin" check "$small" --set "station one.desk.servers=3"
expect 0 "overloaded station: a warning, still runs" -- "$bin" run "$small" -o "$tmp/over" --quiet \
    --set "station one.desk.servers=1" --set scenario.horizon=2000
has "$tmp/err" "warning: station one.desk is offered" "overload warning names the station"
expect 0 "overloaded service team: a warning" -- "$bin" check "$hb" --set "team split.back.staff=3"
has "$tmp/err" "warning: team split.back needs at least" "service overload warning names the team"
# handoff work counts: 15 claims a day at 3 hours each of handing on are
# 45 hours a day against the call centre's 6 x 7.5 on 5 days of 7 (32)
expect 0 "handoff work overloads the sending team: a warning" -- "$bin" check "$hb" \
    --set "team split.front.handoff_hours=3"
has "$tmp/err" "warning: team split.front needs at least" "handoff work counts in the overload warning"
expect 0 "no warning for the flagship" -- "$bin" check "$hb"
if grep -q warning "$tmp/err"; then bad "the flagship should not warn"; else ok; fi

# --- inputs found by fuzzing: a clear error or success, never a crash
for f in "$(dirname "$0")"/fuzz/regressions/*; do
    [ -f "$f" ] || continue
    "$bin" check "$f" >/dev/null 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 0 ] || [ "$got" -eq 3 ]; then ok; else
        bad "fuzz regression $(basename "$f"): exit $got"; sed 's/^/    /' "$tmp/err" >&2; fi
done

# --- run: files, byte-identical across -j, overrides
expect 0 "run -j 1" -- "$bin" run "$small" -o "$tmp/j1" -j 1 --quiet
expect 0 "run -j 2" -- "$bin" run "$small" -o "$tmp/j2" -j 2 --quiet
for f in summary.csv replications.csv scenario.resolved.ini; do
    if cmp -s "$tmp/j1/$f" "$tmp/j2/$f"; then ok; else bad "$f differs between -j 1 and -j 2"; fi
done
has "$tmp/j1/summary.csv" "design,metric,unit,mean,ci_low,ci_high,sd,n" "summary header"
has "$tmp/j1/replications.csv" "design,replication,seed,metric,value" "replications header"
has "$tmp/j1/scenario.resolved.ini" "route = desk:0.1, exit:0.9" "resolved ini keeps values"
has "$tmp/j1/scenario.resolved.ini" "replication 6:" "resolved ini lists seeds"
has "$tmp/j1/scenario.resolved.ini" "; written by servsim $("$bin" --version | head -n 1 | cut -d' ' -f2) (random streams: GSL taus2)" \
    "resolved ini names the version and generator"
expect 0 "run -r --seed" -- "$bin" run "$small" -o "$tmp/r3" -r 3 --seed 11 --quiet
has "$tmp/r3/scenario.resolved.ini" "seed = 11" "--seed recorded"
rows=$(grep -c ",e2e_mean," "$tmp/r3/replications.csv")
if [ "$rows" -eq 3 ]; then ok; else bad "-r 3 gave $rows replications"; fi
expect 0 "run prints a table" -- "$bin" run "$small" -o "$tmp/tbl" -j 2
has "$tmp/out" "e2e_mean" "table shows e2e_mean"

# --- trace: one need's journey, for students
expect 0 "trace a need" -- "$bin" trace "$hb" --design split --need 1500
has "$tmp/out" "contacts front: new (value demand, contact 1)" "trace starts with the new contact"
has "$tmp/out" "failure demand" "trace names failure demand"
has "$tmp/out" "decides: need met" "trace ends with the decision"
expect 2 "trace without --need" -- "$bin" trace "$hb" --design split
expect 2 "trace of an unknown design" -- "$bin" trace "$hb" --design nobody --need 1
has "$tmp/err" "allowed: split, integrated" "trace lists the designs"
expect 0 "trace of a need beyond the horizon" -- "$bin" trace "$hb" --design split --need 99999999
has "$tmp/out" "needs arrived before the horizon" "trace says the need never came"
# the overload warning takes the cheapest way through a pathway: a branch
# of 200 hours that 1% of needs take is no reason to say a team can never
# keep up (least work 1 hour a need, 5 needs a day, 1 worker open 5.36
# hours a day on average),
# but at 10 needs a day on the cheapest way it is, cited at the team's line
cat > "$tmp/branch.ini" <<'EOF2'
[scenario]
name = b
time_unit = days
horizon = 50
[need a]
work_hours = deterministic(1)
arrival_rate = 5
[design d]
kind = service
[team d.desk]
staff = 1
contact_hours = deterministic(0)
review_hours = deterministic(200)
[pathway d.a]
front = contact at desk then decide:0.99, deep:0.01
deep = review at desk then decide
decide = decide at desk
EOF2
expect 0 "a rarely taken costly branch" -- "$bin" check "$tmp/branch.ini"
if grep -q "never keep up" "$tmp/out" "$tmp/err"; then bad "overload warned for a branch few needs take"; else ok; fi
expect 0 "overloaded on the cheapest way" -- "$bin" check "$tmp/branch.ini" --set "need a.arrival_rate=10"
has "$tmp/err" "branch.ini:10: warning: team d.desk needs at least 10 hours a day but has 5.36" "overload warning at the team's line"

# a part of a design whose design is misspelt is refused, with the designs
printf '[pathway e.a]\nfront = contact at desk\n' >> "$tmp/branch.ini"
expect 3 "a pathway of no design" -- "$bin" check "$tmp/branch.ini"
has "$tmp/err" "branch.ini:18: [pathway e.a] names no design of this scenario (allowed: [pathway DESIGN.NAME] with DESIGN one of d)" "misspelt design in a pathway section named at its line"
sed 's/^\[team d.desk\]/[team dd.desk]/' "$tmp/branch.ini" > "$tmp/team.ini"
expect 3 "a team of no design" -- "$bin" check "$tmp/team.ini"
has "$tmp/err" "team.ini:10: [team dd.desk] names no design of this scenario" "misspelt design in a team section named first, at its line"

# a team that no pathway uses is warned of (it would do nothing)
head -n 17 "$tmp/branch.ini" > "$tmp/idle.ini"
printf '[team d.idle]\nstaff = 3\n' >> "$tmp/idle.ini"
expect 0 "a team in no pathway is a warning, not an error" -- "$bin" check "$tmp/idle.ini"
has "$tmp/err" "idle.ini:18: warning: team d.idle is in no pathway of design d, so it does no work" "unused team warned of at its line"

# households of several needs: the trace follows the household, each line
# marked with its need; referrals, fresh assessments, a key worker, and a
# place waited for
fam="$root/scenarios/families.ini"
expect 0 "trace a family, fragmented" -- "$bin" trace "$fam" --design fragmented --need 3
has "$tmp/out" "household 3 (days" "trace of a family names the household"
has "$tmp/out" "a household of 4 needs arrives; its needs share one underlying cause" "trace says how many needs arrive"
has "$tmp/out" "[debt] the file is referred from council-contact to money-advice" "trace narrates a referral"
has "$tmp/out" "hub has none of the file: it assesses the need afresh" "trace narrates a fresh assessment"
expect 0 "trace a family, key worker" -- "$bin" trace "$fam" --design key-worker --need 5
has "$tmp/out" "is given a key worker at locality" "trace narrates the key worker"
has "$tmp/out" "no assessment at locality: the key worker has assessed the household already" "trace: assessed once"
has "$tmp/out" "the key worker brings in mental-health" "trace: specialists brought in"
expect 0 "trace a family waiting for a place" -- "$bin" trace "$fam" --design fragmented --need 3 \
    --set 'team fragmented.early-help.caseload=1' --set 'team fragmented.early-help.staff=1'
has "$tmp/out" "waits for a place with early-help" "trace narrates waiting for a place"
expect 0 "trace of a household beyond the horizon" -- "$bin" trace "$fam" --design fragmented --need 99999999
has "$tmp/out" "households arrived before the horizon" "trace says the household never came"

# --- nothing lost: failed runs leave earlier results untouched
sum_before=$(cat "$tmp/j1"/* | cksum)
expect 3 "bad scenario over good results" -- "$bin" run "$tmp/nan.ini" -o "$tmp/j1"
if [ "$(cat "$tmp/j1"/* | cksum)" = "$sum_before" ]; then ok; else bad "bad run changed results"; fi
expect 4 "unwritable output" -- "$bin" run "$small" -o /proc/servsim-cannot-write --quiet
mkdir "$tmp/precious"; echo keep >"$tmp/precious/thesis.txt"
expect 4 "refuse to replace a foreign directory" -- "$bin" run "$small" -o "$tmp/precious" --quiet
has "$tmp/precious/thesis.txt" "keep" "foreign directory untouched"
# an output folder that cannot be written is refused before the run, not
# after it (a run of 1e8 minutes would take hours: the timeout is a guard)
expect 4 "foreign directory refused before the run" -- timeout 60 "$bin" run "$small" \
    -o "$tmp/precious" --set scenario.horizon=1e8 --quiet
has "$tmp/err" "nothing run" "a foreign directory is refused before the run"
long_name=$(printf '%0250d' 0)
expect 4 "an output name too long to write beside" -- timeout 60 "$bin" run "$small" \
    -o "$tmp/$long_name" --set scenario.horizon=1e8 --quiet
has "$tmp/err" "nothing run" "a name too long is refused before the run"
expect 0 "rerun replaces own results" -- "$bin" run "$small" -o "$tmp/j1" --seed 99 --quiet
has "$tmp/j1/scenario.resolved.ini" "seed = 99" "rerun replaced results"
mkdir "$tmp/j1/extra"; echo x >"$tmp/j1/extra/note"   # a user's addition
expect 0 "rerun over results with a subdirectory" -- "$bin" run "$small" -o "$tmp/j1" --quiet
left=$(find "$tmp" -maxdepth 1 \( -name '*.tmp-*' -o -name '*.old-*' \) | head -n 1)
if [ -n "$left" ]; then bad "temporary directories left behind: $left"; else ok; fi
mode=$(stat -c %a "$tmp/j1")
if [ "$mode" != 700 ]; then ok; else bad "results directory has mode 700 (umask ignored)"; fi

# --- yearly.csv over a window of exactly one year (52 weeks) agrees with
# summary.csv: counts and costs exactly, means and shares to rounding (a
# year's mean time is weighted by the needs met each week, its failure
# share by the contacts); the cumulative cost at the year's end is the
# year's cost
fam="$(dirname "$hb")/families.ini"
expect 0 "a run of one year after warm-up" -- "$bin" run "$fam" -o "$tmp/year" -r 3 -q \
    --set scenario.horizon=544 --set scenario.warmup=180 \
    --set 'design switch.switch_day=300' --set 'design switch.implementation_cost=1e5'
if awk -F, 'FNR == 1 { next }
    FILENAME ~ /summary/ { s[$1 "," $2] = $4; next }
    $2 == 1 { y[$1 "," $3] = $4 }
    function same(a, b,    x) { x = a - b; if (x < 0) x = -x; return x <= 1e-9 * (a < 0 ? -a : a) + 1e-12 }
    END { n = 0
          split("needs_arrived needs_met contacts_failure failure_demand_share e2e_mean reported_mean", m, " ")
          for (k in s) { split(k, p, ","); d = p[1]
              for (i in m) if (p[2] == m[i]) { n++; if (!same(s[k], y[d "," m[i]])) { print "differs: " k; exit 1 } }
              if (p[2] == "cost_total") { n++
                  if (!same(s[k], y[d ",cost"]) || !same(s[k], y[d ",cost_cumulative"])) { print "cost differs: " d; exit 1 } } }
          exit !(n == 21) }' "$tmp/year/summary.csv" "$tmp/year/yearly.csv"; then ok
else bad "yearly.csv over one year does not agree with summary.csv"; fi
# a design with a prevention programme: its return against the baseline
# in differences.csv and on the console, and its break-even year
pre="$(dirname "$hb")/prevention.ini"
expect 0 "prevention.ini, short" -- "$bin" run "$pre" -o "$tmp/prev" -r 2 \
    --set scenario.horizon=7300
has "$tmp/out" "prevention_return" "the return printed"
has "$tmp/prev/differences.csv" "high-risk,none,prevention_return,GBP per GBP," "the return written"
has "$tmp/prev/differences.csv" "high-risk,none,break_even_year,year," "the break-even year written"
# a redesign during the run: a design it names must exist and be a
# service design, and the switch must come during the run
expect 3 "a redesign from no design" -- "$bin" check "$fam" --set 'design switch.from=nobody'
has "$tmp/err" "--set design switch.from: " "the redesign's error says where"
has "$tmp/err" "[design switch] from = nobody: there is no [design nobody] (allowed: the name of a design of kind = service)" \
    "the redesign's error names what is allowed"
expect 3 "a switch after the horizon" -- "$bin" check "$fam" --set 'design switch.switch_day=1e6'
has "$tmp/err" "the switch must come during the run" "a late switch refused"
has "$tmp/year/summary.csv" "switch,cost_implementation,GBP,100000," "the implementation cost in summary.csv"
# a window shorter than a year has no yearly.csv
expect 0 "a run of less than a year after warm-up" -- "$bin" run "$fam" -o "$tmp/noyear" -r 2 -q \
    --set scenario.horizon=500 --set scenario.warmup=180 --set 'design switch.switch_day=300'
if [ ! -e "$tmp/noyear/yearly.csv" ] && [ -f "$tmp/noyear/weekly.csv" ]; then ok
else bad "yearly.csv written for less than a whole year"; fi

# --- a symbolic link as DIR is followed; a link to nothing, and the current
# folder, are refused before the run (they used to fail after it)
mkdir "$tmp/linked" && ln -s linked "$tmp/lnk" && ln -s nowhere "$tmp/dang"
expect 0 "-o a link to an empty folder" -- "$bin" run "$small" -o "$tmp/lnk" -q
if [ -L "$tmp/lnk" ] && [ -f "$tmp/linked/summary.csv" ]; then ok
else bad "-o a link: the link replaced, or no results where it points"; fi
expect 0 "-o a link again (replaces the results it points to)" -- "$bin" run "$small" -o "$tmp/lnk" -q
expect 4 "-o a dangling link" -- "$bin" run "$small" -o "$tmp/dang" -q --set scenario.horizon=1e8
has "$tmp/err" "nothing run" "a dangling link refused before the run"
mkdir "$tmp/cwd"
for dir in . ./ .. "$tmp/cwd"; do
    (cd "$tmp/cwd" && "$bin" run "$small" -o "$dir" -q --set scenario.horizon=1e8) \
        >/dev/null 2>"$tmp/err"; got=$?
    if [ "$got" -eq 4 ] && grep -q "is the current folder.*nothing run" "$tmp/err"; then ok
    else bad "-o $dir from inside it: exit $got, expected 4 before the run"; fi
done
if [ -z "$(ls -A "$tmp/cwd")" ]; then ok; else bad "-o . left something behind"; fi

# --- interrupted run: exit 130, earlier results untouched
sum_before=$(cat "$tmp/j1"/* | cksum)
interrupted -- "$bin" run "$small" -o "$tmp/j1" --set scenario.horizon=1e8 -r 2 -j 2 --quiet
if [ "$got" -eq 130 ]; then ok; else bad "SIGINT: exit $got, expected 130"; fi
has "$tmp/err" "interrupted" "SIGINT reported"
if [ "$(cat "$tmp/j1"/* | cksum)" = "$sum_before" ]; then ok; else bad "interrupted run changed results"; fi
# a signal is seen within a slice of events, however long the run: here
# 1/64 of the horizon is about 5e11 events (hours), where alone the
# interrupt used to be looked at; the KILL after 10 s is the guard
interrupted -- timeout -s KILL 10 "$bin" run "$small" -o "$tmp/vast" \
    --set scenario.horizon=1e9 --set 'station one.desk.arrival_rate=1e4' \
    --set 'station one.desk.service=exponential(1e-5)' -r 1 -j 1 --quiet
if [ "$got" -eq 130 ]; then ok; else bad "SIGINT in a vast run: exit $got, expected 130"; fi
# ... and the scenarios that could only spin at one instant are refused
expect 3 "a way out too rare to rely on" -- "$bin" check "$small" \
    --set 'station one.desk.route=desk:1, exit:1e-10'
has "$tmp/err" "less than once in a million visits" "a rare way out named"
expect 3 "updates near 0 days apart" -- "$bin" check "$hb" --set 'design split.update_days=1e-20'
has "$tmp/err" "for ever at one instant" "near-zero update_days"
expect 3 "chases near 0 days apart" -- "$bin" check "$hb" \
    --set 'need claim.chase_gap_days=deterministic(1e-20)'
has "$tmp/err" "at least a minute" "near-zero chase_gap_days"
# a folder someone makes in DIR's place during the run is not replaced:
# the results are kept in the temporary folder, and it says where
"$bin" run "$small" -o "$tmp/late" --set scenario.horizon=4000000 -r 4 -j 1 --quiet \
    >/dev/null 2>"$tmp/late.err" &
pid=$!
sleep 0.2
mkdir -p "$tmp/late" && echo mine >"$tmp/late/thesis.tex"
wait "$pid"
got=$?
if [ "$got" -eq 4 ] && grep -q mine "$tmp/late/thesis.tex"; then ok
else bad "a folder made during the run: exit $got (want 4), or its file lost"
    sed 's/^/    /' "$tmp/late.err" >&2; fi
rm -rf "$tmp"/late*
# -o DIR/ (a trailing slash): the checkpoint is DIR.partial beside DIR,
# and --resume finds it
interrupted -- "$bin" run "$small" -o "$tmp/slash/" --set scenario.horizon=4000000 -r 8 -j 1 --quiet
if [ -e "$tmp/slash.partial" ] || grep -q "0 of 8 replications finished" "$tmp/err"; then ok
else bad "checkpoint of -o DIR/ not at DIR.partial"; sed 's/^/    /' "$tmp/err" >&2; fi
expect 0 "--resume with -o DIR/" -- "$bin" run "$small" -o "$tmp/slash/" \
    --set scenario.horizon=4000000 -r 8 -j 2 --quiet --resume
left=$(find "$tmp" -maxdepth 1 -name 'j1.tmp-*' | head -n 1)
if [ -z "$left" ]; then ok; else bad "an interrupted run left its temporary folder: $left"; fi
# a checkpoint for the longest name whose temporary folder fits (NAME_MAX
# 255: NAME.tmp-XXXXXX), saved whatever replication finished first
name244=$(printf '%0244d' 0)
interrupted -- "$bin" run "$small" -o "$tmp/$name244" --set scenario.horizon=4000000 -r 8 -j 1 --quiet
if [ "$got" -eq 130 ] && { [ -e "$tmp/$name244.partial" ] ||
                           grep -q "0 of 8 replications finished" "$tmp/err"; }; then ok
else bad "checkpoint of a 244-byte output name: exit $got"; sed 's/^/    /' "$tmp/err" >&2; fi

# --- no gnuplot: the CSV results are still written, and it says so
mkdir -p "$tmp/nobin"
expect 0 "run without gnuplot" -- env PATH="$tmp/nobin" "$bin" run "$hb" -o "$tmp/noplot" -r 2 \
    --set scenario.horizon=500
has "$tmp/err" "plots skipped: gnuplot is not installed" "missing gnuplot is said plainly"
# a note, not an error: --quiet (errors only) leaves it out
expect 0 "run without gnuplot, quiet" -- env PATH="$tmp/nobin" "$bin" run "$hb" \
    -o "$tmp/noplotq" -r 2 --set scenario.horizon=500 --quiet
if [ -s "$tmp/err" ]; then bad "--quiet printed the missing gnuplot"; else ok; fi
if [ -f "$tmp/noplot/weekly.csv" ] && [ ! -e "$tmp/noplot/demand.png" ]; then ok; else
    bad "without gnuplot: weekly.csv missing or a plot present"; fi

# --- opt-in detail: needs.csv and a process-mining event log
for j in 1 2; do
    expect 0 "--needs --events -j $j" -- "$bin" run "$hb" -o "$tmp/det$j" -r 2 -j $j --quiet \
        --set scenario.horizon=500 --needs --events
done
has "$tmp/det1/needs.csv" "design,replication,need_id,case,type,arrival,met,abandoned,contacts_new" "needs.csv header"
# every row has the header's fields (a reason added to the rows and not
# the header once slipped through)
if awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$tmp/det1/needs.csv"
then ok; else bad "needs.csv: a row's fields differ from the header's"; fi
has "$tmp/det1/events.csv" "case_id,activity,timestamp,resource,lifecycle,design,replication" "events.csv header"
has "$tmp/det1/events.csv" ",decide,20" "events.csv has decisions with ISO timestamps"
for f in needs.csv events.csv; do
    if cmp -s "$tmp/det1/$f" "$tmp/det2/$f"; then ok; else bad "$f differs between -j 1 and -j 2"; fi
done
# every need met in needs.csv has a decision in the event log of its case
met=$(awk -F, 'NR > 1 && $7 != "" && $1 == "split" && $2 == 1' "$tmp/det1/needs.csv" | wc -l)
decided=$(grep -c '^split-1-[0-9]*\.claim\.[0-9]*,decide,' "$tmp/det1/events.csv")
if [ "$met" -eq "$decided" ] && [ "$met" -gt 0 ]; then ok; else
    bad "needs.csv has $met needs met, events.csv $decided decisions"; fi

# a redesign's rows carry its own name, from both its designs: no row of
# it is labelled as another design's
expect 0 "--needs --events on a redesign" -- "$bin" run "$fam" -o "$tmp/detr" -r 1 --quiet \
    --set scenario.horizon=700 --set scenario.warmup=180 --set 'design switch.switch_day=400' \
    --needs --events
n_switch=$(awk -F, '$1 == "switch"' "$tmp/detr/needs.csv" | wc -l)
n_frag=$(awk -F, '$1 == "fragmented"' "$tmp/detr/needs.csv" | wc -l)
dup=$(cut -d, -f1-4 "$tmp/detr/events.csv" | sort | uniq -d | wc -l)
if [ "$n_switch" -gt 0 ] && [ "$n_frag" -gt 0 ] && [ "$dup" -eq 0 ]; then ok; else
    bad "redesign rows: $n_switch labelled switch, $n_frag fragmented, $dup events twice"; fi

# --- sweep: every point, the same seeds at every point, a CSV and a curve
expect 0 "sweep a range and a list" -- "$bin" sweep "$small" -o "$tmp/sw" -r 3 --quiet \
    --set "station one.desk.route=exit" \
    --vary "station one.desk.servers=2:4:1" --vary "scenario.warmup=500,1000"
has "$tmp/sw/sweep.csv" "point,station one.desk.servers,scenario.warmup,design,metric,mean,ci_low,ci_high,diff,diff_low,diff_high" "sweep.csv header"
points=$(tail -n +2 "$tmp/sw/sweep.csv" | cut -d, -f1 | sort -u | wc -l)
if [ "$points" -eq 6 ]; then ok; else bad "sweep of 3 x 2 gave $points points"; fi
# the arrivals do not depend on the servers: the same at every server count
arr=$(grep ',arrival_rate_desk,' "$tmp/sw/sweep.csv" | awk -F, '$3 == 1000 {print $6}' | sort -u | wc -l)
if [ "$arr" -eq 1 ]; then ok; else bad "arrivals differ across sweep points: $arr values"; fi
if command -v gnuplot >/dev/null 2>&1; then
    # one point: a plot, and no "empty x range" warning from gnuplot
    expect 0 "sweep of one point" -- "$bin" sweep "$small" -o "$tmp/sw1" -r 2 --quiet \
        --vary "station one.desk.servers=2:2:1"
    if [ -s "$tmp/sw1/sweep.png" ] && ! grep -q "empty x range" "$tmp/err"; then ok; else
        bad "sweep of one point: no plot, or gnuplot warned:"; sed 's/^/    /' "$tmp/err" >&2; fi
    # a first key that is not a number cannot be plotted: the CSV stays,
    # and no empty image is left beside it
    expect 0 "sweep over names" -- "$bin" sweep "$small" -o "$tmp/swname" -r 2 --quiet \
        --vary "scenario.name=a,b"
    has "$tmp/err" "sweep plot failed" "a sweep over names says its plot failed"
    if [ -s "$tmp/swname/sweep.csv" ] && [ ! -e "$tmp/swname/sweep.png" ] &&
       [ ! -e "$tmp/swname/sweep.svg" ]; then ok; else
        bad "sweep over names: sweep.csv missing or a failed plot left behind"; fi
fi
expect 2 "sweep without --vary" -- "$bin" sweep "$small"
expect 2 "sweep with a bad range" -- "$bin" sweep "$small" --vary "station one.desk.servers=4:2:1"
# a misspelt team in --set or --vary: refused, naming the real ones (it
# used to make a new team nothing used, and the results did not move)
expect 3 "--set on a section the file lacks" -- "$bin" check "$hb" --set 'team split.contatc.staff=5'
has "$tmp/err" "sections of that kind: [team split.front], [team split.back]" "--set typo names the teams"
printf '[design a]\nkind = network\n' >"$tmp/noscen.ini"
expect 3 "-r on a file without [scenario]" -- "$bin" run "$tmp/noscen.ini" -r 2 -o "$tmp/noscen"
has "$tmp/err" "missing [scenario] section" "-r on a file without [scenario] says so"
expect 3 "--vary on a section the file lacks" -- "$bin" sweep "$hb" -o "$tmp/swtypo" -q \
    --vary 'team split.contatc.staff=4:6:1'
if [ ! -e "$tmp/swtypo" ]; then ok; else bad "a sweep of a misspelt team wrote results"; fi
# every point and the metric are checked before anything runs: a bad
# value at the last point, an unknown --metric (1e8 minutes: a guard)
expect 3 "sweep with a bad last value" -- timeout 60 "$bin" sweep "$small" -o "$tmp/swlast" -q \
    --set scenario.horizon=1e8 --vary "station one.desk.servers=2,0"
has "$tmp/err" "point 2:" "sweep names the bad point"
expect 2 "sweep with an unknown metric" -- timeout 60 "$bin" sweep "$small" -o "$tmp/swmet" -q \
    --set scenario.horizon=1e8 --metric e2e_meen --vary "station one.desk.servers=2,3"
has "$tmp/err" "allowed: " "unknown metric lists the metrics"
# one replication: no interval, the plot is still drawn
expect 0 "sweep -r 1" -- "$bin" sweep "$small" -o "$tmp/swr1" -r 1 -q --vary "station one.desk.servers=2,3"
if [ -s "$tmp/swr1/sweep.png" ] || ! command -v gnuplot >/dev/null 2>&1; then ok
else bad "sweep -r 1 drew no plot"; sed 's/^/    /' "$tmp/err" >&2; fi
# a range's values without rounding noise (0.1 + 2 * 0.1 is not 0.3)
expect 0 "sweep of a decimal range" -- "$bin" sweep "$small" -o "$tmp/swdec" -r 2 -q \
    --vary "station one.desk.arrival_rate=0.1:0.3:0.1"
has "$tmp/swdec/sweep.csv" "3,0.3,one," "a decimal range's values as written"
# the results line names only the files written (one design, no series)
expect 0 "results line" -- "$bin" run "$small" -o "$tmp/rline" -r 2
has "$tmp/out" "(summary and replications CSV; scenario.resolved.ini)" "results line names what was written"
expect 2 "sweep with too many points" -- "$bin" sweep "$small" --vary "scenario.seed=1:2000:1"
expect 3 "sweep with a bad value" -- "$bin" sweep "$small" -o "$tmp/swbad" --vary "station one.desk.servers=0,1" --quiet
if [ ! -e "$tmp/swbad" ]; then ok; else bad "a failed sweep left results"; fi

# --- interrupted, then --resume: the same files as an uninterrupted run
# (whatever the timing: if nothing had finished, the resume starts over).
# The runs interrupted after a second last several seconds uninterrupted
# (4e6 minutes: 1e6 had come to take 1.3 s, and finished first)
long="--set scenario.horizon=4000000 -r 8 --quiet"
# shellcheck disable=SC2086
"$bin" run "$small" -o "$tmp/whole" -j 1 $long >/dev/null 2>&1
# shellcheck disable=SC2086
interrupted -- "$bin" run "$small" -o "$tmp/resumed" -j 1 $long
if [ "$got" -eq 130 ]; then ok; else bad "interrupted run: exit $got, expected 130"; fi
has "$tmp/err" "replications finished" "interrupt says how many replications finished"
# an interrupt is not reported as a failed replication
if grep -q "no results written" "$tmp/err"; then bad "an interrupt reported as a failure"; else ok; fi
# shellcheck disable=SC2086
expect 0 "--resume" -- "$bin" run "$small" -o "$tmp/resumed" -j 2 $long --resume
for f in summary.csv replications.csv scenario.resolved.ini; do
    if cmp -s "$tmp/whole/$f" "$tmp/resumed/$f"; then ok; else bad "$f after --resume differs"; fi
done
if [ ! -e "$tmp/resumed.partial" ]; then ok; else bad "checkpoint left after a finished run"; fi
# shellcheck disable=SC2086
interrupted -- "$bin" run "$small" -o "$tmp/other" -j 1 $long
# another scenario's (or version's) checkpoint is refused, and kept: it
# may be finished by the run (or version) that wrote it
if [ -e "$tmp/other.partial" ]; then
    cksum <"$tmp/other.partial" >"$tmp/other.sum"
    # shellcheck disable=SC2086
    expect 0 "--resume with other settings starts over" -- "$bin" run "$small" -o "$tmp/other" $long --seed 77 --resume
    has "$tmp/err" "no usable checkpoint" "--resume refuses another scenario's checkpoint"
    if cksum <"$tmp/other.partial" | cmp -s - "$tmp/other.sum"; then ok
    else bad "a refused checkpoint was removed or changed by the finished run"; fi
else   # nothing had finished within the second: nothing to refuse
    echo "cli: note: no checkpoint to refuse (no replication finished in 1 s)"
fi

# --- queueing behaviours from the command line: the new user's Erlang A
# (issue 22: 'station c.calls.patience=exponential(5)' was an unknown key)
ec="$root/scenarios/validation/erlang-c.ini"
expect 0 "--set patience on a station" -- "$bin" run "$ec" -o "$tmp/ea" -r 3 -q \
    --set 'scenario.horizon=20000' --set 'station c12.calls.patience=exponential(5)'
has "$tmp/ea/summary.csv" "c12,abandon_share_calls,share," "abandon_share_S is reported"
if grep -q "c13,abandon_share_calls" "$tmp/ea/summary.csv"; then
    bad "a station without patience reports abandon_share"; else ok; fi
expect 0 "run shows abandon_share on the console" -- "$bin" run "$ec" -o "$tmp/ea2" -r 2 \
    --set 'scenario.horizon=12000' --set 'station c12.calls.patience=exponential(5)'
has "$tmp/out" "abandon_share_calls" "the console shows abandon_share_S"
expect 3 "a rota with nobody on duty" -- "$bin" check "$ec" --set 'station c12.calls.rota=mon-sun: 0'
has "$tmp/err" "rota: no server is ever on duty" "a rota of zeros is refused"
expect 3 "an arrival profile of zeros" -- "$bin" check "$ec" \
    --set 'station c12.calls.arrival_rate=0' --set 'station c12.calls.arrival_profile=mon 09-10: 0'
has "$tmp/err" "the rate is 0 all week" "a profile of zeros is refused"
expect 3 "a bad period" -- "$bin" check "$ec" --set 'station c12.calls.rota=mon 9-25: 3'
has "$tmp/err" "rota: bad entry 'mon 9-25: 3': '9-25' is not a period of the day (FROM-TO on a 24-hour clock" \
    "a malformed period says what is wrong"
has "$tmp/err" "(allowed: DAYS [FROM-TO]: VALUE" "a malformed period names the rule"
# need arrivals by period: every claim arrives on a weekday in office hours
expect 0 "need arrival_profile" -- "$bin" run "$hb" -o "$tmp/prof" -r 1 -q --needs \
    --set scenario.horizon=120 --set scenario.warmup=0 --set 'need claim.arrival_rate=0' \
    --set 'need claim.arrival_profile=mon-fri 09-17: 45'
if awk -F, 'NR > 1 && $4 == 0 { t = $6; d = int(t) % 7; h = (t - int(t)) * 24;
            if (d > 4 || h < 9 || h >= 17) { print "arrival at day " t; bad = 1 } }
            END { exit bad }' "$tmp/prof/needs.csv"; then ok
else bad "a claim arrived outside mon-fri 09-17"; fi

# --- issue 25 (6, 7, 8): a line break in a --set value is refused (it
# would write a section of its own into scenario.resolved.ini); --seed is
# read whole (leading zeros are a number's, junk and overflow refused);
# less than a week after warm-up gives results without a weekly series
expect 3 "a line break in --set" -- "$bin" check "$hb" --set "design split.description=a
[design evil]"
has "$tmp/err" "--set design split.description: a line break in the value" \
    "the line break is named, and the key"
expect 0 "--seed with leading zeros" -- "$bin" run "$small" -o "$tmp/seed0" -q -r 2 \
    --seed 00000000000000000000000000000000000000000000000007
expect 0 "--seed 7" -- "$bin" run "$small" -o "$tmp/seed7" -q -r 2 --seed 7
if cmp -s "$tmp/seed0/summary.csv" "$tmp/seed7/summary.csv"; then ok
else bad "--seed 000...07 did not run as seed 7"; fi
expect 2 "--seed with junk" -- "$bin" run "$small" -o "$tmp/seedj" -q --seed "7 junk"
has "$tmp/err" "--seed 7 junk: expected a whole number" "junk in --seed is refused"
expect 2 "--seed past 2^64" -- "$bin" run "$small" -o "$tmp/seedo" -q --seed 18446744073709551616
expect 0 "under a week after warm-up" -- "$bin" run "$hb" -o "$tmp/short" -q -r 1 \
    --set scenario.horizon=20 --set scenario.warmup=15
if [ -f "$tmp/short/summary.csv" ]; then ok; else bad "no summary for a short run"; fi

# --- issue 25 (5): a scenario path of 380 bytes keeps its :LINE in messages
long="$tmp/$(printf 'x%.0s' $(seq 1 120))/$(printf 'y%.0s' $(seq 1 120))/$(printf 'z%.0s' $(seq 1 120))"
mkdir -p "$long"
printf '[scenario]\nname = x\ntime_unit = minutes\nhorizon = 100\n[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = -1\n' >"$long/long.ini"
expect 3 "a long path" -- "$bin" check "$long/long.ini"
has "$tmp/err" "zzzz/long.ini:9: [station a.s] arrival_rate = -1 is out of range" \
    "a long path keeps its line number"

# ---- warnings, warmup, compare (docs/cli.md) ----
# a settled run says nothing; the flagship with 12 back-office staff is
# busy all the time and its open cases rise, and says so in both places
expect 0 "settled: no warning" -- "$bin" run "$hb" -r 4 -q -o "$tmp/w0"
if [ -s "$tmp/err" ] || [ -e "$tmp/w0/warnings.txt" ]; then
    bad "a settled run warned:"; cat "$tmp/err" >&2; else ok; fi
expect 0 "overloaded: runs" -- "$bin" run "$hb" -r 4 -o "$tmp/w12" \
    --set 'team split.back.staff=12'
has "$tmp/err" "servsim: warning: design split: utilisation_back is 1.000" "busy team"
has "$tmp/err" "design split: open cases (wip) rise from" "drift"
has "$tmp/w12/warnings.txt" "design split: open cases (wip) rise from" "warnings.txt"
if grep -q "design integrated" "$tmp/err"; then bad "the integrated design warned"; else ok; fi
# -q: errors only; warnings.txt still has them
expect 0 "overloaded, quiet" -- "$bin" run "$hb" -r 4 -q -o "$tmp/w12q" \
    --set 'team split.back.staff=12'
if [ -s "$tmp/err" ]; then bad "-q printed warnings"; else ok; fi
if cmp -s "$tmp/w12/warnings.txt" "$tmp/w12q/warnings.txt"; then ok; else bad "-q: warnings.txt differs"; fi
expect 2 "run --metric without --precision" -- "$bin" run "$hb" --metric e2e_mean
# no warm-up: a start-up, not a drift
expect 0 "no warm-up: runs" -- "$bin" run "$hb" -r 4 -o "$tmp/wz" --set scenario.warmup=0
has "$tmp/err" "design split: the warm-up looks short: open cases still change for" "short warm-up"
if grep -q "does not settle" "$tmp/err"; then bad "a start-up taken for a drift"; else ok; fi
# a difference too small to tell: two desks alike but for their names
# (so they draw apart: no common random numbers), seed 5
cat >"$tmp/alike.ini" <<'INI'
[scenario]
name = alike
time_unit = minutes
horizon = 5000
warmup = 500
replications = 5
seed = 5
[design one]
kind = network
[station one.desk]
servers = 1
service = exponential(0.8)
arrival_rate = 1
[design two]
kind = network
[station two.counter]
servers = 1
service = exponential(0.8)
arrival_rate = 1
INI
expect 0 "unclear: runs" -- "$bin" run "$tmp/alike.ini" -o "$tmp/wu"
has "$tmp/err" "design two: its difference from one in e2e_mean is not clear" "unclear difference"
expect 0 "warmup" -- "$bin" warmup "$hb" -r 4 -o "$tmp/wup"
has "$tmp/out" "split            wip settles after" "warmup: per design"
has "$tmp/out" "suggested warm-up:" "warmup: the suggestion"
if head -1 "$tmp/wup/welch.csv" | grep -qx 'design,week,mean,moving_average'; then ok
else bad "welch.csv header"; fi
weeks=$(grep -c '^split,' "$tmp/wup/welch.csv")
if [ "$weeks" -eq 156 ]; then ok; else bad "welch.csv: $weeks weeks of split, expected 156 (3 years from 0)"; fi
expect 2 "warmup: no such series" -- "$bin" warmup "$hb" -r 2 -o "$tmp/wup2" --metric nothing
has "$tmp/err" "no design has a weekly series 'nothing' (allowed: needs_arrived" "warmup: series named"
if [ -e "$tmp/wup2" ]; then bad "warmup with a bad series left a folder"; else ok; fi
expect 2 "warmup: networks have no series" -- "$bin" warmup "$small" -o "$tmp/wup3"
# the case it is for: the scenario's own warm-up is not before the horizon
expect 0 "warmup: warm-up past the horizon" -- "$bin" warmup "$hb" -r 2 -o "$tmp/wup4" \
    --set scenario.horizon=300
has "$tmp/out" "the scenario's own is not before its horizon" "warmup: says so"
expect 3 "warmup: too short to tell" -- "$bin" warmup "$hb" -r 2 -o "$tmp/wup5" \
    --set scenario.horizon=100
has "$tmp/err" "too few for MSER-5 to tell" "warmup: too short"
expect 2 "warmup: a running total" -- "$bin" warmup "$hb" -r 2 --metric cost_cumulative
# compare: the same demand, then refusals
expect 0 "compare: A" -- "$bin" run "$hb" -r 4 -q -o "$tmp/ca" --set scenario.horizon=600 \
    --set scenario.warmup=100
expect 0 "compare: B" -- "$bin" run "$hb" -r 4 -q -o "$tmp/cb" --set scenario.horizon=600 \
    --set scenario.warmup=100 --set 'team split.front.staff=40'
expect 0 "compare" -- "$bin" compare "$tmp/ca" "$tmp/cb" -o "$tmp/cmp.csv"
has "$tmp/out" "paired replication by replication" "compare: says what"
# the integrated design is the same in both: a difference of exactly 0
if grep -q '^integrated,cost_per_need,\([^,]*\),\1,0,0,0,0,4$' "$tmp/cmp.csv"; then ok
else bad "compare: an unchanged design differs:"; grep '^integrated,cost_per_need' "$tmp/cmp.csv" >&2; fi
# A against A: every difference 0
expect 0 "compare: itself" -- "$bin" compare "$tmp/ca" "$tmp/ca" -o "$tmp/self.csv"
if awk -F, 'NR > 1 && $5 != "" && $5 != 0 { n++ } END { exit n > 0 }' "$tmp/self.csv"; then ok
else bad "compare: a run against itself differs"; fi
expect 0 "compare: other replications" -- "$bin" run "$hb" -r 3 -q -o "$tmp/c3" \
    --set scenario.horizon=600 --set scenario.warmup=100
# fewer replications: replication k is the same in both, so the first 3 pair
expect 0 "compare: other replications" -- "$bin" compare "$tmp/ca" "$tmp/c3" -o "$tmp/c43.csv"
has "$tmp/err" "has 4 replications in A and 3 in B: compared over the first 3" "compare: says so"
if grep -q '^split,cost_per_need,\([^,]*\),\1,0,0,0,0,3$' "$tmp/c43.csv"; then ok
else bad "compare: the first 3 of 4 against 3 differ"; grep '^split,cost_per_need' "$tmp/c43.csv" >&2; fi
expect 0 "compare: other seed" -- "$bin" run "$hb" -r 4 --seed 99 -q -o "$tmp/cs" \
    --set scenario.horizon=600 --set scenario.warmup=100
expect 3 "compare: not paired (seed)" -- "$bin" compare "$tmp/ca" "$tmp/cs"
has "$tmp/err" "not the same demand" "compare: seeds"
sed -i '1s/servsim [0-9.]*/servsim 0.0.1/' "$tmp/cs/scenario.resolved.ini"
expect 3 "compare: another version" -- "$bin" compare "$tmp/ca" "$tmp/cs"
has "$tmp/err" "written by different versions" "compare: versions"
expect 3 "compare: not a results folder" -- "$bin" compare "$tmp/ca" "$tmp"
mkdir -p "$tmp/nov"
cp "$tmp/ca/replications.csv" "$tmp/nov/"
expect 3 "compare: no version" -- "$bin" compare "$tmp/nov" "$tmp/nov"
has "$tmp/err" "no scenario.resolved.ini naming the version" "compare: no version"
# a design in one run only is named and left out; the rest compared
mkdir -p "$tmp/onlya"
cp "$tmp/ca/scenario.resolved.ini" "$tmp/onlya/"
grep -v '^integrated,' "$tmp/ca/replications.csv" >"$tmp/onlya/replications.csv"
expect 0 "compare: a design in one run" -- "$bin" compare "$tmp/ca" "$tmp/onlya"
has "$tmp/err" "design integrated, or some of its metrics, only in A" "compare: names what is left out"
# a value missing in one run: the means are over the replications with both
awk -F, 'BEGIN { OFS = "," } $1 == "split" && $2 == 2 && $4 == "cost_per_need" { $5 = "" } 1' \
    "$tmp/ca/replications.csv" >"$tmp/onlya/replications.csv"
expect 0 "compare: a value missing" -- "$bin" compare "$tmp/ca" "$tmp/onlya" -o "$tmp/miss.csv"
if grep -q '^split,cost_per_need,\([^,]*\),\1,0,0,0,0,3$' "$tmp/miss.csv"; then ok
else bad "compare: a missing value:"; grep '^split,cost_per_need' "$tmp/miss.csv" >&2; fi
expect 2 "compare: one folder" -- "$bin" compare "$tmp/ca"

# ---- a sweep's paired differences from the baseline, and its warnings ----
expect 0 "sweep: differences" -- "$bin" sweep "$hb" -r 3 -q -o "$tmp/swd" \
    --set scenario.horizon=600 --set scenario.warmup=100 --vary 'team split.back.staff=12,20'
# the mean of the differences is the difference of the means (every
# replication has both), and the baseline has none of its own
if awk -F, '$4 == "cost_per_need" { m[$3, $1] = $5; d[$3, $1] = $8 }
    END { for (p = 1; p <= 2; p++) { x = m["integrated", p] - m["split", p] - d["integrated", p]
          if (x > 1e-9 || x < -1e-9 || d["split", p] != "") exit 1 } }' "$tmp/swd/sweep.csv"
then ok; else bad "sweep: diff is not integrated minus split"; fi
if [ -f "$tmp/swd/sweep-diff.png" ] || ! command -v gnuplot >/dev/null 2>&1; then ok
else bad "sweep: no sweep-diff plot"; fi
has "$tmp/swd/warnings.txt" "point 1 (team split.back.staff=12): design split: utilisation_back" \
    "sweep: a point's warnings"
if grep -q "point 2" "$tmp/swd/warnings.txt"; then bad "sweep: 20 staff warned"; else ok; fi

# ---- --precision: replications until the interval is narrow enough ----
short="--set scenario.horizon=600 --set scenario.warmup=100"
# shellcheck disable=SC2086
expect 0 "precision" -- "$bin" run "$hb" -r 3 -o "$tmp/pr" $short --precision 0.005 --metric e2e_mean
has "$tmp/out" "precision: the 95% half-width of e2e_mean is within 0.005" "precision: reached"
n=$(sed -n 's/^replications = \([0-9]*\).*/\1/p' "$tmp/pr/scenario.resolved.ini")
if [ -n "$n" ] && [ "$n" -gt 3 ]; then ok; else bad "precision: $n replications (more than 3 expected)"; fi
# the same files as a run of that many replications from the start
# shellcheck disable=SC2086
expect 0 "precision: fixed run" -- "$bin" run "$hb" -r "${n:-3}" -q -o "$tmp/prn" $short
for f in summary.csv differences.csv replications.csv weekly.csv scenario.resolved.ini; do
    if cmp -s "$tmp/pr/$f" "$tmp/prn/$f"; then ok
    else bad "precision: $f differs from a run of $n replications"; fi
done
# and the interval it stopped at is within 0.5% of the paired difference
if awk -F, -v rel=0.005 '$3 == "e2e_mean" { m = $5 < 0 ? -$5 : $5; if (($7 - $6) / 2 > rel * m) bad = 1; seen = 1 }
    END { exit !(seen && !bad) }' "$tmp/pr/differences.csv"; then ok
else bad "precision: the difference's half-width is wider than asked"; fi
# one design: its mean; two designs alike: a difference of nothing is never
# known to 1%, so it stops at 1000 and says so
expect 0 "precision: one design" -- "$bin" run "$small" -q -o "$tmp/pr1" --precision 0.01 \
    --metric e2e_mean
if awk -F, '$2 == "e2e_mean" { exit !(($6 - $5) / 2 <= 0.01 * $4 && $8 > 6) }' "$tmp/pr1/summary.csv"
then ok; else bad "precision: one design's mean"; fi
expect 0 "precision: not reached" -- "$bin" run "$tmp/alike.ini" -q -o "$tmp/pr2" \
    --set scenario.horizon=800 --precision 0.01 --metric e2e_mean
has "$tmp/err" "warning: --precision 0.01 not reached for e2e_mean after 1000 replications" \
    "precision: says when it stops short"
expect 2 "precision without --metric" -- "$bin" run "$hb" --precision 0.01
expect 2 "precision: bad share" -- "$bin" run "$hb" --precision 1.5 --metric e2e_mean
expect 2 "precision: with --needs" -- "$bin" run "$hb" --precision 0.01 --metric e2e_mean --needs
expect 2 "precision: not with sweep" -- "$bin" sweep "$hb" --vary scenario.seed=1,2 \
    --precision 0.01 --metric e2e_mean
expect 2 "precision: no such metric" -- "$bin" run "$hb" -o "$tmp/pr3" --precision 0.01 --metric nothing
has "$tmp/err" "--metric nothing: design split has no such metric" "precision: names the metric"
if [ -e "$tmp/pr3" ]; then bad "precision: a bad metric left a folder"; else ok; fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

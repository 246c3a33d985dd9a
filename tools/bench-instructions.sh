#!/bin/sh
# bench-instructions.sh SERVSIM OUTDIR: instruction counts under callgrind,
# the figures of docs/performance.md that do not move with the machine's
# load (wall times on a shared machine vary 30% from run to run; these
# agree to about one part in a million for the same binary and inputs, the
# rest being how the two-thread bench run's threads interleave):
#   - the kernel bench, M/M/1 at rho 0.9, 300,000 customers, one run on one
#     thread and one on two (900,000 customers in all);
#   - the city-scale scenario, one replication of each design over 300
#     days of which 150 are warm-up, on one thread.
# Skipped, with a line saying so, when valgrind is not installed.
set -eu
bin=$1
out=$2
mkdir -p "$out"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "# valgrind not installed: no instruction counts (apt-get install valgrind)"
    exit 0
fi
# instructions FIGURE COUNT-NAME COUNT -- command...: runs the command under
# callgrind and prints its instructions, in all and per counted unit
instructions() {
    figure=$1; unit=$2; shift 3
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
        >"$out/log" 2>"$out/err" || { cat "$out/err"; exit 1; }
    refs=$(sed -n 's/.*I *refs: *//p' "$out/err" | tr -d , | tail -n 1)
    n=$(count)
    case "$refs:$n" in
    *[!0-9:]* | :* | *: | *:0)
        echo "bench-instructions: cannot read the instructions ('$refs') or the" \
             "count ('$n') of $figure (see $out/err and $out/log)" >&2
        exit 1 ;;
    esac
    echo "${figure}_instructions: $refs"
    echo "${figure}_instructions_per_$unit: $((refs / n))"
}
count() { awk -F': ' '$1 == "mm1_customers" || $1 == "mm1_customers_2threads" { n += $2 } END { print n }' "$out/log"; }
instructions kernel customer -- "$bin" bench --customers 300000 --repeat 1
count() { sed -n 's/^simulated \([0-9]*\) needs.*/\1/p' "$out/log"; }
instructions city_300_days need -- "$bin" run scenarios/city-scale.ini -r 1 -j 1 \
    -o "$out/city-300" --set scenario.horizon=300 --set scenario.warmup=150

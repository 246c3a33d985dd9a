#!/bin/sh
# bench-city.sh SERVSIM OUTDIR: the city-scale figures of docs/performance.md.
#   - one replication of each design over 1, 5 and 10 simulated years after
#     the scenario's one-year warm-up, on one thread: needs and events a
#     second, and peak memory, which should not grow with the horizon;
#   - two replications over the scenario's 5 years on two threads.
# The whole city-scale run (100 replications) is
#   servsim run scenarios/city-scale.ini
# Each line is the run's own "simulated ..." summary line.
set -eu
bin=$1
out=$2
mkdir -p "$out"
scenario=scenarios/city-scale.ini
last_line() {   # runs servsim, prints its last line, keeps its exit status
    "$bin" "$@" > "$out/log" 2> "$out/err" || { cat "$out/log" "$out/err"; exit 1; }
    tail -n 1 "$out/log"
}
for years in 1 5 10; do
    days=$((365 + years * 365 + years / 4))
    printf 'city_scale_%s_years_1_thread: ' "$years"
    last_line run "$scenario" -r 1 -j 1 -o "$out/city-$years" \
        --set scenario.horizon=$days
done
printf 'city_scale_5_years_2_threads: '
last_line run "$scenario" -r 2 -j 2 -o "$out/city-2"

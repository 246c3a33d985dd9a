#!/bin/sh
# golden.sh: fixed-seed outputs of every shipped scenario, reduced in size,
# compared byte for byte, so that any change in results is deliberate.
#   sh tests/golden.sh ./servsim           compare (make check)
#   GOLDEN_UPDATE=1 sh tests/golden.sh ./servsim   rewrite (make golden)
# The golden files live in tests/golden/NAME/. After `make golden`, read
# the diff (git diff tests/golden) before committing it.
set -u
bin=${1:-./servsim}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/servsim-golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# name | scenario | reduced settings (2 replications, short horizons)
cases="
housing-benefit|scenarios/housing-benefit.ini|-r 2 --set scenario.horizon=500
housing-benefit-nil-qualify|scenarios/housing-benefit-nil-qualify.ini|-r 2 --set scenario.horizon=500
portsmouth-repairs|scenarios/portsmouth-repairs.ini|-r 2 --set scenario.horizon=300
erlang-c|scenarios/validation/erlang-c.ini|-r 2 --set scenario.horizon=20000
mm1-feedback|scenarios/validation/mm1-feedback.ini|-r 2 --set scenario.horizon=20000
jackson|scenarios/validation/jackson.ini|-r 2 --set scenario.horizon=20000
mg1-deterministic|scenarios/validation/mg1-deterministic.ini|-r 2 --set scenario.horizon=20000
two-bids|scenarios/two-bids.ini|-r 2 --set scenario.horizon=500
city-scale|scenarios/city-scale.ini|-r 2 --set scenario.horizon=120 --set scenario.warmup=30
families|scenarios/families.ini|-r 2 --set scenario.horizon=900 --set scenario.warmup=180 --set scenario.followup_days=365 --set 'design switch.switch_day=500'
prevention|scenarios/prevention.ini|-r 2 --set scenario.horizon=4500
"

echo "$cases" | while IFS='|' read -r name file settings; do
    [ -n "$name" ] || continue
    out="$tmp/$name"
    eval "set -- $settings"   # (a setting may be quoted: a section name has a space)
    if ! "$bin" run "$root/$file" -o "$out" -j 2 --quiet "$@" 2>"$tmp/err"; then
        echo "FAIL: golden $name: run failed" >&2; cat "$tmp/err" >&2
        echo fail >>"$tmp/results"; continue
    fi
    for f in summary.csv differences.csv weekly.csv yearly.csv; do
        [ -f "$out/$f" ] || continue
        gold="$root/tests/golden/$name/$f"
        if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
            mkdir -p "$(dirname "$gold")"
            cp "$out/$f" "$gold"
            echo pass >>"$tmp/results"
        elif cmp -s "$out/$f" "$gold"; then
            echo pass >>"$tmp/results"
        else
            echo "FAIL: golden $name/$f differs (if the change is intended: make golden, then review git diff tests/golden)" >&2
            diff "$gold" "$out/$f" 2>&1 | head -6 >&2
            echo fail >>"$tmp/results"
        fi
    done
done
pass=$(grep -c pass "$tmp/results" 2>/dev/null || true)
fail=$(grep -c fail "$tmp/results" 2>/dev/null || true)
echo "golden: ${pass:-0} passed, ${fail:-0} failed"
[ "${fail:-0}" -eq 0 ]

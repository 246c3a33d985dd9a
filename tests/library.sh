#!/bin/sh
# library.sh: libservsim as programs use it. A C program (docs/examples/
# table.c) built against the shared library with pkg-config prints the same
# tables as the command line's files, to the byte, and exits with the
# command line's codes; the library exports servsim.h's functions and
# nothing else; the Python binding's tests (tests/test_binding.py) and its
# example script (docs/examples/flagship.py) pass.
#   sh tests/library.sh ./servsim build/opt
set -u
bin=${1:-./servsim}
build=${2:-build/opt}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/servsim-library.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: library: $*" >&2; }
cd "$root" || exit 2
export LD_LIBRARY_PATH="$root/$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# a program built as its README says: cc table.c $(pkg-config --cflags --libs servsim)
flags=$(PKG_CONFIG_PATH="$root/$build" pkg-config --cflags --libs servsim)
if cc -std=c11 -Wall -Wextra -Werror docs/examples/table.c $flags -o "$tmp/table" 2>"$tmp/cc"
then ok; else bad "docs/examples/table.c does not build: $(cat "$tmp/cc")"; fi
if readelf -d "$tmp/table" | grep -q 'NEEDED.*libservsim.so.0'; then ok
else bad "the program is not linked to libservsim.so.0"; fi

sets="scenario.replications=3 scenario.horizon=800 scenario.warmup=0"
"$bin" run scenarios/housing-benefit.ini -q -o "$tmp/cli" \
    $(for s in $sets; do printf -- '--set %s ' "$s"; done) || bad "servsim run failed"
for t in summary replications differences weekly yearly; do
    # shellcheck disable=SC2086
    "$tmp/table" scenarios/housing-benefit.ini $t $sets >"$tmp/$t.csv" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$tmp/$t.csv" "$tmp/cli/$t.csv"; then ok
    else bad "table $t (exit $rc) differs from the command line's $t.csv: $(cat "$tmp/err")"; fi
done

# the command line's exit codes and messages
"$tmp/table" scenarios/housing-benefit.ini summary "team split.back.staff=many" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 3 ] && grep -q "team split.back.staff.*not a whole number" "$tmp/err"; then ok
else bad "a bad set: exit $rc (expected 3), said: $(cat "$tmp/err")"; fi
"$tmp/table" scenarios/housing-benefit.ini monthly >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "no table 'monthly'.*(they have: summary," "$tmp/err"; then ok
else bad "no such table: exit $rc (expected 2), said: $(cat "$tmp/err")"; fi

# servsim.h's functions, and nothing of the kernel or the models
nm -D --defined-only "$build/libservsim.so.0" | awk '{ print $3 }' >"$tmp/syms"
others=$(grep -v '^servsim_' "$tmp/syms" | grep -v '^_' | tr '\n' ' ')
if [ -z "$others" ]; then ok; else bad "exports more than servsim_*: $others"; fi
declared=$(grep -o 'servsim_[a-z_]*(' lib/servsim.h | tr -d '(' | sort -u)
for f in $declared; do
    if grep -qx "$f" "$tmp/syms"; then ok; else bad "$f is declared but not exported"; fi
done
if readelf -d "$build/libservsim.so.0" | grep -q 'SONAME.*\[libservsim.so.0\]'; then ok
else bad "the soname is not libservsim.so.0"; fi

# Python
py=${PYTHON:-$(command -v python3 || true)}
if [ -z "$py" ]; then
    bad "python3 is missing (tools/deps.sh build installs it)"
else
    export PYTHONPATH="$root/python" SERVSIM_LIBRARY="$root/$build/libservsim.so.0" \
           SERVSIM_BIN="$bin"
    if "$py" -m unittest tests/test_binding.py >"$tmp/py" 2>&1; then
        ok; echo "library: Python: $(tail -1 "$tmp/py") ($(grep '^Ran' "$tmp/py"))"
    else bad "tests/test_binding.py:"; sed 's/^/    /' "$tmp/py" >&2; fi
    "$py" docs/examples/flagship.py scenarios/housing-benefit.ini >"$tmp/ex" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && [ "$(grep -c '^integrated - split .*\[.*, .*\]' "$tmp/ex")" -eq 3 ]
    then ok; else bad "docs/examples/flagship.py (exit $rc):"; cat "$tmp/ex" >&2; fi
    "$py" docs/examples/flagship.py /nonexistent.ini >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 3 ] && grep -q '/nonexistent.ini' "$tmp/err"; then ok
    else bad "the example on a missing file: exit $rc (expected 3)"; fi
fi

echo "library: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

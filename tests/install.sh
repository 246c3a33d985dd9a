#!/bin/sh
# install.sh: make install and make uninstall into a staging folder
# (DESTDIR), as a packager would: every file where it belongs, no path of
# the build folder in the binary, the installed binary running the
# flagship from any folder with its plots, a lone copy of it refusing to
# run without its plot scripts (exit 4, before any work), and uninstall
# leaving nothing behind.
#   sh tests/install.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/servsim-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: install: $*" >&2; }

stage="$tmp/stage"
if make -s -C "$root" install DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1; then ok
else bad "make install failed"; tail -5 "$tmp/log" >&2; fi
for f in usr/bin/servsim usr/share/servsim/plots/demand.gp usr/share/servsim/plots/sweep.gp \
         usr/share/servsim/scenarios/housing-benefit.ini \
         usr/share/servsim/scenarios/validation/erlang-c.ini usr/share/doc/servsim/LICENSE \
         usr/share/doc/servsim/scenario-format.md; do
    if [ -f "$stage/$f" ]; then ok; else bad "$f not installed"; fi
done
bin="$stage/usr/bin/servsim"
if strings "$bin" | grep -qF "$root"; then bad "the build folder ($root) is in the binary"; else ok; fi

# the installed binary, from another folder, with nothing in the environment
mkdir -p "$tmp/work"
(cd "$tmp/work" && env -u SERVSIM_PLOTS -u SERVSIM_SCENARIOS "$bin" run \
    "$stage/usr/share/servsim/scenarios/housing-benefit.ini" -o out -r 1 -q \
    --set scenario.horizon=400) >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 0 ] && [ -f "$tmp/work/out/summary.csv" ]; then ok
else bad "the installed binary: exit $got"; sed 's/^/    /' "$tmp/err" "$tmp/out" >&2
    ls -la "$tmp/work" "$tmp/work/out" >&2 2>&1; fi
if command -v gnuplot >/dev/null 2>&1; then
    if [ -f "$tmp/work/out/cost.png" ]; then ok; else bad "the installed binary drew no plots"; fi
fi

# a copy alone, without its data: refused before any work (where gnuplot
# would draw plots), not run and then left without plots
cp "$bin" "$tmp/work/lone"
if command -v gnuplot >/dev/null 2>&1; then
    (cd "$tmp/work" && env -u SERVSIM_PLOTS ./lone run \
        "$stage/usr/share/servsim/scenarios/housing-benefit.ini" -o lone-out -r 1 -q) \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 4 ] && grep -q "plot scripts are not found.*nothing run" "$tmp/err" &&
       [ ! -e "$tmp/work/lone-out" ]; then ok
    else bad "a lone copy: exit $got (want 4 before the run)"; sed 's/^/    /' "$tmp/err" >&2; fi
fi

if make -s -C "$root" uninstall DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1; then ok
else bad "make uninstall failed"; fi
left=$(find "$stage" -type f | wc -l)
if [ "$left" -eq 0 ]; then ok; else bad "$left files left after uninstall"; fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

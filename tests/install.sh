#!/bin/sh
# install.sh: make install and make uninstall into a staging folder
# (DESTDIR), as a packager would: every file where it belongs, no path of
# the build folder in the binary, the installed binary running the
# flagship from any folder with its plots, a lone copy of it refusing to
# run without its plot scripts (exit 4, before any work), the manual pages
# rendering without warnings, the bash completion loading, and uninstall
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
         usr/share/doc/servsim/scenario-format.md usr/share/man/man1/servsim.1 \
         usr/share/man/man5/servsim-scenario.5 usr/share/bash-completion/completions/servsim \
         usr/lib/libservsim.so.0 usr/lib/libservsim.so usr/include/servsim.h \
         usr/lib/pkgconfig/servsim.pc usr/lib/python3/dist-packages/servsim/__init__.py \
         usr/share/doc/servsim/examples/table.c usr/share/doc/servsim/examples/flagship.py; do
    if [ -f "$stage/$f" ]; then ok; else bad "$f not installed"; fi
done
bin="$stage/usr/bin/servsim"
if strings "$bin" | grep -qF "$root"; then bad "the build folder ($root) is in the binary"; else ok; fi
if strings "$stage/usr/lib/libservsim.so.0" | grep -qF "$root"; then
    bad "the build folder ($root) is in the library"; else ok; fi

# the manual pages name the installed paths and render without warnings
# (with whichever of mandoc, groff and man is installed); the completion loads
pages="$stage/usr/share/man/man1/servsim.1 $stage/usr/share/man/man5/servsim-scenario.5"
for page in $pages; do
    if grep -q /usr/local "$page"; then bad "$page names /usr/local (PREFIX is /usr)"; else ok; fi
    if grep -q '/usr/share/' "$page"; then ok; else bad "$page names no path under /usr/share"; fi
done
checked=""
if command -v mandoc >/dev/null 2>&1; then
    checked="$checked mandoc"
    for page in $pages; do
        if mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1; then ok
        else bad "mandoc -T lint: $page:"; sed 's/^/    /' "$tmp/lint" >&2; fi
    done
fi
if command -v groff >/dev/null 2>&1; then
    checked="$checked groff"
    for page in $pages; do
        groff -man -Tutf8 -ww -z "$page" >"$tmp/lint" 2>&1
        if [ $? -eq 0 ] && [ ! -s "$tmp/lint" ]; then ok
        else bad "groff -man -ww: $page:"; sed 's/^/    /' "$tmp/lint" >&2; fi
    done
fi
if command -v man >/dev/null 2>&1; then
    checked="$checked man"
    for page in $pages; do
        MANWIDTH=80 man --warnings=w -E UTF-8 -l "$page" >"$tmp/page" 2>"$tmp/lint"
        if [ $? -eq 0 ] && [ ! -s "$tmp/lint" ] && grep -q 'SERVSIM' "$tmp/page"; then ok
        else bad "man -l: $page:"; sed 's/^/    /' "$tmp/lint" >&2; fi
    done
fi
[ -n "$checked" ] || echo "install: note: none of mandoc, groff and man is installed, so how the" \
    "manual pages render is not checked (apt-get install groff-base, or mandoc, to check it)"
comp="$stage/usr/share/bash-completion/completions/servsim"
if bash -c '. "$1" && complete -p servsim' sh "$comp" >/dev/null 2>&1; then ok
else bad "the installed completion does not load in bash"; fi

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

# the library as a packager's user finds it: a program built with the
# installed pkg-config file, and the Python module, which knows where the
# library was installed
if PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_PATH="$stage/usr/lib/pkgconfig" \
   pkg-config --cflags --libs servsim >"$tmp/flags" 2>&1 &&
   cc -std=c11 "$stage/usr/share/doc/servsim/examples/table.c" $(cat "$tmp/flags") \
      -o "$tmp/table" 2>"$tmp/cc" &&
   LD_LIBRARY_PATH="$stage/usr/lib" "$tmp/table" \
      "$stage/usr/share/servsim/scenarios/housing-benefit.ini" differences \
      scenario.replications=2 scenario.horizon=400 >"$tmp/diff.csv" 2>"$tmp/err" &&
   grep -q '^integrated,split,cost_per_need,GBP,' "$tmp/diff.csv"; then ok
else bad "a program built with the installed servsim.pc:"; cat "$tmp/flags" "$tmp/cc" "$tmp/err" >&2; fi
if grep -qx "LIBRARY = '/usr/lib/libservsim.so.0'" \
   "$stage/usr/lib/python3/dist-packages/servsim/_where.py"; then ok
else bad "the Python module does not name /usr/lib/libservsim.so.0"; fi
if command -v python3 >/dev/null 2>&1; then
    cat >"$tmp/use.py" <<'PY'
import sys, servsim
r = servsim.run(sys.argv[1], replications=2, frames=False, set=['scenario.horizon=400'])
print(servsim.__file__)
print(sum(1 for row in r.differences if row['metric'] == 'cost_per_need'))
PY
    (cd "$tmp/work" && PYTHONPATH="$stage/usr/lib/python3/dist-packages" \
     SERVSIM_LIBRARY="$stage/usr/lib/libservsim.so.0" python3 "$tmp/use.py" \
     "$stage/usr/share/servsim/scenarios/housing-benefit.ini") >"$tmp/py" 2>"$tmp/err"
    if [ "$(cat "$tmp/py")" = "$stage/usr/lib/python3/dist-packages/servsim/__init__.py
1" ]; then ok
    else bad "the installed Python module:"; cat "$tmp/py" "$tmp/err" >&2; fi
fi

if make -s -C "$root" uninstall DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1; then ok
else bad "make uninstall failed"; fi
left=$(find "$stage" ! -type d | wc -l)
if [ "$left" -eq 0 ]; then ok; else bad "$left files left after uninstall"; fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

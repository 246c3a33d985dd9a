#!/bin/sh
# deb.sh: the Debian packages, built as a packager builds them
# (dpkg-buildpackage -us -uc -b, in a copy of the tree), checked by lintian
# (no errors), then used: as root they are installed with apt-get (which
# brings their dependencies), run the demo from another folder with its
# plots, serve a program built with pkg-config and a Python script, and are
# removed again; otherwise their contents are unpacked (dpkg -x) and the
# binary is run from there.
#   sh tests/deb.sh          (make deb; CI runs it on a fresh machine)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/servsim-deb.XXXXXX)
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: deb: $*" >&2; }
installed=""
cleanup() {
    [ -n "$installed" ] && apt-get purge -y -qq $installed >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

# the tree as git has it (tracked files, and new ones not ignored)
mkdir -p "$tmp/src"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 tar cf - 2>/dev/null) |
    tar xf - -C "$tmp/src" || { echo "deb: cannot copy the tree" >&2; exit 2; }
cores=$(nproc 2>/dev/null || echo 1)
if (cd "$tmp/src" && DEB_BUILD_OPTIONS="parallel=$cores ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then ok
else bad "dpkg-buildpackage failed:"; tail -30 "$tmp/build.log" >&2
    echo "deb: $pass passed, $fail failed"; exit 1; fi
version=$(dpkg-parsechangelog -l "$tmp/src/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
debs=""
for p in servsim libservsim0 libservsim-dev python3-servsim; do
    f="$tmp/${p}_${version}_$arch.deb"
    if [ -f "$f" ]; then ok; debs="$debs $f"; else bad "$f was not built"; fi
done
if [ "$fail" -ne 0 ]; then echo "deb: $pass passed, $fail failed"; exit 1; fi
changes="$tmp/servsim_${version}_$arch.changes"
if command -v lintian >/dev/null 2>&1; then
    lintian --fail-on error "$changes" >"$tmp/lintian" 2>&1
    if [ $? -eq 0 ]; then ok
    else bad "lintian found errors:"; grep '^E:' "$tmp/lintian" >&2; fi
    echo "deb: lintian: $(grep -c '^E:' "$tmp/lintian") errors, $(grep -c '^W:' "$tmp/lintian")" \
         "warnings"
    sed -n 's/^[WI]: /deb: lintian: &/p' "$tmp/lintian"
else
    bad "lintian is not installed (apt-get install lintian)"
fi

mkdir -p "$tmp/work"
if [ "$(id -u)" -eq 0 ] && [ "${CI:-}" = true ]; then
    # a real installation, on a machine that is CI's to change
    # shellcheck disable=SC2086
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $debs >"$tmp/apt" 2>&1; then
        ok; installed="servsim libservsim0 libservsim-dev python3-servsim"
    else bad "apt-get install of the packages failed:"; tail -5 "$tmp/apt" >&2; fi
    bin=/usr/bin/servsim
    data=/usr/share/servsim
    prefix=/usr
    libdir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)
    pyenv=""
else
    for d in $debs; do dpkg -x "$d" "$tmp/root"; done
    bin="$tmp/root/usr/bin/servsim"
    data="$tmp/root/usr/share/servsim"
    prefix="$tmp/root/usr"
    libdir=$(ls -d "$tmp/root/usr/lib/"*-linux-gnu)
    pyenv="PYTHONPATH=$tmp/root/usr/lib/python3/dist-packages SERVSIM_LIBRARY=$libdir/libservsim.so.0"
    echo "deb: not root in CI: the packages are unpacked, not installed"
fi

(cd "$tmp/work" && "$bin" run "$data/scenarios/housing-benefit.ini" -o demo -r 2 -q --report) \
    >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -f "$tmp/work/demo/summary.csv" ]; then ok
else bad "the packaged servsim (exit $rc):"; cat "$tmp/out" >&2; fi
if "$bin" --version | grep -q "^servsim $version"; then ok
else bad "the package is $version, but servsim --version says: $("$bin" --version | head -1)"; fi
if command -v gnuplot >/dev/null 2>&1; then
    if [ -f "$tmp/work/demo/cost.png" ]; then ok; else bad "the packaged servsim drew no plots"; fi
    # the report's differences chart is drawn by the packaged plots/differences.gp
    if grep -q "Change from split" "$tmp/work/demo/report.html" 2>/dev/null; then ok
    else bad "the packaged servsim's report has no chart"; fi
fi
if [ -f "$prefix/share/man/man1/servsim.1.gz" ]; then ok; else bad "no servsim.1.gz"; fi
if strings "$libdir/libservsim.so.0" | grep -qF "$tmp/src"; then
    bad "the build folder is in the library"; else ok; fi
if [ -z "$pyenv" ]; then
    flags=$(pkg-config --cflags --libs servsim 2>&1)
    if cc -std=c11 /usr/share/doc/servsim/examples/table.c $flags -o "$tmp/table" \
         2>"$tmp/cc" && "$tmp/table" "$data/scenarios/housing-benefit.ini" differences \
         scenario.replications=2 >"$tmp/diff.csv" 2>&1 &&
       grep -q '^integrated,split,cost_per_need,GBP,' "$tmp/diff.csv"; then ok
    else bad "a program built with pkg-config servsim:"; cat "$tmp/cc" "$tmp/diff.csv" >&2; fi
fi
# Debian's python3 (another on PATH, such as pyenv's, does not look in
# /usr/lib/python3/dist-packages)
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
# shellcheck disable=SC2086
(cd "$tmp/work" && env $pyenv "$py" -c 'import sys, servsim
r = servsim.run(sys.argv[1], replications=2, frames=False)
print([x["metric"] for x in r.differences].count("cost_per_need"))' \
    "$data/scenarios/housing-benefit.ini") >"$tmp/py" 2>&1
if [ "$(cat "$tmp/py")" = 1 ]; then ok; else bad "python3-servsim:"; cat "$tmp/py" >&2; fi

if [ -n "$installed" ]; then
    # shellcheck disable=SC2086
    if apt-get purge -y -qq $installed >"$tmp/purge" 2>&1; then ok; installed=""
    else bad "apt-get purge failed:"; tail -5 "$tmp/purge" >&2; fi
    for d in /usr/lib/python3/dist-packages/servsim /usr/share/servsim; do
        if [ -e "$d" ]; then bad "$d is left after purge"; ls -la "$d" >&2; else ok; fi
    done
fi

echo "deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

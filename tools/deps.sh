#!/bin/sh
# deps.sh: make sure the Debian packages servsim needs are installed.
#   tools/deps.sh build   -> compiler, GSL, libcsv, inih, CUnit, pkg-config,
#                            groff (make check renders the manual pages),
#                            python3 (make check tests the Python binding)
#   tools/deps.sh plots   -> the above and gnuplot
#   tools/deps.sh mpi     -> the above and Open MPI
#   tools/deps.sh valgrind -> the build set and valgrind (make memcheck)
#   tools/deps.sh clang   -> the build set, clang and its sanitizer runtimes
#   tools/deps.sh report  -> the above, gnuplot and Graphviz (the report's
#                            charts and design diagrams: make demo)
#   tools/deps.sh browser -> the report set and chromium (make check tests
#                            the report in a headless browser)
#   tools/deps.sh deb     -> the build set, build-essential, debhelper,
#                            dh-python, lintian and gnuplot
#                            (make deb-check builds and tests the packages)
# As root it installs what is missing with apt-get (non-interactive);
# otherwise it prints the exact command to run and exits 1.
set -eu

pkgs="make gcc pkg-config libgsl-dev libcsv-dev libinih-dev libcunit1-dev groff-base python3"
case "${1:-build}" in
    build) ;;
    plots) pkgs="$pkgs gnuplot-nox" ;;
    report) pkgs="$pkgs gnuplot-nox graphviz" ;;
    browser) pkgs="$pkgs gnuplot-nox graphviz chromium fonts-dejavu-core" ;;
    mpi)   pkgs="$pkgs libopenmpi-dev openmpi-bin" ;;
    valgrind) pkgs="$pkgs valgrind" ;;
    # Debian 12's clang is clang-14, whose sanitizer runtimes are a package
    # of their own
    clang) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    deb)   pkgs="$pkgs build-essential debhelper dh-python dpkg-dev lintian gnuplot-nox" ;;
    all)   pkgs="$pkgs gnuplot-nox graphviz chromium fonts-dejavu-core libopenmpi-dev openmpi-bin valgrind" ;;
    *) echo "deps.sh: unknown set '$1' (allowed: build, plots, report, browser, mpi, valgrind, clang, deb, all)" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "servsim needs these Debian packages:$missing" >&2
    echo "Run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2

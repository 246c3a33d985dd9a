#!/bin/sh
# report.sh: `servsim report` and `run --report` (cli/report*.c,
# cli/diagram.c). The page holds what the results folder's CSV files say
# (figures recomputed here with awk), needs no network, is written again
# byte for byte from the folder, is written without charts or diagrams
# (saying so) when gnuplot or Graphviz is missing, and refuses bad folders
# without writing anything. Then, in a real headless browser (Debian's
# chromium), the page renders with no console error, prints to PDF, and
# its screenshot shows the headline, the table and the charts.
#   sh tests/report.sh ./servsim [BROWSER]
# BROWSER 0 leaves the browser out (the sanitizer builds' runs); without
# chromium installed it is skipped, saying so, except under CI=true, where
# it fails.
set -u
bin=${1:-./servsim}
browser=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/servsim-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: report: $*" >&2; }
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3 (no '$2' in $1)"; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$3 ('$2' in $1)"; else ok; fi; }
cd "$root" || exit 2
have_gnuplot=0; command -v gnuplot >/dev/null 2>&1 && have_gnuplot=1
have_dot=0; command -v dot >/dev/null 2>&1 && have_dot=1

# ---- the flagship, short, with its report ---------------------------------
d="$tmp/hb"
"$bin" run scenarios/housing-benefit.ini -r 4 --set scenario.horizon=800 \
    --set scenario.warmup=200 -o "$d" --report >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || bad "run --report exit $rc: $(cat "$tmp/err")"
has "$tmp/out" "report: $d/report.html" "run says where the report is"
page="$d/report.html"
[ -s "$page" ] && ok || bad "no report.html"
ls "$d" | grep -q 'part' && bad "a part file left in $d" || ok

# self-contained: nothing fetched, nothing run
if grep -Eiq '(src|href)="(https?:|//|file:)|<script|<link|<iframe|@import|url\(' "$page"
then bad "the page loads something from outside itself"; else ok; fi
has "$page" '<meta name="viewport"' "readable on a phone"
has "$page" '@media print' "styled for printing"

# the answer, recomputed from the CSV files: the change in cost per need
# met, in percent of the baseline's mean, and its interval
pct=$(awk -F, '$1=="split" && $2=="cost_per_need" {b=$4}
    FILENAME ~ /differences/ && $1=="integrated" && $3=="cost_per_need" {d=$5; lo=$6; hi=$7}
    END {printf "%.1f%% lower</span> [%.1f, %.1f]", -100*d/b, -100*hi/b, -100*lo/b}' \
    "$d/summary.csv" "$d/differences.csv")
has "$page" "cost per need met $pct" "the answer's cost per need"
days=$(awk -F, '$1=="integrated" && $3=="e2e_mean" {printf "%.1f days shorter", -$5}' \
    "$d/differences.csv")
has "$page" "time end to end $days" "the answer's days end to end"
# every measure of both designs that is not zero in both has a row in the
# table; a return on spend (no summary row) is listed apart
missing=0
for m in $(awk -F, 'NR>1 && $1=="integrated" {print $3}' "$d/differences.csv"); do
    zero=$(awk -F, -v m="$m" '$2==m && $4+0==0 {z++} $2==m {n++} END {print (n<2) ? 2 : z+0}' \
        "$d/summary.csv")
    [ "$zero" -eq 2 ] && continue
    grep -q "<tr[^>]*><td>$m</td>" "$page" || { missing=1; bad "no table row for $m"; }
done
[ $missing -eq 0 ] && ok
has "$page" "<li>break_even_year: " "a break-even year listed apart from the measures"
has "$page" "4 replications of 600 days observed after a warm-up of 200 days" \
    "the observed period (the horizon counts the warm-up)"
contract=$(awk -F, '$1=="integrated" && $3=="cost_contract" {printf "%.1f%%", 100*$5}' \
    "$d/differences.csv")
[ -n "$contract" ] && ok || bad "no cost_contract in differences.csv"
has "$page" "Year by year" "the year profile"
# the assumptions: the scenario's own tags and words, and a --set said so
has "$page" "<td class=\"t\">[C]</td><td class=\"t\">post, per letter" \
    "a value with its source's tag and words"
has "$page" "<td class=\"t\">[A]</td><td class=\"t\">payslips, rent, identity" \
    "an assumption with its tag and words"
has "$page" "<td class=\"t\">horizon</td><td class=\"t\">800</td><td class=\"t\"></td><td class=\"t\">set on the command line" \
    "a value set on the command line says so"
has "$d/scenario.resolved.ini" "letter_cost = 12.10 ; [C] post, per letter" \
    "the resolved scenario keeps the source tags"
has "$page" "Warnings" "the warnings section"

if [ $have_gnuplot -eq 1 ]; then
    n=$(grep -c '<figure class="chart"><svg' "$page")
    [ "$n" -eq 4 ] && ok || bad "$n charts inline, wanted 4 (differences, demand, delay, cost)"
fi
if [ $have_dot -eq 1 ]; then
    n=$(grep -c '<figure class="design"><svg' "$page")
    [ "$n" -eq 2 ] && ok || bad "$n design diagrams, wanted 2"
    staff=$(sed -n '/^\[team split.front\]/,/^\[/s/^staff *= *\([0-9]*\).*/\1/p' "$d/scenario.resolved.ini")
    busy=$(awk -F, -v s="$staff" '$1=="split" && $2=="utilisation_front" {printf "%s staff, %.0f%% busy", s, 100*$4}' \
        "$d/summary.csv")
    has "$page" "$busy" "the front office's staff and load, from summary.csv"
    has "$page" "hands off the case" "the split's handoff drawn"
fi

# written again from the folder alone, byte for byte
"$bin" report "$d" -o "$tmp/again.html" -q >"$tmp/out2" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || bad "report exit $rc: $(cat "$tmp/err")"
cmp -s "$page" "$tmp/again.html" && ok || bad "the report from the folder differs from run's"
[ -s "$tmp/out2" ] && bad "-q printed: $(cat "$tmp/out2")" || ok

# no gnuplot, no Graphviz: written without them, saying so
PATH=/nonexistent "$bin" report "$d" -o "$tmp/bare.html" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || bad "report without the tools: exit $rc"
has "$tmp/err" "Graphviz is not installed" "says the diagrams are missing"
has "$tmp/err" "gnuplot is not installed" "says a chart is missing"
has "$tmp/bare.html" "Not in this report" "the page says what it lacks"
hasnt "$tmp/bare.html" '<figure class="design">' "no diagram without dot"

# ---- one design (no baseline), a network of stations ----------------------
"$bin" run scenarios/validation/mm1-feedback.ini -r 2 --set scenario.horizon=3000 \
    --set scenario.warmup=100 -q -o "$tmp/net" --report 2>"$tmp/err" && ok || bad "network report: $(cat "$tmp/err")"
hasnt "$tmp/net/report.html" "Every design against" "no differences with one design"
has "$tmp/net/report.html" "<h2 id=\"results\">Results</h2>" "one design: its results table"
mean=$(awk -F, '$2=="wait_mean_desk" {printf "%.3g", $4}' "$tmp/net/summary.csv")
[ -n "$mean" ] && has "$tmp/net/report.html" "<td>wait_mean_desk</td><td class=\"t u\">" \
    "one design: a measure's row" || bad "no wait_mean_desk in the network's summary"
hasnt "$tmp/net/report.html" "differences from the baseline" "no baseline claimed with one design"
if [ $have_dot -eq 1 ]; then
    has "$tmp/net/report.html" "0.4</text>" "the feedback route's probability"
fi

# ---- agencies, pathways and a redesign (families, short) ------------------
"$bin" run scenarios/families.ini -r 2 --set scenario.horizon=1500 -q -o "$tmp/fam" \
    --report 2>"$tmp/err" && ok || bad "families report: $(cat "$tmp/err")"
if [ $have_dot -eq 1 ]; then
    has "$tmp/fam/report.html" "<title>cluster_" "agencies drawn as boxes"
    has "$tmp/fam/report.html" "locality (key worker)" "the key worker marked"
    has "$tmp/fam/report.html" ">8 pathways</text>" "the key worker takes the 8 pathways"
    has "$tmp/fam/report.html" "redesigned on day 1093" "the redesign drawn"
fi

# ---- bad input: a clear error, nothing written ----------------------------
# a summary cut short, mid-line and at a line's end
mkdir "$tmp/cut" "$tmp/cut2"
for f in scenario.resolved.ini differences.csv yearly.csv; do cp "$d/$f" "$tmp/cut/"; cp "$d/$f" "$tmp/cut2/"; done
head -c 3000 "$d/summary.csv" >"$tmp/cut/summary.csv"
"$bin" report "$tmp/cut" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] && ok || bad "a summary cut mid-line is not exit 3"
has "$tmp/err" "fields, but its header has 8" "says the summary is cut short"
[ -e "$tmp/cut/report.html" ] && bad "a report of a cut summary" || ok
grep '^split,' "$d/summary.csv" | sed '1i design,metric,unit,mean,ci_low,ci_high,sd,n' >"$tmp/cut2/summary.csv"
"$bin" report "$tmp/cut2" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] && ok || bad "a summary without a design's rows is not exit 3"
has "$tmp/err" "no rows of design 'integrated'" "says which design the summary lacks"
# another command's folder
mkdir "$tmp/sw"; printf 'point\n' >"$tmp/sw/sweep.csv"
"$bin" report "$tmp/sw" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] && ok || bad "a sweep's folder is not exit 3"
has "$tmp/err" "the folder of a \`servsim sweep\`" "says it is a sweep's folder"
# -o at something that is not a file is refused, not replaced
mkfifo "$tmp/fifo" 2>/dev/null && {
    "$bin" report "$d" -o "$tmp/fifo" >/dev/null 2>"$tmp/err"
    [ $? -eq 4 ] && [ -p "$tmp/fifo" ] && ok || bad "-o at a fifo replaced it or was not exit 4"
}
ln -s "$tmp/elsewhere.html" "$tmp/link.html"
"$bin" report "$d" -o "$tmp/link.html" >/dev/null 2>"$tmp/err"
[ $? -eq 4 ] && [ -L "$tmp/link.html" ] && ok || bad "-o at a link replaced it or was not exit 4"
"$bin" report "$d" -o "$tmp/nosuch/r.html" >/dev/null 2>"$tmp/err"
has "$tmp/err" "no folder $tmp/nosuch" "-o into a missing folder says so"
"$bin" report "$tmp/nowhere" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] && ok || bad "a missing folder is not exit 3"
has "$tmp/err" "summary.csv" "the missing folder's message names the file"
"$bin" report >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && ok || bad "report without DIR is not exit 2"
mkdir "$tmp/broken"
cp "$d/scenario.resolved.ini" "$tmp/broken/"
printf 'design,metric\nsplit,x\n' >"$tmp/broken/summary.csv"
"$bin" report "$tmp/broken" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] && ok || bad "a foreign summary.csv is not exit 3"
has "$tmp/err" "not servsim's summary" "says what is wrong with summary.csv"
[ -e "$tmp/broken/report.html" ] && bad "a report written from a broken folder" || ok
"$bin" report "$d" -o "$tmp/no/such/dir/r.html" >/dev/null 2>"$tmp/err"
[ $? -eq 4 ] && ok || bad "an unwritable -o is not exit 4"
ls "$tmp" | grep -q '\.part$' && bad "a .part file left" || ok
"$bin" check scenarios/housing-benefit.ini --report >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--report with check is not a usage error"

# ---- in a real browser -----------------------------------------------------
chrome=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
if [ "$browser" = 0 ]; then
    echo "report: browser test left out here (it runs in the plain build's check)"
elif [ -z "$chrome" ] || [ $have_gnuplot -eq 0 ] || [ $have_dot -eq 0 ]; then
    if [ "${CI:-}" = true ]; then
        bad "chromium, gnuplot and graphviz are needed for the browser test (tools/deps.sh browser)"
    else
        echo "report: browser test skipped: install chromium, gnuplot-nox and graphviz" \
             "(sudo sh tools/deps.sh browser)"
    fi
else
    # no network at all: any fetch would fail and be logged
    browse() {
        "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
            "--host-resolver-rules=MAP * ~NOTFOUND" --user-data-dir="$tmp/profile" "$@"
    }
    browse --enable-logging=stderr --v=0 --dump-dom "file://$page" \
        >"$tmp/dom.html" 2>"$tmp/console.log"
    has "$tmp/dom.html" "<h1>Housing benefit" "the browser's page has the headline"
    n=$(grep -o '<svg' "$tmp/dom.html" | wc -l)
    [ "$n" -ge 6 ] && ok || bad "the browser's page has $n SVG elements, wanted 6"
    if grep -E 'CONSOLE|Uncaught|ERR_|Failed to load' "$tmp/console.log" >"$tmp/errors"; then
        bad "console errors: $(head -n 5 "$tmp/errors")"
    else ok; fi
    browse --window-size=1000,3600 --screenshot="$tmp/shot.png" "file://$page" >/dev/null 2>&1
    browse --print-to-pdf="$tmp/page.pdf" --no-pdf-header-footer "file://$page" >/dev/null 2>&1
    head -c 5 "$tmp/page.pdf" 2>/dev/null | grep -q '%PDF-' && ok || bad "no PDF printed"
    python3 tests/screenshot.py "$tmp/shot.png" && ok || bad "the screenshot lacks a part"
fi

echo "report tests: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/sh
# man.sh: the manual pages (docs/man/) are written by hand, so this checks
# them against what they describe, to keep them from drifting:
#   servsim.1           every command and option of `servsim --help`,
#                       `servsim help COMMAND` and cli/args.c, and no option
#                       that is gone; every exit code of docs/cli.md and
#                       `--help`, and no other; the version
#   servsim-scenario.5  every section of docs/scenario-format.md, every key
#                       of its key tables under the section it belongs to,
#                       every distribution and kind of step; its network
#                       example is a valid scenario and its pathway is
#                       families.ini's; the version
# and that docs/cli.md shows `servsim --help` and `servsim help run`,
# `check` and `bench` as they are.
#   sh tests/man.sh ./servsim
set -u
bin=${1:-./servsim}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
man1="$root/docs/man/servsim.1"
man5="$root/docs/man/servsim-scenario.5"
fmt="$root/docs/scenario-format.md"
cli="$root/docs/cli.md"
tmp=$(mktemp -d /tmp/servsim-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: man: $*" >&2; }

# plain: roff source to plain words (font macros and changes, quotes, \-
# and \& removed)
plain() {
    sed -e 's/^\.[BIR][BIR]* //' -e 's/"//g' -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\%//g' \
        -e "s/\\\\(aq/'/g" -e 's/\\(mu/x/g' -e 's/\\ / /g' -e 's/\\e/\\/g' "$@"
}
# tags FILE [SECTION]: the tag lines (the line after each .TP), plain, of
# the page or of its .SH SECTION only
tags() {
    awk -v want="${2:-}" '
        /^\.SH / { sh = $0; sub(/^\.SH +/, "", sh); gsub(/"/, "", sh) }
        want != "" && sh != want { tp = 0; next }
        tp { print; tp = 0; next }
        /^\.TP/ { tp = 1 }' "$1" | plain
}
# has_word TEXTFILE WORD: WORD occurs with no letter, digit, _ or - beside it
has_word() {
    grep -qE "(^|[^A-Za-z0-9_-])$(printf '%s' "$2" | sed 's/[.[\*^$()+?{}|]/\\&/g')([^A-Za-z0-9_-]|$)" "$1"
}

# ---- servsim(1) ----
for f in "$man1" "$man5"; do
    if [ -f "$f" ]; then ok; else bad "$f is missing"; fi
done
"$bin" --help >"$tmp/help" 2>&1 || bad "servsim --help failed"
for c in run check trace sweep bench; do
    "$bin" help "$c" >>"$tmp/help" 2>&1 || bad "servsim help $c failed"
done

# options: those the help texts show, and every one cli/args.c parses
{
    grep -oE '(^|[ [(])--?[A-Za-z][A-Za-z-]*' "$tmp/help" | sed 's/^[^-]*//'
    sed -n 's/^ *{ "\([a-z-]*\)", [a-z_]*_argument.*/--\1/p' "$root/cli/args.c"
    sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$root/cli/args.c" |
        tr -d ':' | sed 's/./-&\n/g'
} | grep -E -- '^--?[A-Za-z]' | sort -u >"$tmp/options"
[ -s "$tmp/options" ] || bad "no options found in --help or cli/args.c"
tags "$man1" OPTIONS >"$tmp/optiontags"
while read -r o; do
    if has_word "$tmp/optiontags" "$o"; then ok
    else bad "servsim.1: option $o (in --help or cli/args.c) is not described under OPTIONS"; fi
done <"$tmp/options"
# and no option the program no longer has
grep -oE -- '--[a-z][a-z-]*' "$tmp/optiontags" | sort -u >"$tmp/described"
while read -r o; do
    if grep -qx -- "$o" "$tmp/options"; then ok
    else bad "servsim.1: describes $o, which servsim does not have"; fi
done <"$tmp/described"

# commands: those of the usage and of cli/args.c's table
{
    sed -n 's/^  servsim \([a-z][a-z]*\).*/\1/p' "$tmp/help"
    sed -n 's/.*{ "\([a-z]*\)", CMD_[A-Z]* }.*/\1/p' "$root/cli/args.c" | tr -d ' '
    grep -oE '\{ "[a-z]+", CMD_[A-Z]+ \}' "$root/cli/args.c" | sed 's/{ "\([a-z]*\)".*/\1/'
} | sort -u >"$tmp/commands"
[ "$(wc -l <"$tmp/commands")" -ge 6 ] || bad "fewer than 6 commands found: $(tr '\n' ' ' <"$tmp/commands")"
tags "$man1" COMMANDS | awk '{ print $1 }' >"$tmp/commandtags"
while read -r c; do
    if grep -qx -- "$c" "$tmp/commandtags"; then ok
    else bad "servsim.1: command $c is not described under COMMANDS"; fi
done <"$tmp/commands"

# exit codes: docs/cli.md's table and --help's line, against EXIT STATUS
awk '/^## Exit codes/ { on = 1; next } /^## / { on = 0 }
     on && /^\| [0-9]+ \|/ { print $2 }' "$cli" | sort -u >"$tmp/codes"
awk '/^exit codes:/ { on = 1; print; next } on && /^ / { print; next } { on = 0 }' "$tmp/help" |
    grep -oE '[0-9]+ [a-z(]' | tr -dc '0-9\n' | sort -u >"$tmp/helpcodes"
[ -s "$tmp/codes" ] || bad "no exit codes found in docs/cli.md"
if cmp -s "$tmp/codes" "$tmp/helpcodes"; then ok
else bad "exit codes of docs/cli.md ($(tr '\n' ' ' <"$tmp/codes")) and of --help ($(tr '\n' ' ' <"$tmp/helpcodes")) differ"; fi
tags "$man1" "EXIT STATUS" | sort -u >"$tmp/codetags"
if cmp -s "$tmp/codes" "$tmp/codetags"; then ok
else bad "servsim.1: EXIT STATUS gives $(tr '\n' ' ' <"$tmp/codetags")where docs/cli.md gives $(tr '\n' ' ' <"$tmp/codes")"; fi

# the version
version=$("$bin" --version | sed -n '1s/^servsim //p')
for f in "$man1" "$man5"; do
    if grep -q "^\.TH .*\"servsim $version\"" "$f"; then ok
    else bad "$(basename "$f"): .TH does not say servsim $version (servsim --version)"; fi
done

# docs/cli.md shows the help texts as they are
block() {   # block HEADING: the first fenced block after the heading
    awk -v h="$1" '$0 == h { on = 1; next } on && /^```/ { if (in_) exit; in_ = 1; next }
                   in_ { print }' "$cli"
}
for t in '--help' run check bench; do
    case "$t" in
        --help) h='## `servsim --help`'; "$bin" --help >"$tmp/want" ;;
        *) h="## \`servsim $t\`"; "$bin" help "$t" >"$tmp/want" ;;
    esac
    block "$h" >"$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then ok
    else bad "docs/cli.md: the block under '$h' is not what servsim prints:"
        diff "$tmp/got" "$tmp/want" | sed 's/^/    /' >&2; fi
done

# ---- servsim-scenario(5) ----
# every section named in a heading of scenario-format.md is in a .SS title
grep -E '^#+ ' "$fmt" | grep -oE '`\[[^]`]+\]`' | tr -d '`' | sort -u >"$tmp/sections"
[ "$(wc -l <"$tmp/sections")" -ge 10 ] || bad "fewer than 10 sections found in scenario-format.md"
sed -n 's/^\.SS *//p' "$man5" | tr -d '"' | plain >"$tmp/subsections"
while read -r s; do
    if grep -qF -- "$s" "$tmp/subsections"; then ok
    else bad "servsim-scenario.5: no .SS for the section $s of scenario-format.md"; fi
done <"$tmp/sections"

# every key of a key table, under a .SS naming the sections of its heading
awk '/^#+ / { h = $0; next }
     /^\| Key \|/ { keys = 1; next }
     keys && /^\|/ { cell = $0; sub(/^\| */, "", cell); sub(/ *\|.*/, "", cell)
                     while (match(cell, /`[a-z_]+`/)) {
                         print h "\t" substr(cell, RSTART + 1, RLENGTH - 2)
                         cell = substr(cell, RSTART + RLENGTH) }
                     next }
     { keys = 0 }' "$fmt" >"$tmp/keys"
[ "$(wc -l <"$tmp/keys")" -ge 100 ] || bad "fewer than 100 keys found in scenario-format.md"
# keytags SECTIONS...: the key tags of every .SS whose title has them all
keytags() {
    awk -v want="$*" '
        BEGIN { n = 0; while (match(want, /\[[^]]+\]/)) {
                    w[++n] = substr(want, RSTART, RLENGTH); want = substr(want, RSTART + RLENGTH) } }
        /^\.S[HS] / { on = /^\.SS / && n > 0
                      for (i = 1; i <= n; i++) if (index($0, w[i]) == 0) on = 0 }
        on && tp { print; tp = 0; next }
        on && /^\.TP/ { tp = 1 }' "$man5" | plain
}
tab=$(printf '\t')
while IFS="$tab" read -r heading key; do
    secs=$(printf '%s\n' "$heading" | grep -oE '`\[[^]`]+\]`' | tr -d '`' | tr '\n' ' ' | sed 's/ $//')
    keytags $secs >"$tmp/keytags"
    if [ -z "$secs" ]; then bad "scenario-format.md: a key table under '$heading' names no section"
    elif has_word "$tmp/keytags" "$key"; then ok
    else bad "servsim-scenario.5: key $key of $secs is not described there"; fi
done <"$tmp/keys"

# distributions and kinds of step
tags "$man5" DISTRIBUTIONS >"$tmp/disttags"
grep -oE '^\| `[a-z]+\(' "$fmt" | sed 's/^| `//' | sort -u >"$tmp/dists"
[ "$(wc -l <"$tmp/dists")" -ge 7 ] || bad "fewer than 7 distributions found in scenario-format.md"
while read -r d; do
    if grep -qF -- "$d" "$tmp/disttags"; then ok
    else bad "servsim-scenario.5: the distribution $d...) is not under DISTRIBUTIONS"; fi
done <"$tmp/dists"
awk '/^\| Kind \| What it does/ { on = 1; next } on && /^\|---/ { next }
     on && /^\| `/ { k = $2; gsub(/`/, "", k); print k; next } { on = 0 }' "$fmt" >"$tmp/kinds"
[ "$(wc -l <"$tmp/kinds")" -ge 5 ] || bad "fewer than 5 kinds of step found in scenario-format.md"
keytags '[pathway DESIGN.NEED]' >"$tmp/kindtags"
while read -r k; do
    if grep -qx -- "$k" "$tmp/kindtags"; then ok
    else bad "servsim-scenario.5: the kind of step $k is not described under [pathway DESIGN.NEED]"; fi
done <"$tmp/kinds"

# the example is a valid scenario
awk '/^\.SH EXAMPLES/ { on = 1 } on && /^\.EE/ { exit } on && ex { print } on && /^\.EX/ { ex = 1 }' \
    "$man5" | plain >"$tmp/example.ini"
if [ -s "$tmp/example.ini" ] && "$bin" check "$tmp/example.ini" >"$tmp/out" 2>&1; then ok
else bad "servsim-scenario.5: the example is not a valid scenario:"; sed 's/^/    /' "$tmp/out" >&2; fi

# and its pathway is families.ini's, line for line
awk '/^\.SH EXAMPLES/ { on = 1 } on && /^\.EX/ { n++; next } on && /^\.EE/ { if (n == 2) exit; next }
     on && n == 2 { print }' "$man5" | plain >"$tmp/pathway"
[ -s "$tmp/pathway" ] || bad "servsim-scenario.5: no pathway example"
while IFS= read -r line; do
    if grep -qxF -- "$line" "$root/scenarios/families.ini"; then ok
    else bad "servsim-scenario.5: the example's line '$line' is not in scenarios/families.ini"; fi
done <"$tmp/pathway"

echo "man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

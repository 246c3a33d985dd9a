#!/bin/bash
# completion.sh: the bash completion (tools/completion/servsim.bash), as
# bash calls it: the words of the line in COMP_WORDS, the one under the
# cursor in COMP_CWORD, then the function with the command, that word and
# the one before; what it offers is COMPREPLY. Commands, each command's
# options, scenario files, and the designs, sections and keys of
# scenarios/families.ini (designs fragmented and key-worker).
#   bash tests/completion.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: completion: $*" >&2; }

# shellcheck source=../tools/completion/servsim.bash
source tools/completion/servsim.bash
if [ "$(complete -p servsim 2>/dev/null)" = "complete -F _servsim servsim" ]; then ok
else bad "sourcing it does not register _servsim for servsim"; fi

# comp [-w TEXT] WORD...: completes the last WORD of 'servsim WORD...'; with
# -w, TEXT is the word as readline passes it (a quoted word without its quote)
comp() {
    local text=
    local -i given=0
    if [ "$1" = -w ]; then text=$2; given=1; shift 2; fi
    COMP_WORDS=(servsim "$@")
    COMP_CWORD=$#
    COMP_LINE="servsim $*"
    COMP_POINT=${#COMP_LINE}
    ((given)) || text=${COMP_WORDS[COMP_CWORD]}
    COMPREPLY=()
    _servsim servsim "$text" "${COMP_WORDS[COMP_CWORD - 1]}"
    line="servsim $*"
}
# offers WORD...: COMPREPLY holds every WORD
offers() {
    local w c found
    for w in "$@"; do
        found=0
        for c in "${COMPREPLY[@]}"; do [ "$c" = "$w" ] && found=1; done
        if [ "$found" = 1 ]; then ok
        else bad "'$line<TAB>' does not offer '$w' (offers: ${COMPREPLY[*]:-nothing})"; fi
    done
}
# lacks WORD...: COMPREPLY holds no WORD
lacks() {
    local w c
    for w in "$@"; do
        for c in "${COMPREPLY[@]}"; do
            [ "$c" = "$w" ] && { bad "'$line<TAB>' offers '$w'"; continue 2; }
        done
        ok
    done
}
# only WORD...: COMPREPLY is exactly WORD... (in any order)
only() {
    offers "$@"
    if [ "${#COMPREPLY[@]}" -eq "$#" ]; then ok
    else bad "'$line<TAB>' offers ${COMPREPLY[*]:-nothing}, not just $*"; fi
}

fam=scenarios/families.ini

# commands, and the topics of help
comp ''
only run check trace sweep warmup compare report bench help
comp tr
only trace
comp help ''
only run check trace sweep warmup compare report bench

# each command's options, and no other command's
comp run "$fam" -
offers -o --output -r --replications -j --jobs --seed --set -q --quiet --needs --events --resume --precision --metric --report --help
lacks --design --vary --customers
comp run "$fam" --re
only --replications --resume --report
comp check "$fam" --
offers --set --replications --seed --help
lacks --output --jobs --needs
comp trace "$fam" --
offers --design --need --replication --set --seed
comp sweep "$fam" --
offers --vary --metric --output --jobs --set --quiet
lacks --design --resume
comp warmup "$fam" --
offers --metric --output --replications --jobs --seed --set --quiet
lacks --design --vary --resume
comp compare results/a --
only --output --quiet --help
comp report results/a --
only --output --quiet --help
comp bench --
only --customers --repeat --help
comp -
offers -h --help -V --version

# every option servsim has is offered by some command
for o in $(sed -n 's/^ *{ "\([a-z-]*\)", [a-z_]*_argument.*/--\1/p' cli/args.c); do
    n=0
    for c in run check trace sweep warmup compare report bench ''; do
        comp $c --
        for r in "${COMPREPLY[@]}"; do [ "$r" = "$o" ] && n=1; done
    done
    if [ "$n" = 1 ]; then ok; else bad "$o (cli/args.c) is offered by no command"; fi
done

# scenario files
comp run scenarios/fam
offers scenarios/families.ini
comp check ''
offers - scenarios
comp run scenarios/
lacks scenarios/README.md

# designs of the scenario, wherever the options are
comp trace "$fam" --design ''
only fragmented key-worker switch
comp trace "$fam" --design k
only key-worker
comp trace "$fam" --design = ''
only fragmented key-worker switch
comp --set 'scenario.seed=3' -j 2 trace "$fam" --need 3 --design f
only fragmented
comp trace --design ''
only
comp trace /nonexistent.ini --design ''
only

# --set: the sections, then the keys each has in the file
comp run "$fam" --set ''
offers 'scenario.' 'design\ fragmented.' 'design\ key-worker.' 'team\ fragmented.hub.' \
    'team\ key-worker.locality.' 'need\ welfare.' 'household\ family.' 'pathway\ fragmented.welfare.'
comp run "$fam" --set 'team\ key'
offers 'team\ key-worker.locality.' 'team\ key-worker.custody.'
lacks 'team\ fragmented.hub.'
comp -w 'team key' run "$fam" --set "'team key"
offers 'team key-worker.locality.'
comp -w 'design key-worker.' run "$fam" --set "\"design key-worker."
offers 'design key-worker.kind=' 'design key-worker.key_worker='
comp run "$fam" --set 'scenario.h'
only 'scenario.horizon='
comp run "$fam" --set 'team\ key-worker.locality.c'
offers 'team\ key-worker.locality.caseload='
comp sweep "$fam" --vary 'scenario.w'
only 'scenario.warmup='
# the value after KEY= and a --vary range are left alone
comp run "$fam" --set scenario.seed = ''
only
comp sweep --vary scenario.seed = 1 : 5 : 2 "$fam" --design ''
only fragmented key-worker switch
comp sweep "$fam" --metric ''
offers cost_per_need e2e_mean

# -o: folders
comp run "$fam" -o sc
offers scenarios

echo "completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

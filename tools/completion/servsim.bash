# bash completion for servsim(1): commands, options, scenario files, and,
# once a scenario FILE is on the line, the names read from it: design names
# for --design, and for --set and --vary the sections of the file
# ('design key-worker.', 'team fragmented.hub.', 'scenario.', ...) and then
# the keys each section has in the file ('team fragmented.hub.staff=').
#
# Installed by make install as $(PREFIX)/share/bash-completion/completions/servsim,
# where the bash-completion package loads it; without that package:
#   source /usr/local/share/bash-completion/completions/servsim
# tests/completion.sh tests it.

# _servsim_sections FILE: the sections of a scenario file, one a line
# (what is between [ and ], as written)
_servsim_sections()
{
    [[ -f $1 && -r $1 ]] || return 0
    command sed -n -e 's/^[[:space:]]*\[\([^]]*\)\].*/\1/p' <"$1" 2>/dev/null
}

# _servsim_keys FILE SECTION: the keys SECTION has in the file, one a line
_servsim_keys()
{
    [[ -f $1 && -r $1 ]] || return 0
    command awk -v want="$2" '
        /^[ \t]*\[/ { h = $0; sub(/^[ \t]*\[/, "", h); sub(/\].*/, "", h); on = (h == want); next }
        on && /^[ \t]*[A-Za-z0-9_.-]+[ \t]*[=:]/ {
            k = $0; sub(/^[ \t]*/, "", k); sub(/[ \t]*[=:].*/, "", k); print k }' <"$1" 2>/dev/null
}

# _servsim_add CUR QUOTED CANDIDATE...: adds to COMPREPLY each candidate
# that begins with CUR; outside quotes, with its spaces escaped
_servsim_add()
{
    local cur=$1 quoted=$2 c
    shift 2
    for c in "$@"; do
        [[ $quoted == 0 ]] && c=${c// /\\ }
        [[ $c == "$cur"* ]] && COMPREPLY+=("$c")
    done
}

# _servsim_setting FILE CUR QUOTED: a --set or --vary SECTION.KEY: the file's
# sections, then the keys of the section CUR names
_servsim_setting()
{
    local file=$1 cur=$2 quoted=$3 s k plain=$2
    local -a cands=()
    [[ $quoted == 0 ]] && plain=${cur//\\ / }
    while IFS= read -r s; do
        [[ -n $s ]] || continue
        if [[ $plain == "$s."* ]]; then
            while IFS= read -r k; do
                [[ -n $k ]] && cands+=("$s.$k=")
            done < <(_servsim_keys "$file" "$s")
        else
            cands+=("$s.")
        fi
    done < <(_servsim_sections "$file")
    _servsim_add "$cur" "$quoted" "${cands[@]}"
    compopt -o nospace 2>/dev/null
}

# _servsim_file WORD: the scenario file a word of the line names
_servsim_file()
{
    local f=$1
    f=${f#[\'\"]}
    f=${f%[\'\"]}
    f=${f//\\ / }
    [[ $f == \~/* ]] && f=$HOME/${f#\~/}
    printf '%s\n' "$f"
}

# _servsim_takes WORD: WORD is an option that takes a value
_servsim_takes()
{
    case $1 in
        -o | -r | -j | --output | --replications | --jobs | --seed | --set | --customers | \
            --repeat | --design | --vary | --metric | --need | --replication | --precision) return 0 ;;
    esac
    return 1
}

_servsim()
{
    local cur prev word quoted=0 cmd= file= i cword=$COMP_CWORD
    local -a words=("${COMP_WORDS[@]}")
    local commands='run check trace sweep warmup compare report bench help'
    COMPREPLY=()

    # the word as readline completes it (an opening quote left out)
    cur=${2-${words[cword]}}
    word=${words[cword]}
    case $word in
        \'* | \"*) quoted=1; [[ $cur == [\'\"]* ]] && cur=${cur:1} ;;
    esac
    prev=${words[cword - 1]}

    # the command and the scenario FILE: the first two words that are
    # neither options nor their values (options may come anywhere; a value
    # may be split at = and :, which end words for bash)
    i=1
    while ((i < cword)); do
        if _servsim_takes "${words[i]}"; then
            ((i++))
            [[ ${words[i]} == = ]] && ((i++))
            while ((i + 1 < cword)) && [[ ${words[i + 1]} == [=:] ]]; do ((i += 2)); done
        elif [[ ${words[i]} != -* ]]; then
            if [[ -z $cmd ]]; then cmd=${words[i]}
            elif [[ -z $file ]]; then file=$(_servsim_file "${words[i]}")
            fi
        fi
        ((i++))
    done

    # the value of an option: after it, or after its =
    local opt=
    if _servsim_takes "$prev"; then opt=$prev
    elif [[ $prev == = ]] && ((cword >= 2)) && _servsim_takes "${words[cword - 2]}"; then
        opt=${words[cword - 2]}
    elif [[ $prev == [=:] ]]; then
        return 0   # the VALUE of --set KEY=VALUE, the range of --vary
    fi
    if [[ -n $opt ]]; then
        case $opt in
            -o | --output)
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -d -- "$cur")
                ;;
            --design)
                local -a names=()
                local s
                while IFS= read -r s; do
                    [[ $s == "design "* ]] && names+=("${s#design }")
                done < <(_servsim_sections "$file")
                _servsim_add "$cur" "$quoted" "${names[@]}"
                ;;
            --set | --vary)
                _servsim_setting "$file" "$cur" "$quoted"
                ;;
            --metric)
                _servsim_add "$cur" "$quoted" cost_per_need e2e_mean
                ;;
        esac
        return 0
    fi

    if [[ $cur == -* ]]; then
        local opts
        case $cmd in
            run) opts='-o --output -r --replications -j --jobs --seed --set -q --quiet --needs --events --resume --precision --metric --report' ;;
            check) opts='--set -r --replications --seed' ;;
            trace) opts='--design --need --replication --set -r --replications --seed' ;;
            sweep) opts='--vary -o --output --metric -r --replications -j --jobs --seed --set -q --quiet' ;;
            warmup) opts='-o --output --metric -r --replications -j --jobs --seed --set -q --quiet' ;;
            compare) opts='-o --output -q --quiet' ;;
            report) opts='-o --output -q --quiet' ;;
            bench) opts='--customers --repeat' ;;
            *) opts='-V --version' ;;
        esac
        mapfile -t COMPREPLY < <(compgen -W "$opts -h --help" -- "$cur")
        return 0
    fi

    case $cmd in
        '') mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
        help) [[ -z $file ]] && mapfile -t COMPREPLY < <(compgen -W 'run check trace sweep warmup compare report bench' -- "$cur") ;;
        compare | report)
            # two results folders
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            ;;
        run | check | trace | sweep | warmup)
            if [[ -z $file ]]; then
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -X '!*.ini' -- "$cur"; compgen -d -- "$cur")
                [[ -z $cur ]] && COMPREPLY+=(-)
            fi
            ;;
    esac
    return 0
}
complete -F _servsim servsim

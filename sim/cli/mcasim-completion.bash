# Bash completion for mcasim: subcommands, each one's options, the formats
# of --from and --vendor, and file names for the rest. Installed by `cmake
# --install` into share/bash-completion/completions/mcasim.
_mcasim()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "run validate import decode campaign report help --help --version" -- "$cur"))
        return
    fi
    case $prev in
        --from) COMPREPLY=($(compgen -W "auto yaml mce-inject qemu xen-mceinj einj" -- "$cur")); return ;;
        --vendor) COMPREPLY=($(compgen -W "intel amd" -- "$cur")); return ;;
        --context) COMPREPLY=($(compgen -W "user kernel hv idle hypervisor dom0-kernel dom0-user guest-kernel guest-user" -- "$cur")); return ;;
        -j|--jobs|--seed|--status|--mcg-status|--addr|--misc|--mcg-cap|--cpu|--max-wall|--max-memory|--keep|--shard|--host|--policy) return ;;
    esac
    local opts
    case $cmd in
        run) opts="-j --jobs --seed --from --json --junit --trace --perfetto --vcd --results --mcelog --console --rasdaemon --strict --max-wall --max-memory --keep -q --quiet -h --help" ;;
        validate) opts="--strict --from -h --help" ;;
        import) opts="--from -o --output -h --help" ;;
        decode) opts="--status --mcg-status --addr --misc --mcg-cap --cpu --vendor --context --mce --poll --json -h --help" ;;
        campaign) opts="merge -o --out -j --jobs --shard --host --policy --trace --max-wall --max-memory --keep --skip-quiet --timings -q --quiet -h --help" ;;
        report) opts="-o --output --templates -q --quiet -h --help" ;;
        help) COMPREPLY=($(compgen -W "run validate import decode campaign report" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _mcasim mcasim

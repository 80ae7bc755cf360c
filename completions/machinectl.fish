# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_machinectl_global_optspecs
    string join \n s/storage-path= D/debug quiet h/help V/version
end

function __fish_machinectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_machinectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_machinectl_using_subcommand
    set -l cmd (__fish_machinectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c machinectl -n "__fish_machinectl_needs_command" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_needs_command" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_needs_command" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_needs_command" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_needs_command" -s V -l version -d 'Print version'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "ls" -d 'List machines with their state and engine version'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "list" -d 'List machines with their state and engine version'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "env" -d 'Print the commands that point the docker client at a machine'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "config" -d 'Print the docker client flags for a machine: docker $(machinectl config NAME) ps'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "ip" -d 'Print a machine\'s IP address'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "url" -d 'Print a machine\'s engine URL'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "inspect" -d 'Print a machine\'s record as JSON, or fields of it with --format'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "status" -d 'Print a machine\'s state as its provider reports it'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "ssh" -d 'Log into a machine over SSH, or run a command there'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "scp" -d 'Copy files between this computer and machines: [[user@]machine:]path'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "start" -d 'Start machines (and their engines)'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "stop" -d 'Stop machines gracefully'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "restart" -d 'Stop then start machines'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "kill" -d 'Stop machines at once, without letting them shut down'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "rm" -d 'Remove machines and everything their drivers made'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "regenerate-certs" -d 'Make new server certificates (and with --client-certs a new CA and client certificate)'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "provision" -d 'Run provisioning again on existing machines'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "upgrade" -d 'Upgrade the engine on machines to the newest version their OS offers'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "active" -d 'Print the name of the machine DOCKER_HOST points at'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "use" -d 'Make (or update) a docker context for a machine and select it'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "import" -d 'Adopt machines made by docker-machine, without reprovisioning them'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "version" -d 'Print machinectl\'s version, or a machine\'s engine version'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "man" -d 'Print the manual page (roff)'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "create" -d 'Create machines: make the host, install Docker, secure the engine with TLS'
complete -c machinectl -n "__fish_machinectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s t -l timeout -d 'Seconds to wait for each host\'s answer' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -l filter -d 'Keep machines that match: driver=, state=, name= (regex), label=, cluster=. The same key given twice matches either value; different keys must all match' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s f -l format -d 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s o -l output -d 'Print as text or JSON' -r -f -a "text\t''
json\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s q -d 'Print names only, without probing the hosts (also with --quiet)'
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand ls" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s t -l timeout -d 'Seconds to wait for each host\'s answer' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -l filter -d 'Keep machines that match: driver=, state=, name= (regex), label=, cluster=. The same key given twice matches either value; different keys must all match' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s f -l format -d 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s o -l output -d 'Print as text or JSON' -r -f -a "text\t''
json\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s q -d 'Print names only, without probing the hosts (also with --quiet)'
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand list" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -l shell -d 'Shell to print for: bash, zsh, fish, powershell, cmd, tcsh, emacs [default: from $SHELL]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -s u -l unset -d 'Print the commands that undo the environment instead (takes no machine name)'
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -l no-proxy -d 'Add the machine\'s address to NO_PROXY'
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -s f -l force -d 'Print the environment even when the record says the machine is not running'
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand env" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand config" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand config" -s f -l force -d 'Print the values even when the record says the machine is not running'
complete -c machinectl -n "__fish_machinectl_using_subcommand config" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand config" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand config" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand ip" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand ip" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand ip" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand ip" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand url" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand url" -s f -l force -d 'Print the values even when the record says the machine is not running'
complete -c machinectl -n "__fish_machinectl_using_subcommand url" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand url" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand url" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand inspect" -s f -l format -d 'Go template over the record, e.g. "{{.Driver.Host.Ip}}", "{{json .Engine}}" or "{{prettyjson .Driver}}"' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand inspect" -s o -l output -d 'Print as text or JSON (JSON is the default without --format)' -r -f -a "text\t''
json\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand inspect" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand inspect" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand inspect" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand status" -s o -l output -d 'Print as text or JSON' -r -f -a "text\t''
json\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand status" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand status" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand status" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand status" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand ssh" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand ssh" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand ssh" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand ssh" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand scp" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand scp" -s r -l recursive -d 'Copy directories recursively'
complete -c machinectl -n "__fish_machinectl_using_subcommand scp" -s d -l delta -d 'Copy only what changed (rsync over the machine\'s SSH)'
complete -c machinectl -n "__fish_machinectl_using_subcommand scp" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand scp" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand scp" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand start" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand start" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand start" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand start" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand start" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand stop" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand stop" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand stop" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand stop" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand stop" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand restart" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand restart" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand restart" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand restart" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand restart" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand kill" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand kill" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand kill" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand kill" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand kill" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -l parallel -d 'How many machines to remove at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -s f -l force -d 'Remove the local record even if the provider side cannot be cleaned up, reporting what was left'
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand rm" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -s f -l force -d 'Do not ask for confirmation (required without a terminal)'
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -l client-certs -d 'Also make a new CA and client certificate (every other machine then needs new certificates too)'
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand regenerate-certs" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand provision" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand provision" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand provision" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand provision" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand provision" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand upgrade" -l parallel -d 'How many machines to work on at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand upgrade" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand upgrade" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand upgrade" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand upgrade" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand active" -s t -l timeout -d 'Seconds to wait for the machine\'s answer' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand active" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand active" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand active" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand active" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand use" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand use" -s u -l unset -d 'Select the default context again'
complete -c machinectl -n "__fish_machinectl_using_subcommand use" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand use" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand use" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand import" -l from -d 'docker-machine\'s store [default: $MACHINE_STORAGE_PATH or ~/.docker/machine]' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand import" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand import" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand import" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand import" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand version" -s o -l output -d 'Print as text or JSON' -r -f -a "text\t''
json\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand version" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand version" -s f -l force -d 'Ask the engine even when the record says the machine is not running'
complete -c machinectl -n "__fish_machinectl_using_subcommand version" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand version" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand version" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand completion" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand completion" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand completion" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand completion" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand man" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand man" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand man" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand man" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -s d -l driver -d 'Driver that makes the host: local (namespaces on this machine), generic (any SSH host), virtualbox, digitalocean, aws (amazonec2), gce (google) or azure; `--driver NAME --help` shows that driver\'s flags' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l count -d 'Make N machines named PREFIX-1 … PREFIX-N instead of naming them' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l prefix -d 'Name prefix for --count [default: the driver\'s name, e.g. local-1, local-2]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l parallel -d 'How many machines to make at once' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-opt -d 'daemon.json setting for the engine, key=value (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-label -d 'Engine label, key=value (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-env -d 'Environment variable for the engine, KEY=VALUE (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-storage-driver -d 'Storage driver of the engine' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-registry-mirror -d 'Registry mirror (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-insecure-registry -d 'Registry reached without TLS (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-install-url -d 'Script that installs Docker when it is missing; `none` never installs [default: the OS family\'s method: Docker\'s install script, or its package manager]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l engine-port -d 'Port the engine serves TLS on' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l tls-san -d 'Extra subject alternative name for the server certificate (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l ssh-timeout -d 'Seconds to wait for SSH to answer' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l local-subnet -d 'Subnet of local hosts; its first address is the bridge\'s' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l generic-ip-address -d 'Address of the SSH host (required)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l generic-ssh-user -d 'SSH user (root, or one with passwordless sudo)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l generic-ssh-key -d 'Private key the host accepts (required)' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l generic-ssh-port -d 'SSH port' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l generic-engine-port -d 'Engine port on the host [default: --engine-port]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-region -l amazonec2-region -d 'Region' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-zone -l amazonec2-zone -d 'Availability zone letter within the region' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-profile -d 'Credentials profile from the shared AWS files [default: the SDK\'s default chain]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-ami -l amazonec2-ami -d 'AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical\'s SSM parameter]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-instance-type -l amazonec2-instance-type -d 'Instance type' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-root-size -l amazonec2-root-size -d 'Root volume size in GiB (gp3)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-vpc-id -l amazonec2-vpc-id -d 'VPC [default: the region\'s default VPC]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-subnet-id -l amazonec2-subnet-id -d 'Subnet [default: the VPC\'s subnet in the zone]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-security-group -l amazonec2-security-group -d 'Security group name [default: machinectl, made or reused, with SSH and the engine port open]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-allowed-cidr -d 'Who may reach SSH and the engine port' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-keypair-name -l amazonec2-keypair-name -d 'Use this existing key pair (with --aws-ssh-key) instead of importing one per machine' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-ssh-key -l amazonec2-ssh-keypath -d 'Private key of --aws-keypair-name' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-ssh-user -l amazonec2-ssh-user -d 'SSH user of the AMI' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-tags -l amazonec2-tags -d 'Extra tags: key=value[,key=value…] (docker-machine\'s key1,value1,key2,value2 also works)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-iam-instance-profile -l amazonec2-iam-instance-profile -d 'IAM instance profile name' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-spot-price -l amazonec2-spot-price -d 'Request a spot instance at this maximum price (USD per hour)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-endpoint -l amazonec2-endpoint -d 'API endpoint URL, for emulators and compatible clouds' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-access-token -d 'API token with read and write scope (required)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-region -d 'Region slug' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-size -d 'Size slug' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-image -d 'Image slug or id' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-vpc-uuid -d 'VPC to place the droplet in [default: the region\'s default VPC]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-ssh-user -d 'SSH user' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-ssh-port -d 'SSH port' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-ssh-key-fingerprint -d 'Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-ssh-key-path -d 'Private key of --digitalocean-ssh-key-fingerprint' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-tags -d 'Extra droplet tags, comma-separated' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-userdata -d 'A cloud-init user-data file (at most 64 KiB)' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-api-url -d 'API base URL' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-cpu-count -d 'Number of CPUs' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-memory -d 'Memory in MB' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-disk-size -d 'Disk size in MB (the image\'s disk is grown to it)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-hostonly-cidr -d 'The host-only network: this computer\'s address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-share-folder -d 'Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-image-url -d 'The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-image-path -d 'A local cloud image to boot instead (no download, no checksum)' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-ssh-user -d 'The user cloud-init makes for SSH (passwordless sudo; root logs in as root)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-ui-type -d 'How the VM\'s screen is shown' -r -f -a "headless\t''
gui\t''
sdl\t''
separate\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-nat-nictype -d 'NIC 1 (NAT) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-hostonly-nictype -d 'NIC 2 (host-only) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-hostonly-nicpromisc -d 'NIC 2\'s promiscuous mode' -r -f -a "deny\t''
allow-vms\t''
allow-all\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-boot2docker-url -d 'docker-machine\'s boot2docker ISO: refused, boot2docker is no longer maintained' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-credentials -l google-credentials -d 'Service-account key or authorized-user JSON file [default: gcloud\'s application-default login, then the metadata server]' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-project -l google-project -d 'Project id [default: the credentials\' project]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-zone -l google-zone -d 'Zone' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-machine-type -l google-machine-type -d 'Machine type' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-machine-image -l google-machine-image -d 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-disk-size -l google-disk-size -d 'Boot disk size in GB' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-disk-type -l google-disk-type -d 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-network -l google-network -d 'VPC network' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-subnetwork -l google-subnetwork -d 'Subnetwork of the network in the zone\'s region' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-tags -l google-tags -d 'Extra network tags, comma-separated (`machinectl` is always there)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-labels -l google-labels -d 'Extra labels, key=value comma-separated' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-username -l google-username -d 'SSH user the key is installed for' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-scopes -l google-scopes -d 'The instance\'s OAuth scopes, comma-separated (short names or URLs)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-service-account -l google-service-account -d 'The instance\'s service account (e-mail, or default)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-userdata -l google-userdata -d 'A cloud-init user-data file (metadata user-data, at most 256 KiB)' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-allowed-cidr -l google-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-endpoint -l google-endpoint -d 'Compute API endpoint (rootUrl + servicePath)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-subscription-id -d 'Subscription id [default: the Azure CLI\'s current subscription]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-tenant-id -d 'Service principal\'s tenant (id or domain)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-client-id -d 'Service principal\'s application (client) id [default: sign in with the Azure CLI]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-client-secret -d 'Service principal\'s client secret' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-client-certificate-path -d 'Service principal\'s certificate: a PEM file with its RSA private key and certificate' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-environment -d 'Azure cloud' -r -f -a "AzurePublicCloud\t''
AzureUSGovernmentCloud\t''
AzureChinaCloud\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-endpoint -d 'Resource Manager endpoint [default: the environment\'s]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-login-endpoint -d 'Microsoft Entra login endpoint [default: the environment\'s]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-location -d 'Location (region)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-size -d 'VM size' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-image -d 'Image as publisher:offer:sku:version' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-resource-group -d 'Resource group (made when missing, and then removed with its last machine)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-vnet -d 'Virtual network, as [resource-group:]name (made when missing)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-subnet -d 'Subnet of the virtual network (made when missing)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-subnet-prefix -d 'Address range of a subnet (and network) machinectl makes' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-nsg -d 'Network security group to use (made when missing) [default: NAME-firewall, the machine\'s own]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-dns -d 'A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-private-ip-address -d 'A static private address in the subnet' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-ssh-user -d 'Admin user SSH logs in as (Azure refuses root)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-docker-port -d 'Engine port (docker-machine\'s name for --engine-port)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-disk-size -d 'OS disk size in GB [default: the image\'s]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-storage-type -d 'OS disk storage type' -r -f -a "Standard_LRS\t''
StandardSSD_LRS\t''
Premium_LRS\t''"
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-availability-zone -d 'Availability zone (1, 2 or 3) [default: none]' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-tags -d 'Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-custom-data -d 'A cloud-init custom-data file (at most 64 KB)' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, \'*\' or Internet)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-open-port -d 'Another TCP port to open (repeatable)' -r
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l keep-on-error -d 'On failure keep what was made, recorded with the error, so `rm` can finish the job'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l aws-use-private-address -l amazonec2-use-private-address -d 'Reach the instance at its private address (no public address is requested)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-ipv6 -d 'Give the droplet an IPv6 address'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-private-networking -d 'Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-backups -d 'Enable backups'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-monitoring -d 'Install the monitoring agent'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l digitalocean-use-private-address -d 'Reach the droplet at its private (VPC) address'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-no-vtx-check -d 'Do not check for VT-x/AMD-V before creating the VM'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-dns-proxy -d 'NAT proxies the guest\'s DNS queries through this computer'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-host-dns-resolver -d 'NAT answers the guest\'s DNS queries with this computer\'s resolver'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l virtualbox-no-share -d 'Share no folder (the default; cancels --virtualbox-share-folder)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-use-internal-ip -l google-use-internal-ip -d 'Reach the instance at its internal address'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-use-internal-ip-only -l google-use-internal-ip-only -d 'Give the instance no external address (implies --gce-use-internal-ip)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-preemptible -l google-preemptible -d 'A preemptible instance'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l gce-spot -l google-spot -d 'A Spot instance (stopped, not deleted, when reclaimed)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-static-public-ip -d 'Static public IP (Azure\'s Standard addresses always are)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-no-public-ip -d 'No public IP (needs --azure-use-private-ip)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-use-private-ip -d 'Reach the VM at its private address'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l azure-deallocate-on-stop -d 'stop also deallocates the VM (no compute charges while stopped)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -l quiet -d 'Print only results: no progress, no hints'
complete -c machinectl -n "__fish_machinectl_using_subcommand create" -s h -l help -d 'Print help'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "ls" -d 'List machines with their state and engine version'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "env" -d 'Print the commands that point the docker client at a machine'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "config" -d 'Print the docker client flags for a machine: docker $(machinectl config NAME) ps'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "ip" -d 'Print a machine\'s IP address'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "url" -d 'Print a machine\'s engine URL'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "inspect" -d 'Print a machine\'s record as JSON, or fields of it with --format'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "status" -d 'Print a machine\'s state as its provider reports it'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "ssh" -d 'Log into a machine over SSH, or run a command there'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "scp" -d 'Copy files between this computer and machines: [[user@]machine:]path'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "start" -d 'Start machines (and their engines)'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "stop" -d 'Stop machines gracefully'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "restart" -d 'Stop then start machines'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "kill" -d 'Stop machines at once, without letting them shut down'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "rm" -d 'Remove machines and everything their drivers made'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "regenerate-certs" -d 'Make new server certificates (and with --client-certs a new CA and client certificate)'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "provision" -d 'Run provisioning again on existing machines'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "upgrade" -d 'Upgrade the engine on machines to the newest version their OS offers'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "active" -d 'Print the name of the machine DOCKER_HOST points at'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "use" -d 'Make (or update) a docker context for a machine and select it'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "import" -d 'Adopt machines made by docker-machine, without reprovisioning them'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "version" -d 'Print machinectl\'s version, or a machine\'s engine version'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "completion" -d 'Print a shell completion script'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "man" -d 'Print the manual page (roff)'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "create" -d 'Create machines: make the host, install Docker, secure the engine with TLS'
complete -c machinectl -n "__fish_machinectl_using_subcommand help; and not __fish_seen_subcommand_from ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'


using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'machinectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'machinectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'machinectl' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List machines with their state and engine version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List machines with their state and engine version')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the commands that point the docker client at a machine')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the docker client flags for a machine: docker $(machinectl config NAME) ps')
            [CompletionResult]::new('ip', 'ip', [CompletionResultType]::ParameterValue, 'Print a machine''s IP address')
            [CompletionResult]::new('url', 'url', [CompletionResultType]::ParameterValue, 'Print a machine''s engine URL')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Print a machine''s record as JSON, or fields of it with --format')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print a machine''s state as its provider reports it')
            [CompletionResult]::new('ssh', 'ssh', [CompletionResultType]::ParameterValue, 'Log into a machine over SSH, or run a command there')
            [CompletionResult]::new('scp', 'scp', [CompletionResultType]::ParameterValue, 'Copy files between this computer and machines: [[user@]machine:]path')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start machines (and their engines)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop machines gracefully')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Stop then start machines')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop machines at once, without letting them shut down')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove machines and everything their drivers made')
            [CompletionResult]::new('regenerate-certs', 'regenerate-certs', [CompletionResultType]::ParameterValue, 'Make new server certificates (and with --client-certs a new CA and client certificate)')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Run provisioning again on existing machines')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade the engine on machines to the newest version their OS offers')
            [CompletionResult]::new('active', 'active', [CompletionResultType]::ParameterValue, 'Print the name of the machine DOCKER_HOST points at')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make (or update) a docker context for a machine and select it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Adopt machines made by docker-machine, without reprovisioning them')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print machinectl''s version, or a machine''s engine version')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create machines: make the host, install Docker, secure the engine with TLS')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'machinectl;ls' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Seconds to wait for each host''s answer')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each host''s answer')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Keep machines that match: driver=, state=, name= (regex), label=, cluster=. The same key given twice matches either value; different keys must all match')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print names only, without probing the hosts (also with --quiet)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;list' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Seconds to wait for each host''s answer')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each host''s answer')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Keep machines that match: driver=, state=, name= (regex), label=, cluster=. The same key given twice matches either value; different keys must all match')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print names only, without probing the hosts (also with --quiet)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;env' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to print for: bash, zsh, fish, powershell, cmd, tcsh, emacs [default: from $SHELL]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Print the commands that undo the environment instead (takes no machine name)')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Print the commands that undo the environment instead (takes no machine name)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Add the machine''s address to NO_PROXY')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print the environment even when the record says the machine is not running')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print the environment even when the record says the machine is not running')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;config' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print the values even when the record says the machine is not running')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print the values even when the record says the machine is not running')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;ip' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;url' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print the values even when the record says the machine is not running')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print the values even when the record says the machine is not running')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;inspect' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Go template over the record, e.g. "{{.Driver.Host.Ip}}", "{{json .Engine}}" or "{{prettyjson .Driver}}"')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Go template over the record, e.g. "{{.Driver.Host.Ip}}", "{{json .Engine}}" or "{{prettyjson .Driver}}"')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print as text or JSON (JSON is the default without --format)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print as text or JSON (JSON is the default without --format)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;status' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;ssh' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;scp' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Copy directories recursively')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Copy directories recursively')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Copy only what changed (rsync over the machine''s SSH)')
            [CompletionResult]::new('--delta', '--delta', [CompletionResultType]::ParameterName, 'Copy only what changed (rsync over the machine''s SSH)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;start' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;stop' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;restart' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;kill' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;rm' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to remove at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Remove the local record even if the provider side cannot be cleaned up, reporting what was left')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove the local record even if the provider side cannot be cleaned up, reporting what was left')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;regenerate-certs' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--client-certs', '--client-certs', [CompletionResultType]::ParameterName, 'Also make a new CA and client certificate (every other machine then needs new certificates too)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;provision' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;upgrade' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to work on at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;active' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Seconds to wait for the machine''s answer')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the machine''s answer')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;use' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Select the default context again')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Select the default context again')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;import' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'docker-machine''s store [default: $MACHINE_STORAGE_PATH or ~/.docker/machine]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;version' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print as text or JSON')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Ask the engine even when the record says the machine is not running')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Ask the engine even when the record says the machine is not running')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;completion' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;man' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;create' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Driver that makes the host: local (namespaces on this machine), generic (any SSH host), virtualbox, digitalocean, aws (amazonec2), gce (google) or azure; `--driver NAME --help` shows that driver''s flags')
            [CompletionResult]::new('--driver', '--driver', [CompletionResultType]::ParameterName, 'Driver that makes the host: local (namespaces on this machine), generic (any SSH host), virtualbox, digitalocean, aws (amazonec2), gce (google) or azure; `--driver NAME --help` shows that driver''s flags')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Make N machines named PREFIX-1 … PREFIX-N instead of naming them')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Name prefix for --count [default: the driver''s name, e.g. local-1, local-2]')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'How many machines to make at once')
            [CompletionResult]::new('--engine-opt', '--engine-opt', [CompletionResultType]::ParameterName, 'daemon.json setting for the engine, key=value (repeatable)')
            [CompletionResult]::new('--engine-label', '--engine-label', [CompletionResultType]::ParameterName, 'Engine label, key=value (repeatable)')
            [CompletionResult]::new('--engine-env', '--engine-env', [CompletionResultType]::ParameterName, 'Environment variable for the engine, KEY=VALUE (repeatable)')
            [CompletionResult]::new('--engine-storage-driver', '--engine-storage-driver', [CompletionResultType]::ParameterName, 'Storage driver of the engine')
            [CompletionResult]::new('--engine-registry-mirror', '--engine-registry-mirror', [CompletionResultType]::ParameterName, 'Registry mirror (repeatable)')
            [CompletionResult]::new('--engine-insecure-registry', '--engine-insecure-registry', [CompletionResultType]::ParameterName, 'Registry reached without TLS (repeatable)')
            [CompletionResult]::new('--engine-install-url', '--engine-install-url', [CompletionResultType]::ParameterName, 'Script that installs Docker when it is missing; `none` never installs [default: the OS family''s method: Docker''s install script, or its package manager]')
            [CompletionResult]::new('--engine-port', '--engine-port', [CompletionResultType]::ParameterName, 'Port the engine serves TLS on')
            [CompletionResult]::new('--tls-san', '--tls-san', [CompletionResultType]::ParameterName, 'Extra subject alternative name for the server certificate (repeatable)')
            [CompletionResult]::new('--ssh-timeout', '--ssh-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for SSH to answer')
            [CompletionResult]::new('--local-subnet', '--local-subnet', [CompletionResultType]::ParameterName, 'Subnet of local hosts; its first address is the bridge''s')
            [CompletionResult]::new('--generic-ip-address', '--generic-ip-address', [CompletionResultType]::ParameterName, 'Address of the SSH host (required)')
            [CompletionResult]::new('--generic-ssh-user', '--generic-ssh-user', [CompletionResultType]::ParameterName, 'SSH user (root, or one with passwordless sudo)')
            [CompletionResult]::new('--generic-ssh-key', '--generic-ssh-key', [CompletionResultType]::ParameterName, 'Private key the host accepts (required)')
            [CompletionResult]::new('--generic-ssh-port', '--generic-ssh-port', [CompletionResultType]::ParameterName, 'SSH port')
            [CompletionResult]::new('--generic-engine-port', '--generic-engine-port', [CompletionResultType]::ParameterName, 'Engine port on the host [default: --engine-port]')
            [CompletionResult]::new('--aws-region', '--aws-region', [CompletionResultType]::ParameterName, 'Region')
            [CompletionResult]::new('--amazonec2-region', '--amazonec2-region', [CompletionResultType]::ParameterName, 'Region')
            [CompletionResult]::new('--aws-zone', '--aws-zone', [CompletionResultType]::ParameterName, 'Availability zone letter within the region')
            [CompletionResult]::new('--amazonec2-zone', '--amazonec2-zone', [CompletionResultType]::ParameterName, 'Availability zone letter within the region')
            [CompletionResult]::new('--aws-profile', '--aws-profile', [CompletionResultType]::ParameterName, 'Credentials profile from the shared AWS files [default: the SDK''s default chain]')
            [CompletionResult]::new('--aws-ami', '--aws-ami', [CompletionResultType]::ParameterName, 'AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical''s SSM parameter]')
            [CompletionResult]::new('--amazonec2-ami', '--amazonec2-ami', [CompletionResultType]::ParameterName, 'AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical''s SSM parameter]')
            [CompletionResult]::new('--aws-instance-type', '--aws-instance-type', [CompletionResultType]::ParameterName, 'Instance type')
            [CompletionResult]::new('--amazonec2-instance-type', '--amazonec2-instance-type', [CompletionResultType]::ParameterName, 'Instance type')
            [CompletionResult]::new('--aws-root-size', '--aws-root-size', [CompletionResultType]::ParameterName, 'Root volume size in GiB (gp3)')
            [CompletionResult]::new('--amazonec2-root-size', '--amazonec2-root-size', [CompletionResultType]::ParameterName, 'Root volume size in GiB (gp3)')
            [CompletionResult]::new('--aws-vpc-id', '--aws-vpc-id', [CompletionResultType]::ParameterName, 'VPC [default: the region''s default VPC]')
            [CompletionResult]::new('--amazonec2-vpc-id', '--amazonec2-vpc-id', [CompletionResultType]::ParameterName, 'VPC [default: the region''s default VPC]')
            [CompletionResult]::new('--aws-subnet-id', '--aws-subnet-id', [CompletionResultType]::ParameterName, 'Subnet [default: the VPC''s subnet in the zone]')
            [CompletionResult]::new('--amazonec2-subnet-id', '--amazonec2-subnet-id', [CompletionResultType]::ParameterName, 'Subnet [default: the VPC''s subnet in the zone]')
            [CompletionResult]::new('--aws-security-group', '--aws-security-group', [CompletionResultType]::ParameterName, 'Security group name [default: machinectl, made or reused, with SSH and the engine port open]')
            [CompletionResult]::new('--amazonec2-security-group', '--amazonec2-security-group', [CompletionResultType]::ParameterName, 'Security group name [default: machinectl, made or reused, with SSH and the engine port open]')
            [CompletionResult]::new('--aws-allowed-cidr', '--aws-allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port')
            [CompletionResult]::new('--aws-keypair-name', '--aws-keypair-name', [CompletionResultType]::ParameterName, 'Use this existing key pair (with --aws-ssh-key) instead of importing one per machine')
            [CompletionResult]::new('--amazonec2-keypair-name', '--amazonec2-keypair-name', [CompletionResultType]::ParameterName, 'Use this existing key pair (with --aws-ssh-key) instead of importing one per machine')
            [CompletionResult]::new('--aws-ssh-key', '--aws-ssh-key', [CompletionResultType]::ParameterName, 'Private key of --aws-keypair-name')
            [CompletionResult]::new('--amazonec2-ssh-keypath', '--amazonec2-ssh-keypath', [CompletionResultType]::ParameterName, 'Private key of --aws-keypair-name')
            [CompletionResult]::new('--aws-ssh-user', '--aws-ssh-user', [CompletionResultType]::ParameterName, 'SSH user of the AMI')
            [CompletionResult]::new('--amazonec2-ssh-user', '--amazonec2-ssh-user', [CompletionResultType]::ParameterName, 'SSH user of the AMI')
            [CompletionResult]::new('--aws-tags', '--aws-tags', [CompletionResultType]::ParameterName, 'Extra tags: key=value[,key=value…] (docker-machine''s key1,value1,key2,value2 also works)')
            [CompletionResult]::new('--amazonec2-tags', '--amazonec2-tags', [CompletionResultType]::ParameterName, 'Extra tags: key=value[,key=value…] (docker-machine''s key1,value1,key2,value2 also works)')
            [CompletionResult]::new('--aws-iam-instance-profile', '--aws-iam-instance-profile', [CompletionResultType]::ParameterName, 'IAM instance profile name')
            [CompletionResult]::new('--amazonec2-iam-instance-profile', '--amazonec2-iam-instance-profile', [CompletionResultType]::ParameterName, 'IAM instance profile name')
            [CompletionResult]::new('--aws-spot-price', '--aws-spot-price', [CompletionResultType]::ParameterName, 'Request a spot instance at this maximum price (USD per hour)')
            [CompletionResult]::new('--amazonec2-spot-price', '--amazonec2-spot-price', [CompletionResultType]::ParameterName, 'Request a spot instance at this maximum price (USD per hour)')
            [CompletionResult]::new('--aws-endpoint', '--aws-endpoint', [CompletionResultType]::ParameterName, 'API endpoint URL, for emulators and compatible clouds')
            [CompletionResult]::new('--amazonec2-endpoint', '--amazonec2-endpoint', [CompletionResultType]::ParameterName, 'API endpoint URL, for emulators and compatible clouds')
            [CompletionResult]::new('--digitalocean-access-token', '--digitalocean-access-token', [CompletionResultType]::ParameterName, 'API token with read and write scope (required)')
            [CompletionResult]::new('--digitalocean-region', '--digitalocean-region', [CompletionResultType]::ParameterName, 'Region slug')
            [CompletionResult]::new('--digitalocean-size', '--digitalocean-size', [CompletionResultType]::ParameterName, 'Size slug')
            [CompletionResult]::new('--digitalocean-image', '--digitalocean-image', [CompletionResultType]::ParameterName, 'Image slug or id')
            [CompletionResult]::new('--digitalocean-vpc-uuid', '--digitalocean-vpc-uuid', [CompletionResultType]::ParameterName, 'VPC to place the droplet in [default: the region''s default VPC]')
            [CompletionResult]::new('--digitalocean-ssh-user', '--digitalocean-ssh-user', [CompletionResultType]::ParameterName, 'SSH user')
            [CompletionResult]::new('--digitalocean-ssh-port', '--digitalocean-ssh-port', [CompletionResultType]::ParameterName, 'SSH port')
            [CompletionResult]::new('--digitalocean-ssh-key-fingerprint', '--digitalocean-ssh-key-fingerprint', [CompletionResultType]::ParameterName, 'Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it')
            [CompletionResult]::new('--digitalocean-ssh-key-path', '--digitalocean-ssh-key-path', [CompletionResultType]::ParameterName, 'Private key of --digitalocean-ssh-key-fingerprint')
            [CompletionResult]::new('--digitalocean-tags', '--digitalocean-tags', [CompletionResultType]::ParameterName, 'Extra droplet tags, comma-separated')
            [CompletionResult]::new('--digitalocean-userdata', '--digitalocean-userdata', [CompletionResultType]::ParameterName, 'A cloud-init user-data file (at most 64 KiB)')
            [CompletionResult]::new('--digitalocean-allowed-cidr', '--digitalocean-allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)')
            [CompletionResult]::new('--digitalocean-api-url', '--digitalocean-api-url', [CompletionResultType]::ParameterName, 'API base URL')
            [CompletionResult]::new('--virtualbox-cpu-count', '--virtualbox-cpu-count', [CompletionResultType]::ParameterName, 'Number of CPUs')
            [CompletionResult]::new('--virtualbox-memory', '--virtualbox-memory', [CompletionResultType]::ParameterName, 'Memory in MB')
            [CompletionResult]::new('--virtualbox-disk-size', '--virtualbox-disk-size', [CompletionResultType]::ParameterName, 'Disk size in MB (the image''s disk is grown to it)')
            [CompletionResult]::new('--virtualbox-hostonly-cidr', '--virtualbox-hostonly-cidr', [CompletionResultType]::ParameterName, 'The host-only network: this computer''s address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)')
            [CompletionResult]::new('--virtualbox-share-folder', '--virtualbox-share-folder', [CompletionResultType]::ParameterName, 'Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)')
            [CompletionResult]::new('--virtualbox-image-url', '--virtualbox-image-url', [CompletionResultType]::ParameterName, 'The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)')
            [CompletionResult]::new('--virtualbox-image-path', '--virtualbox-image-path', [CompletionResultType]::ParameterName, 'A local cloud image to boot instead (no download, no checksum)')
            [CompletionResult]::new('--virtualbox-ssh-user', '--virtualbox-ssh-user', [CompletionResultType]::ParameterName, 'The user cloud-init makes for SSH (passwordless sudo; root logs in as root)')
            [CompletionResult]::new('--virtualbox-ui-type', '--virtualbox-ui-type', [CompletionResultType]::ParameterName, 'How the VM''s screen is shown')
            [CompletionResult]::new('--virtualbox-nat-nictype', '--virtualbox-nat-nictype', [CompletionResultType]::ParameterName, 'NIC 1 (NAT) hardware')
            [CompletionResult]::new('--virtualbox-hostonly-nictype', '--virtualbox-hostonly-nictype', [CompletionResultType]::ParameterName, 'NIC 2 (host-only) hardware')
            [CompletionResult]::new('--virtualbox-hostonly-nicpromisc', '--virtualbox-hostonly-nicpromisc', [CompletionResultType]::ParameterName, 'NIC 2''s promiscuous mode')
            [CompletionResult]::new('--virtualbox-boot2docker-url', '--virtualbox-boot2docker-url', [CompletionResultType]::ParameterName, 'docker-machine''s boot2docker ISO: refused, boot2docker is no longer maintained')
            [CompletionResult]::new('--gce-credentials', '--gce-credentials', [CompletionResultType]::ParameterName, 'Service-account key or authorized-user JSON file [default: gcloud''s application-default login, then the metadata server]')
            [CompletionResult]::new('--google-credentials', '--google-credentials', [CompletionResultType]::ParameterName, 'Service-account key or authorized-user JSON file [default: gcloud''s application-default login, then the metadata server]')
            [CompletionResult]::new('--gce-project', '--gce-project', [CompletionResultType]::ParameterName, 'Project id [default: the credentials'' project]')
            [CompletionResult]::new('--google-project', '--google-project', [CompletionResultType]::ParameterName, 'Project id [default: the credentials'' project]')
            [CompletionResult]::new('--gce-zone', '--gce-zone', [CompletionResultType]::ParameterName, 'Zone')
            [CompletionResult]::new('--google-zone', '--google-zone', [CompletionResultType]::ParameterName, 'Zone')
            [CompletionResult]::new('--gce-machine-type', '--gce-machine-type', [CompletionResultType]::ParameterName, 'Machine type')
            [CompletionResult]::new('--google-machine-type', '--google-machine-type', [CompletionResultType]::ParameterName, 'Machine type')
            [CompletionResult]::new('--gce-machine-image', '--gce-machine-image', [CompletionResultType]::ParameterName, 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE')
            [CompletionResult]::new('--google-machine-image', '--google-machine-image', [CompletionResultType]::ParameterName, 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE')
            [CompletionResult]::new('--gce-disk-size', '--gce-disk-size', [CompletionResultType]::ParameterName, 'Boot disk size in GB')
            [CompletionResult]::new('--google-disk-size', '--google-disk-size', [CompletionResultType]::ParameterName, 'Boot disk size in GB')
            [CompletionResult]::new('--gce-disk-type', '--gce-disk-type', [CompletionResultType]::ParameterName, 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)')
            [CompletionResult]::new('--google-disk-type', '--google-disk-type', [CompletionResultType]::ParameterName, 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)')
            [CompletionResult]::new('--gce-network', '--gce-network', [CompletionResultType]::ParameterName, 'VPC network')
            [CompletionResult]::new('--google-network', '--google-network', [CompletionResultType]::ParameterName, 'VPC network')
            [CompletionResult]::new('--gce-subnetwork', '--gce-subnetwork', [CompletionResultType]::ParameterName, 'Subnetwork of the network in the zone''s region')
            [CompletionResult]::new('--google-subnetwork', '--google-subnetwork', [CompletionResultType]::ParameterName, 'Subnetwork of the network in the zone''s region')
            [CompletionResult]::new('--gce-tags', '--gce-tags', [CompletionResultType]::ParameterName, 'Extra network tags, comma-separated (`machinectl` is always there)')
            [CompletionResult]::new('--google-tags', '--google-tags', [CompletionResultType]::ParameterName, 'Extra network tags, comma-separated (`machinectl` is always there)')
            [CompletionResult]::new('--gce-labels', '--gce-labels', [CompletionResultType]::ParameterName, 'Extra labels, key=value comma-separated')
            [CompletionResult]::new('--google-labels', '--google-labels', [CompletionResultType]::ParameterName, 'Extra labels, key=value comma-separated')
            [CompletionResult]::new('--gce-username', '--gce-username', [CompletionResultType]::ParameterName, 'SSH user the key is installed for')
            [CompletionResult]::new('--google-username', '--google-username', [CompletionResultType]::ParameterName, 'SSH user the key is installed for')
            [CompletionResult]::new('--gce-scopes', '--gce-scopes', [CompletionResultType]::ParameterName, 'The instance''s OAuth scopes, comma-separated (short names or URLs)')
            [CompletionResult]::new('--google-scopes', '--google-scopes', [CompletionResultType]::ParameterName, 'The instance''s OAuth scopes, comma-separated (short names or URLs)')
            [CompletionResult]::new('--gce-service-account', '--gce-service-account', [CompletionResultType]::ParameterName, 'The instance''s service account (e-mail, or default)')
            [CompletionResult]::new('--google-service-account', '--google-service-account', [CompletionResultType]::ParameterName, 'The instance''s service account (e-mail, or default)')
            [CompletionResult]::new('--gce-userdata', '--gce-userdata', [CompletionResultType]::ParameterName, 'A cloud-init user-data file (metadata user-data, at most 256 KiB)')
            [CompletionResult]::new('--google-userdata', '--google-userdata', [CompletionResultType]::ParameterName, 'A cloud-init user-data file (metadata user-data, at most 256 KiB)')
            [CompletionResult]::new('--gce-allowed-cidr', '--gce-allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)')
            [CompletionResult]::new('--google-allowed-cidr', '--google-allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)')
            [CompletionResult]::new('--gce-endpoint', '--gce-endpoint', [CompletionResultType]::ParameterName, 'Compute API endpoint (rootUrl + servicePath)')
            [CompletionResult]::new('--google-endpoint', '--google-endpoint', [CompletionResultType]::ParameterName, 'Compute API endpoint (rootUrl + servicePath)')
            [CompletionResult]::new('--azure-subscription-id', '--azure-subscription-id', [CompletionResultType]::ParameterName, 'Subscription id [default: the Azure CLI''s current subscription]')
            [CompletionResult]::new('--azure-tenant-id', '--azure-tenant-id', [CompletionResultType]::ParameterName, 'Service principal''s tenant (id or domain)')
            [CompletionResult]::new('--azure-client-id', '--azure-client-id', [CompletionResultType]::ParameterName, 'Service principal''s application (client) id [default: sign in with the Azure CLI]')
            [CompletionResult]::new('--azure-client-secret', '--azure-client-secret', [CompletionResultType]::ParameterName, 'Service principal''s client secret')
            [CompletionResult]::new('--azure-client-certificate-path', '--azure-client-certificate-path', [CompletionResultType]::ParameterName, 'Service principal''s certificate: a PEM file with its RSA private key and certificate')
            [CompletionResult]::new('--azure-environment', '--azure-environment', [CompletionResultType]::ParameterName, 'Azure cloud')
            [CompletionResult]::new('--azure-endpoint', '--azure-endpoint', [CompletionResultType]::ParameterName, 'Resource Manager endpoint [default: the environment''s]')
            [CompletionResult]::new('--azure-login-endpoint', '--azure-login-endpoint', [CompletionResultType]::ParameterName, 'Microsoft Entra login endpoint [default: the environment''s]')
            [CompletionResult]::new('--azure-location', '--azure-location', [CompletionResultType]::ParameterName, 'Location (region)')
            [CompletionResult]::new('--azure-size', '--azure-size', [CompletionResultType]::ParameterName, 'VM size')
            [CompletionResult]::new('--azure-image', '--azure-image', [CompletionResultType]::ParameterName, 'Image as publisher:offer:sku:version')
            [CompletionResult]::new('--azure-resource-group', '--azure-resource-group', [CompletionResultType]::ParameterName, 'Resource group (made when missing, and then removed with its last machine)')
            [CompletionResult]::new('--azure-vnet', '--azure-vnet', [CompletionResultType]::ParameterName, 'Virtual network, as [resource-group:]name (made when missing)')
            [CompletionResult]::new('--azure-subnet', '--azure-subnet', [CompletionResultType]::ParameterName, 'Subnet of the virtual network (made when missing)')
            [CompletionResult]::new('--azure-subnet-prefix', '--azure-subnet-prefix', [CompletionResultType]::ParameterName, 'Address range of a subnet (and network) machinectl makes')
            [CompletionResult]::new('--azure-nsg', '--azure-nsg', [CompletionResultType]::ParameterName, 'Network security group to use (made when missing) [default: NAME-firewall, the machine''s own]')
            [CompletionResult]::new('--azure-dns', '--azure-dns', [CompletionResultType]::ParameterName, 'A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names')
            [CompletionResult]::new('--azure-private-ip-address', '--azure-private-ip-address', [CompletionResultType]::ParameterName, 'A static private address in the subnet')
            [CompletionResult]::new('--azure-ssh-user', '--azure-ssh-user', [CompletionResultType]::ParameterName, 'Admin user SSH logs in as (Azure refuses root)')
            [CompletionResult]::new('--azure-docker-port', '--azure-docker-port', [CompletionResultType]::ParameterName, 'Engine port (docker-machine''s name for --engine-port)')
            [CompletionResult]::new('--azure-disk-size', '--azure-disk-size', [CompletionResultType]::ParameterName, 'OS disk size in GB [default: the image''s]')
            [CompletionResult]::new('--azure-storage-type', '--azure-storage-type', [CompletionResultType]::ParameterName, 'OS disk storage type')
            [CompletionResult]::new('--azure-availability-zone', '--azure-availability-zone', [CompletionResultType]::ParameterName, 'Availability zone (1, 2 or 3) [default: none]')
            [CompletionResult]::new('--azure-tags', '--azure-tags', [CompletionResultType]::ParameterName, 'Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)')
            [CompletionResult]::new('--azure-custom-data', '--azure-custom-data', [CompletionResultType]::ParameterName, 'A cloud-init custom-data file (at most 64 KB)')
            [CompletionResult]::new('--azure-allowed-cidr', '--azure-allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, ''*'' or Internet)')
            [CompletionResult]::new('--azure-open-port', '--azure-open-port', [CompletionResultType]::ParameterName, 'Another TCP port to open (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--keep-on-error', '--keep-on-error', [CompletionResultType]::ParameterName, 'On failure keep what was made, recorded with the error, so `rm` can finish the job')
            [CompletionResult]::new('--aws-use-private-address', '--aws-use-private-address', [CompletionResultType]::ParameterName, 'Reach the instance at its private address (no public address is requested)')
            [CompletionResult]::new('--amazonec2-use-private-address', '--amazonec2-use-private-address', [CompletionResultType]::ParameterName, 'Reach the instance at its private address (no public address is requested)')
            [CompletionResult]::new('--digitalocean-ipv6', '--digitalocean-ipv6', [CompletionResultType]::ParameterName, 'Give the droplet an IPv6 address')
            [CompletionResult]::new('--digitalocean-private-networking', '--digitalocean-private-networking', [CompletionResultType]::ParameterName, 'Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)')
            [CompletionResult]::new('--digitalocean-backups', '--digitalocean-backups', [CompletionResultType]::ParameterName, 'Enable backups')
            [CompletionResult]::new('--digitalocean-monitoring', '--digitalocean-monitoring', [CompletionResultType]::ParameterName, 'Install the monitoring agent')
            [CompletionResult]::new('--digitalocean-use-private-address', '--digitalocean-use-private-address', [CompletionResultType]::ParameterName, 'Reach the droplet at its private (VPC) address')
            [CompletionResult]::new('--virtualbox-no-vtx-check', '--virtualbox-no-vtx-check', [CompletionResultType]::ParameterName, 'Do not check for VT-x/AMD-V before creating the VM')
            [CompletionResult]::new('--virtualbox-dns-proxy', '--virtualbox-dns-proxy', [CompletionResultType]::ParameterName, 'NAT proxies the guest''s DNS queries through this computer')
            [CompletionResult]::new('--virtualbox-host-dns-resolver', '--virtualbox-host-dns-resolver', [CompletionResultType]::ParameterName, 'NAT answers the guest''s DNS queries with this computer''s resolver')
            [CompletionResult]::new('--virtualbox-no-share', '--virtualbox-no-share', [CompletionResultType]::ParameterName, 'Share no folder (the default; cancels --virtualbox-share-folder)')
            [CompletionResult]::new('--gce-use-internal-ip', '--gce-use-internal-ip', [CompletionResultType]::ParameterName, 'Reach the instance at its internal address')
            [CompletionResult]::new('--google-use-internal-ip', '--google-use-internal-ip', [CompletionResultType]::ParameterName, 'Reach the instance at its internal address')
            [CompletionResult]::new('--gce-use-internal-ip-only', '--gce-use-internal-ip-only', [CompletionResultType]::ParameterName, 'Give the instance no external address (implies --gce-use-internal-ip)')
            [CompletionResult]::new('--google-use-internal-ip-only', '--google-use-internal-ip-only', [CompletionResultType]::ParameterName, 'Give the instance no external address (implies --gce-use-internal-ip)')
            [CompletionResult]::new('--gce-preemptible', '--gce-preemptible', [CompletionResultType]::ParameterName, 'A preemptible instance')
            [CompletionResult]::new('--google-preemptible', '--google-preemptible', [CompletionResultType]::ParameterName, 'A preemptible instance')
            [CompletionResult]::new('--gce-spot', '--gce-spot', [CompletionResultType]::ParameterName, 'A Spot instance (stopped, not deleted, when reclaimed)')
            [CompletionResult]::new('--google-spot', '--google-spot', [CompletionResultType]::ParameterName, 'A Spot instance (stopped, not deleted, when reclaimed)')
            [CompletionResult]::new('--azure-static-public-ip', '--azure-static-public-ip', [CompletionResultType]::ParameterName, 'Static public IP (Azure''s Standard addresses always are)')
            [CompletionResult]::new('--azure-no-public-ip', '--azure-no-public-ip', [CompletionResultType]::ParameterName, 'No public IP (needs --azure-use-private-ip)')
            [CompletionResult]::new('--azure-use-private-ip', '--azure-use-private-ip', [CompletionResultType]::ParameterName, 'Reach the VM at its private address')
            [CompletionResult]::new('--azure-deallocate-on-stop', '--azure-deallocate-on-stop', [CompletionResultType]::ParameterName, 'stop also deallocates the VM (no compute charges while stopped)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'machinectl;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List machines with their state and engine version')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the commands that point the docker client at a machine')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the docker client flags for a machine: docker $(machinectl config NAME) ps')
            [CompletionResult]::new('ip', 'ip', [CompletionResultType]::ParameterValue, 'Print a machine''s IP address')
            [CompletionResult]::new('url', 'url', [CompletionResultType]::ParameterValue, 'Print a machine''s engine URL')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Print a machine''s record as JSON, or fields of it with --format')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print a machine''s state as its provider reports it')
            [CompletionResult]::new('ssh', 'ssh', [CompletionResultType]::ParameterValue, 'Log into a machine over SSH, or run a command there')
            [CompletionResult]::new('scp', 'scp', [CompletionResultType]::ParameterValue, 'Copy files between this computer and machines: [[user@]machine:]path')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start machines (and their engines)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop machines gracefully')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Stop then start machines')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop machines at once, without letting them shut down')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove machines and everything their drivers made')
            [CompletionResult]::new('regenerate-certs', 'regenerate-certs', [CompletionResultType]::ParameterValue, 'Make new server certificates (and with --client-certs a new CA and client certificate)')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Run provisioning again on existing machines')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade the engine on machines to the newest version their OS offers')
            [CompletionResult]::new('active', 'active', [CompletionResultType]::ParameterValue, 'Print the name of the machine DOCKER_HOST points at')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make (or update) a docker context for a machine and select it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Adopt machines made by docker-machine, without reprovisioning them')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print machinectl''s version, or a machine''s engine version')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create machines: make the host, install Docker, secure the engine with TLS')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'machinectl;help;ls' {
            break
        }
        'machinectl;help;env' {
            break
        }
        'machinectl;help;config' {
            break
        }
        'machinectl;help;ip' {
            break
        }
        'machinectl;help;url' {
            break
        }
        'machinectl;help;inspect' {
            break
        }
        'machinectl;help;status' {
            break
        }
        'machinectl;help;ssh' {
            break
        }
        'machinectl;help;scp' {
            break
        }
        'machinectl;help;start' {
            break
        }
        'machinectl;help;stop' {
            break
        }
        'machinectl;help;restart' {
            break
        }
        'machinectl;help;kill' {
            break
        }
        'machinectl;help;rm' {
            break
        }
        'machinectl;help;regenerate-certs' {
            break
        }
        'machinectl;help;provision' {
            break
        }
        'machinectl;help;upgrade' {
            break
        }
        'machinectl;help;active' {
            break
        }
        'machinectl;help;use' {
            break
        }
        'machinectl;help;import' {
            break
        }
        'machinectl;help;version' {
            break
        }
        'machinectl;help;completion' {
            break
        }
        'machinectl;help;man' {
            break
        }
        'machinectl;help;create' {
            break
        }
        'machinectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

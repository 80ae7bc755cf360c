
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'clusterctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'clusterctl'
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
        'clusterctl' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Create a cluster: its nodes, in parallel, and the orchestrator on them')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Remove every resource a cluster made (found by tag when local state is gone)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List clusters')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List clusters')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a cluster''s nodes, roles, addresses and orchestrator health')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write every artifact `up` would submit, byte for byte, without creating anything')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Change the number of nodes (local: swarm; aws: the stack is updated in place)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clusterctl;up' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Where the nodes run')
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'Nodes in all, managers included [default: 1]')
            [CompletionResult]::new('--managers', '--managers', [CompletionResultType]::ParameterName, 'Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]')
            [CompletionResult]::new('--orchestrator', '--orchestrator', [CompletionResultType]::ParameterName, 'Orchestrator to bootstrap [default: swarm]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out')
            [CompletionResult]::new('--local-subnet', '--local-subnet', [CompletionResultType]::ParameterName, 'Subnet of local nodes [default: 10.231.0.0/24]')
            [CompletionResult]::new('--aws-region', '--aws-region', [CompletionResultType]::ParameterName, 'AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]')
            [CompletionResult]::new('--aws-zone', '--aws-zone', [CompletionResultType]::ParameterName, 'Availability zone letter [default: a]')
            [CompletionResult]::new('--aws-instance-type', '--aws-instance-type', [CompletionResultType]::ParameterName, 'Instance type [default: t3.small]')
            [CompletionResult]::new('--aws-ami', '--aws-ami', [CompletionResultType]::ParameterName, 'AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]')
            [CompletionResult]::new('--allowed-cidr', '--allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port [default: 0.0.0.0/0]')
            [CompletionResult]::new('--aws-ssh-user', '--aws-ssh-user', [CompletionResultType]::ParameterName, 'SSH user of the AMI [default: ubuntu, ec2-user for ecs]')
            [CompletionResult]::new('--aws-endpoint', '--aws-endpoint', [CompletionResultType]::ParameterName, 'API endpoint URL, for emulators and compatible clouds')
            [CompletionResult]::new('--aws-profile', '--aws-profile', [CompletionResultType]::ParameterName, 'Credentials profile [default: the SDK''s default chain]')
            [CompletionResult]::new('--ssh-timeout', '--ssh-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each node''s SSH')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--keep-on-error', '--keep-on-error', [CompletionResultType]::ParameterName, 'On failure keep what was made, recorded with the error, so `down` can finish the job')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'clusterctl;down' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'ProviderKind to search by tag when local state is gone')
            [CompletionResult]::new('--aws-region', '--aws-region', [CompletionResultType]::ParameterName, 'Region to search [default: $AWS_DEFAULT_REGION, else us-east-1]')
            [CompletionResult]::new('--aws-endpoint', '--aws-endpoint', [CompletionResultType]::ParameterName, 'API endpoint URL to search')
            [CompletionResult]::new('--aws-profile', '--aws-profile', [CompletionResultType]::ParameterName, 'Credentials profile')
            [CompletionResult]::new('--cluster-id', '--cluster-id', [CompletionResultType]::ParameterName, 'Without local state: which cluster of that name to remove, when the account holds several (down lists their ids)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the provider has deleted everything')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;ls' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;list' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;status' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;env' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to print for (as machinectl env)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;render' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Where the nodes run')
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'Nodes in all, managers included [default: 1]')
            [CompletionResult]::new('--managers', '--managers', [CompletionResultType]::ParameterName, 'Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]')
            [CompletionResult]::new('--orchestrator', '--orchestrator', [CompletionResultType]::ParameterName, 'Orchestrator to bootstrap [default: swarm]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out')
            [CompletionResult]::new('--local-subnet', '--local-subnet', [CompletionResultType]::ParameterName, 'Subnet of local nodes [default: 10.231.0.0/24]')
            [CompletionResult]::new('--aws-region', '--aws-region', [CompletionResultType]::ParameterName, 'AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]')
            [CompletionResult]::new('--aws-zone', '--aws-zone', [CompletionResultType]::ParameterName, 'Availability zone letter [default: a]')
            [CompletionResult]::new('--aws-instance-type', '--aws-instance-type', [CompletionResultType]::ParameterName, 'Instance type [default: t3.small]')
            [CompletionResult]::new('--aws-ami', '--aws-ami', [CompletionResultType]::ParameterName, 'AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]')
            [CompletionResult]::new('--allowed-cidr', '--allowed-cidr', [CompletionResultType]::ParameterName, 'Who may reach SSH and the engine port [default: 0.0.0.0/0]')
            [CompletionResult]::new('--aws-ssh-user', '--aws-ssh-user', [CompletionResultType]::ParameterName, 'SSH user of the AMI [default: ubuntu, ec2-user for ecs]')
            [CompletionResult]::new('--aws-endpoint', '--aws-endpoint', [CompletionResultType]::ParameterName, 'API endpoint URL, for emulators and compatible clouds')
            [CompletionResult]::new('--aws-profile', '--aws-profile', [CompletionResultType]::ParameterName, 'Credentials profile [default: the SDK''s default chain]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the artifacts to (created; existing files are not overwritten)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'clusterctl;scale' {
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'Nodes in all, managers included')
            [CompletionResult]::new('--ssh-timeout', '--ssh-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each new node''s SSH')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--keep-on-error', '--keep-on-error', [CompletionResultType]::ParameterName, 'Keep new nodes that failed (recorded with the error) instead of removing them')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;completion' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;man' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('--storage-path', '--storage-path', [CompletionResultType]::ParameterName, 'Where machines, clusters and certificates are kept')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Print what happens underneath, with the cause of every error (secrets are redacted)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results: no progress, no hints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clusterctl;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Create a cluster: its nodes, in parallel, and the orchestrator on them')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Remove every resource a cluster made (found by tag when local state is gone)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List clusters')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a cluster''s nodes, roles, addresses and orchestrator health')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write every artifact `up` would submit, byte for byte, without creating anything')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Change the number of nodes (local: swarm; aws: the stack is updated in place)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clusterctl;help;up' {
            break
        }
        'clusterctl;help;down' {
            break
        }
        'clusterctl;help;ls' {
            break
        }
        'clusterctl;help;status' {
            break
        }
        'clusterctl;help;env' {
            break
        }
        'clusterctl;help;render' {
            break
        }
        'clusterctl;help;scale' {
            break
        }
        'clusterctl;help;completion' {
            break
        }
        'clusterctl;help;man' {
            break
        }
        'clusterctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

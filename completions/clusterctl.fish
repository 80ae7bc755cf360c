# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_clusterctl_global_optspecs
    string join \n s/storage-path= D/debug quiet h/help V/version
end

function __fish_clusterctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_clusterctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_clusterctl_using_subcommand
    set -l cmd (__fish_clusterctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c clusterctl -n "__fish_clusterctl_needs_command" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_needs_command" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -s V -l version -d 'Print version'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "up" -d 'Create a cluster: its nodes, in parallel, and the orchestrator on them'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "down" -d 'Remove every resource a cluster made (found by tag when local state is gone)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "ls" -d 'List clusters'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "list" -d 'List clusters'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "status" -d 'Show a cluster\'s nodes, roles, addresses and orchestrator health'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "env" -d 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "render" -d 'Write every artifact `up` would submit, byte for byte, without creating anything'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "scale" -d 'Change the number of nodes (local: swarm; aws: the stack is updated in place)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "completion" -d 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l provider -d 'Where the nodes run' -r -f -a "local\t''
aws\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l nodes -d 'Nodes in all, managers included [default: 1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l managers -d 'Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l orchestrator -d 'Orchestrator to bootstrap [default: swarm]' -r -f -a "swarm\t'Docker Swarm over the Engine API'
kubernetes\t'Kubernetes by kubeadm'
ecs\t'Amazon ECS (aws only)'
consul\t'Consul servers and clients over TLS, with Registrator on every node'
mesos\t'Apache Mesos with ZooKeeper and Marathon: legacy (Mesos moved to the Apache Attic in October 2025, Marathon is archived), kept for users who run it'"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s f -l file -d 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l local-subnet -d 'Subnet of local nodes [default: 10.231.0.0/24]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-region -d 'AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-zone -d 'Availability zone letter [default: a]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-instance-type -d 'Instance type [default: t3.small]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-ami -d 'AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l allowed-cidr -d 'Who may reach SSH and the engine port [default: 0.0.0.0/0]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-ssh-user -d 'SSH user of the AMI [default: ubuntu, ec2-user for ecs]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-endpoint -d 'API endpoint URL, for emulators and compatible clouds' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l aws-profile -d 'Credentials profile [default: the SDK\'s default chain]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l ssh-timeout -d 'Seconds to wait for each node\'s SSH' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l keep-on-error -d 'On failure keep what was made, recorded with the error, so `down` can finish the job'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l provider -d 'ProviderKind to search by tag when local state is gone' -r -f -a "local\t''
aws\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l aws-region -d 'Region to search [default: $AWS_DEFAULT_REGION, else us-east-1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l aws-endpoint -d 'API endpoint URL to search' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l aws-profile -d 'Credentials profile' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l cluster-id -d 'Without local state: which cluster of that name to remove, when the account holds several (down lists their ids)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l wait -d 'Wait until the provider has deleted everything'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand ls" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand ls" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand ls" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand ls" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand list" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand list" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand list" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand list" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand status" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand status" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand status" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand status" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand env" -l shell -d 'Shell to print for (as machinectl env)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand env" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand env" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand env" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand env" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l provider -d 'Where the nodes run' -r -f -a "local\t''
aws\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l nodes -d 'Nodes in all, managers included [default: 1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l managers -d 'Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l orchestrator -d 'Orchestrator to bootstrap [default: swarm]' -r -f -a "swarm\t'Docker Swarm over the Engine API'
kubernetes\t'Kubernetes by kubeadm'
ecs\t'Amazon ECS (aws only)'
consul\t'Consul servers and clients over TLS, with Registrator on every node'
mesos\t'Apache Mesos with ZooKeeper and Marathon: legacy (Mesos moved to the Apache Attic in October 2025, Marathon is archived), kept for users who run it'"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s f -l file -d 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l local-subnet -d 'Subnet of local nodes [default: 10.231.0.0/24]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-region -d 'AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-zone -d 'Availability zone letter [default: a]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-instance-type -d 'Instance type [default: t3.small]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-ami -d 'AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l allowed-cidr -d 'Who may reach SSH and the engine port [default: 0.0.0.0/0]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-ssh-user -d 'SSH user of the AMI [default: ubuntu, ec2-user for ecs]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-endpoint -d 'API endpoint URL, for emulators and compatible clouds' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l aws-profile -d 'Credentials profile [default: the SDK\'s default chain]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l out -d 'Directory to write the artifacts to (created; existing files are not overwritten)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -l nodes -d 'Nodes in all, managers included' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -l ssh-timeout -d 'Seconds to wait for each new node\'s SSH' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -l keep-on-error -d 'Keep new nodes that failed (recorded with the error) instead of removing them'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand scale" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand completion" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand completion" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand completion" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand completion" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand man" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand man" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand man" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand man" -s h -l help -d 'Print help'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "up" -d 'Create a cluster: its nodes, in parallel, and the orchestrator on them'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "down" -d 'Remove every resource a cluster made (found by tag when local state is gone)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "ls" -d 'List clusters'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "status" -d 'Show a cluster\'s nodes, roles, addresses and orchestrator health'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "env" -d 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "render" -d 'Write every artifact `up` would submit, byte for byte, without creating anything'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "scale" -d 'Change the number of nodes (local: swarm; aws: the stack is updated in place)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "completion" -d 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "man" -d 'Print the man page (roff)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from up down ls status env render scale completion man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'


use builtin;
use str;

set edit:completion:arg-completer[clusterctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'clusterctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'clusterctl'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand up 'Create a cluster: its nodes, in parallel, and the orchestrator on them'
            cand down 'Remove every resource a cluster made (found by tag when local state is gone)'
            cand ls 'List clusters'
            cand list 'List clusters'
            cand status 'Show a cluster''s nodes, roles, addresses and orchestrator health'
            cand env 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)'
            cand render 'Write every artifact `up` would submit, byte for byte, without creating anything'
            cand scale 'Change the number of nodes (local: swarm; aws: the stack is updated in place)'
            cand completion 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clusterctl;up'= {
            cand --provider 'Where the nodes run'
            cand --nodes 'Nodes in all, managers included [default: 1]'
            cand --managers 'Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]'
            cand --orchestrator 'Orchestrator to bootstrap [default: swarm]'
            cand -f 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out'
            cand --file 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out'
            cand --local-subnet 'Subnet of local nodes [default: 10.231.0.0/24]'
            cand --aws-region 'AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]'
            cand --aws-zone 'Availability zone letter [default: a]'
            cand --aws-instance-type 'Instance type [default: t3.small]'
            cand --aws-ami 'AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]'
            cand --allowed-cidr 'Who may reach SSH and the engine port [default: 0.0.0.0/0]'
            cand --aws-ssh-user 'SSH user of the AMI [default: ubuntu, ec2-user for ecs]'
            cand --aws-endpoint 'API endpoint URL, for emulators and compatible clouds'
            cand --aws-profile 'Credentials profile [default: the SDK''s default chain]'
            cand --ssh-timeout 'Seconds to wait for each node''s SSH'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand --keep-on-error 'On failure keep what was made, recorded with the error, so `down` can finish the job'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'clusterctl;down'= {
            cand --provider 'ProviderKind to search by tag when local state is gone'
            cand --aws-region 'Region to search [default: $AWS_DEFAULT_REGION, else us-east-1]'
            cand --aws-endpoint 'API endpoint URL to search'
            cand --aws-profile 'Credentials profile'
            cand --cluster-id 'Without local state: which cluster of that name to remove, when the account holds several (down lists their ids)'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --wait 'Wait until the provider has deleted everything'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;ls'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;list'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;status'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;env'= {
            cand --shell 'Shell to print for (as machinectl env)'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;render'= {
            cand --provider 'Where the nodes run'
            cand --nodes 'Nodes in all, managers included [default: 1]'
            cand --managers 'Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]'
            cand --orchestrator 'Orchestrator to bootstrap [default: swarm]'
            cand -f 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out'
            cand --file 'Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out'
            cand --local-subnet 'Subnet of local nodes [default: 10.231.0.0/24]'
            cand --aws-region 'AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]'
            cand --aws-zone 'Availability zone letter [default: a]'
            cand --aws-instance-type 'Instance type [default: t3.small]'
            cand --aws-ami 'AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]'
            cand --allowed-cidr 'Who may reach SSH and the engine port [default: 0.0.0.0/0]'
            cand --aws-ssh-user 'SSH user of the AMI [default: ubuntu, ec2-user for ecs]'
            cand --aws-endpoint 'API endpoint URL, for emulators and compatible clouds'
            cand --aws-profile 'Credentials profile [default: the SDK''s default chain]'
            cand --out 'Directory to write the artifacts to (created; existing files are not overwritten)'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'clusterctl;scale'= {
            cand --nodes 'Nodes in all, managers included'
            cand --ssh-timeout 'Seconds to wait for each new node''s SSH'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand --keep-on-error 'Keep new nodes that failed (recorded with the error) instead of removing them'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;completion'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;man'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clusterctl;help'= {
            cand up 'Create a cluster: its nodes, in parallel, and the orchestrator on them'
            cand down 'Remove every resource a cluster made (found by tag when local state is gone)'
            cand ls 'List clusters'
            cand status 'Show a cluster''s nodes, roles, addresses and orchestrator health'
            cand env 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)'
            cand render 'Write every artifact `up` would submit, byte for byte, without creating anything'
            cand scale 'Change the number of nodes (local: swarm; aws: the stack is updated in place)'
            cand completion 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clusterctl;help;up'= {
        }
        &'clusterctl;help;down'= {
        }
        &'clusterctl;help;ls'= {
        }
        &'clusterctl;help;status'= {
        }
        &'clusterctl;help;env'= {
        }
        &'clusterctl;help;render'= {
        }
        &'clusterctl;help;scale'= {
        }
        &'clusterctl;help;completion'= {
        }
        &'clusterctl;help;man'= {
        }
        &'clusterctl;help;help'= {
        }
    ]
    $completions[$command]
}

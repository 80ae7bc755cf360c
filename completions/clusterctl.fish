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
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "ls" -d 'List clusters'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "list" -d 'List clusters'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "status" -d 'Show a cluster\'s nodes, roles, addresses and orchestrator health'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "env" -d 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "scale" -d 'Change the number of nodes (local: swarm; aws: the stack is updated in place)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "completion" -d 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "up" -d 'Create a cluster: its nodes, in parallel, and the orchestrator on them'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "render" -d 'Write every artifact `up` would submit, byte for byte, without creating anything'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "down" -d 'Remove every resource a cluster made (found by tag when local state is gone)'
complete -c clusterctl -n "__fish_clusterctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l provider -d 'Where the nodes run; digitalocean, gce, azure and virtualbox take that driver\'s flags (`up --provider P --help` lists them)' -r -f -a "local\t'Namespace hosts on this machine'
aws\t'A CloudFormation stack'
digitalocean\t'Droplets of the digitalocean driver (its --digitalocean-* flags)'
gce\t'Instances of the gce driver (its --gce-* flags)'
azure\t'VMs of the azure driver (its --azure-* flags)'
virtualbox\t'VMs of the virtualbox driver (its --virtualbox-* flags)'
generic\t'Existing SSH hosts (--hosts, --ssh-key)'"
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
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l hosts -d 'Existing SSH hosts that become the nodes, in order (generic): user@address[:port],…' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l ssh-key -d 'Private key the --hosts accept (generic)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l ssh-timeout -d 'Seconds to wait for each node\'s SSH' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-access-token -d 'API token with read and write scope (required)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-region -d 'Region slug' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-size -d 'Size slug' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-image -d 'Image slug or id' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-vpc-uuid -d 'VPC to place the droplet in [default: the region\'s default VPC]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-ssh-user -d 'SSH user' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-ssh-port -d 'SSH port' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-ssh-key-fingerprint -d 'Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-ssh-key-path -d 'Private key of --digitalocean-ssh-key-fingerprint' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-tags -d 'Extra droplet tags, comma-separated' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-userdata -d 'A cloud-init user-data file (at most 64 KiB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-api-url -d 'API base URL' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-credentials -l google-credentials -d 'Service-account key or authorized-user JSON file [default: gcloud\'s application-default login, then the metadata server]' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-project -l google-project -d 'Project id [default: the credentials\' project]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-zone -l google-zone -d 'Zone' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-machine-type -l google-machine-type -d 'Machine type' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-machine-image -l google-machine-image -d 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-disk-size -l google-disk-size -d 'Boot disk size in GB' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-disk-type -l google-disk-type -d 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-network -l google-network -d 'VPC network' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-subnetwork -l google-subnetwork -d 'Subnetwork of the network in the zone\'s region' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-tags -l google-tags -d 'Extra network tags, comma-separated (`machinectl` is always there)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-labels -l google-labels -d 'Extra labels, key=value comma-separated' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-username -l google-username -d 'SSH user the key is installed for' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-scopes -l google-scopes -d 'The instance\'s OAuth scopes, comma-separated (short names or URLs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-service-account -l google-service-account -d 'The instance\'s service account (e-mail, or default)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-userdata -l google-userdata -d 'A cloud-init user-data file (metadata user-data, at most 256 KiB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-allowed-cidr -l google-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-endpoint -l google-endpoint -d 'Compute API endpoint (rootUrl + servicePath)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-subscription-id -d 'Subscription id [default: the Azure CLI\'s current subscription]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-tenant-id -d 'Service principal\'s tenant (id or domain)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-client-id -d 'Service principal\'s application (client) id [default: sign in with the Azure CLI]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-client-secret -d 'Service principal\'s client secret' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-client-certificate-path -d 'Service principal\'s certificate: a PEM file with its RSA private key and certificate' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-environment -d 'Azure cloud' -r -f -a "AzurePublicCloud\t''
AzureUSGovernmentCloud\t''
AzureChinaCloud\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-endpoint -d 'Resource Manager endpoint [default: the environment\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-login-endpoint -d 'Microsoft Entra login endpoint [default: the environment\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-location -d 'Location (region)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-size -d 'VM size' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-image -d 'Image as publisher:offer:sku:version' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-resource-group -d 'Resource group (made when missing, and then removed with its last machine)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-vnet -d 'Virtual network, as [resource-group:]name (made when missing)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-subnet -d 'Subnet of the virtual network (made when missing)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-subnet-prefix -d 'Address range of a subnet (and network) machinectl makes' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-nsg -d 'Network security group to use (made when missing) [default: NAME-firewall, the machine\'s own]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-dns -d 'A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-private-ip-address -d 'A static private address in the subnet' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-ssh-user -d 'Admin user SSH logs in as (Azure refuses root)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-docker-port -d 'Engine port (docker-machine\'s name for --engine-port)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-disk-size -d 'OS disk size in GB [default: the image\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-storage-type -d 'OS disk storage type' -r -f -a "Standard_LRS\t''
StandardSSD_LRS\t''
Premium_LRS\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-availability-zone -d 'Availability zone (1, 2 or 3) [default: none]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-tags -d 'Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-custom-data -d 'A cloud-init custom-data file (at most 64 KB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, \'*\' or Internet)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-open-port -d 'Another TCP port to open (repeatable)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-cpu-count -d 'Number of CPUs' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-memory -d 'Memory in MB' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-disk-size -d 'Disk size in MB (the image\'s disk is grown to it)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-hostonly-cidr -d 'The host-only network: this computer\'s address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-share-folder -d 'Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-image-url -d 'The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-image-path -d 'A local cloud image to boot instead (no download, no checksum)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-ssh-user -d 'The user cloud-init makes for SSH (passwordless sudo; root logs in as root)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-ui-type -d 'How the VM\'s screen is shown' -r -f -a "headless\t''
gui\t''
sdl\t''
separate\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-nat-nictype -d 'NIC 1 (NAT) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-hostonly-nictype -d 'NIC 2 (host-only) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-hostonly-nicpromisc -d 'NIC 2\'s promiscuous mode' -r -f -a "deny\t''
allow-vms\t''
allow-all\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-boot2docker-url -d 'docker-machine\'s boot2docker ISO: refused, boot2docker is no longer maintained' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l keep-on-error -d 'On failure keep what was made, recorded with the error, so `down` can finish the job'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-ipv6 -d 'Give the droplet an IPv6 address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-private-networking -d 'Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-backups -d 'Enable backups'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-monitoring -d 'Install the monitoring agent'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l digitalocean-use-private-address -d 'Reach the droplet at its private (VPC) address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-use-internal-ip -l google-use-internal-ip -d 'Reach the instance at its internal address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-use-internal-ip-only -l google-use-internal-ip-only -d 'Give the instance no external address (implies --gce-use-internal-ip)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-preemptible -l google-preemptible -d 'A preemptible instance'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l gce-spot -l google-spot -d 'A Spot instance (stopped, not deleted, when reclaimed)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-static-public-ip -d 'Static public IP (Azure\'s Standard addresses always are)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-no-public-ip -d 'No public IP (needs --azure-use-private-ip)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-use-private-ip -d 'Reach the VM at its private address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l azure-deallocate-on-stop -d 'stop also deallocates the VM (no compute charges while stopped)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-no-vtx-check -d 'Do not check for VT-x/AMD-V before creating the VM'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-dns-proxy -d 'NAT proxies the guest\'s DNS queries through this computer'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-host-dns-resolver -d 'NAT answers the guest\'s DNS queries with this computer\'s resolver'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l virtualbox-no-share -d 'Share no folder (the default; cancels --virtualbox-share-folder)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l provider -d 'Where the nodes run; digitalocean, gce, azure and virtualbox take that driver\'s flags (`up --provider P --help` lists them)' -r -f -a "local\t'Namespace hosts on this machine'
aws\t'A CloudFormation stack'
digitalocean\t'Droplets of the digitalocean driver (its --digitalocean-* flags)'
gce\t'Instances of the gce driver (its --gce-* flags)'
azure\t'VMs of the azure driver (its --azure-* flags)'
virtualbox\t'VMs of the virtualbox driver (its --virtualbox-* flags)'
generic\t'Existing SSH hosts (--hosts, --ssh-key)'"
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
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l hosts -d 'Existing SSH hosts that become the nodes, in order (generic): user@address[:port],…' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l ssh-key -d 'Private key the --hosts accept (generic)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l out -d 'Directory to write the artifacts to (created; existing files are not overwritten)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-access-token -d 'API token with read and write scope (required)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-region -d 'Region slug' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-size -d 'Size slug' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-image -d 'Image slug or id' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-vpc-uuid -d 'VPC to place the droplet in [default: the region\'s default VPC]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-ssh-user -d 'SSH user' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-ssh-port -d 'SSH port' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-ssh-key-fingerprint -d 'Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-ssh-key-path -d 'Private key of --digitalocean-ssh-key-fingerprint' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-tags -d 'Extra droplet tags, comma-separated' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-userdata -d 'A cloud-init user-data file (at most 64 KiB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-api-url -d 'API base URL' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-credentials -l google-credentials -d 'Service-account key or authorized-user JSON file [default: gcloud\'s application-default login, then the metadata server]' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-project -l google-project -d 'Project id [default: the credentials\' project]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-zone -l google-zone -d 'Zone' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-machine-type -l google-machine-type -d 'Machine type' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-machine-image -l google-machine-image -d 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-disk-size -l google-disk-size -d 'Boot disk size in GB' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-disk-type -l google-disk-type -d 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-network -l google-network -d 'VPC network' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-subnetwork -l google-subnetwork -d 'Subnetwork of the network in the zone\'s region' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-tags -l google-tags -d 'Extra network tags, comma-separated (`machinectl` is always there)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-labels -l google-labels -d 'Extra labels, key=value comma-separated' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-username -l google-username -d 'SSH user the key is installed for' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-scopes -l google-scopes -d 'The instance\'s OAuth scopes, comma-separated (short names or URLs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-service-account -l google-service-account -d 'The instance\'s service account (e-mail, or default)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-userdata -l google-userdata -d 'A cloud-init user-data file (metadata user-data, at most 256 KiB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-allowed-cidr -l google-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-endpoint -l google-endpoint -d 'Compute API endpoint (rootUrl + servicePath)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-subscription-id -d 'Subscription id [default: the Azure CLI\'s current subscription]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-tenant-id -d 'Service principal\'s tenant (id or domain)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-client-id -d 'Service principal\'s application (client) id [default: sign in with the Azure CLI]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-client-secret -d 'Service principal\'s client secret' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-client-certificate-path -d 'Service principal\'s certificate: a PEM file with its RSA private key and certificate' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-environment -d 'Azure cloud' -r -f -a "AzurePublicCloud\t''
AzureUSGovernmentCloud\t''
AzureChinaCloud\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-endpoint -d 'Resource Manager endpoint [default: the environment\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-login-endpoint -d 'Microsoft Entra login endpoint [default: the environment\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-location -d 'Location (region)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-size -d 'VM size' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-image -d 'Image as publisher:offer:sku:version' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-resource-group -d 'Resource group (made when missing, and then removed with its last machine)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-vnet -d 'Virtual network, as [resource-group:]name (made when missing)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-subnet -d 'Subnet of the virtual network (made when missing)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-subnet-prefix -d 'Address range of a subnet (and network) machinectl makes' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-nsg -d 'Network security group to use (made when missing) [default: NAME-firewall, the machine\'s own]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-dns -d 'A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-private-ip-address -d 'A static private address in the subnet' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-ssh-user -d 'Admin user SSH logs in as (Azure refuses root)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-docker-port -d 'Engine port (docker-machine\'s name for --engine-port)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-disk-size -d 'OS disk size in GB [default: the image\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-storage-type -d 'OS disk storage type' -r -f -a "Standard_LRS\t''
StandardSSD_LRS\t''
Premium_LRS\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-availability-zone -d 'Availability zone (1, 2 or 3) [default: none]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-tags -d 'Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-custom-data -d 'A cloud-init custom-data file (at most 64 KB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, \'*\' or Internet)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-open-port -d 'Another TCP port to open (repeatable)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-cpu-count -d 'Number of CPUs' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-memory -d 'Memory in MB' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-disk-size -d 'Disk size in MB (the image\'s disk is grown to it)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-hostonly-cidr -d 'The host-only network: this computer\'s address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-share-folder -d 'Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-image-url -d 'The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-image-path -d 'A local cloud image to boot instead (no download, no checksum)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-ssh-user -d 'The user cloud-init makes for SSH (passwordless sudo; root logs in as root)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-ui-type -d 'How the VM\'s screen is shown' -r -f -a "headless\t''
gui\t''
sdl\t''
separate\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-nat-nictype -d 'NIC 1 (NAT) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-hostonly-nictype -d 'NIC 2 (host-only) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-hostonly-nicpromisc -d 'NIC 2\'s promiscuous mode' -r -f -a "deny\t''
allow-vms\t''
allow-all\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-boot2docker-url -d 'docker-machine\'s boot2docker ISO: refused, boot2docker is no longer maintained' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-ipv6 -d 'Give the droplet an IPv6 address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-private-networking -d 'Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-backups -d 'Enable backups'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-monitoring -d 'Install the monitoring agent'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l digitalocean-use-private-address -d 'Reach the droplet at its private (VPC) address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-use-internal-ip -l google-use-internal-ip -d 'Reach the instance at its internal address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-use-internal-ip-only -l google-use-internal-ip-only -d 'Give the instance no external address (implies --gce-use-internal-ip)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-preemptible -l google-preemptible -d 'A preemptible instance'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l gce-spot -l google-spot -d 'A Spot instance (stopped, not deleted, when reclaimed)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-static-public-ip -d 'Static public IP (Azure\'s Standard addresses always are)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-no-public-ip -d 'No public IP (needs --azure-use-private-ip)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-use-private-ip -d 'Reach the VM at its private address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l azure-deallocate-on-stop -d 'stop also deallocates the VM (no compute charges while stopped)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-no-vtx-check -d 'Do not check for VT-x/AMD-V before creating the VM'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-dns-proxy -d 'NAT proxies the guest\'s DNS queries through this computer'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-host-dns-resolver -d 'NAT answers the guest\'s DNS queries with this computer\'s resolver'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l virtualbox-no-share -d 'Share no folder (the default; cancels --virtualbox-share-folder)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l provider -d 'Provider to search by tag when local state is gone (aws, digitalocean, gce, azure, virtualbox; with its location flags)' -r -f -a "local\t'Namespace hosts on this machine'
aws\t'A CloudFormation stack'
digitalocean\t'Droplets of the digitalocean driver (its --digitalocean-* flags)'
gce\t'Instances of the gce driver (its --gce-* flags)'
azure\t'VMs of the azure driver (its --azure-* flags)'
virtualbox\t'VMs of the virtualbox driver (its --virtualbox-* flags)'
generic\t'Existing SSH hosts (--hosts, --ssh-key)'"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l aws-region -d 'Region to search [default: $AWS_DEFAULT_REGION, else us-east-1]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l aws-endpoint -d 'API endpoint URL to search' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l aws-profile -d 'Credentials profile' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l cluster-id -d 'Without local state: which cluster of that name to remove, when the account holds several (down lists their ids)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-access-token -d 'API token with read and write scope (required)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-region -d 'Region slug' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-size -d 'Size slug' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-image -d 'Image slug or id' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-vpc-uuid -d 'VPC to place the droplet in [default: the region\'s default VPC]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-ssh-user -d 'SSH user' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-ssh-port -d 'SSH port' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-ssh-key-fingerprint -d 'Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-ssh-key-path -d 'Private key of --digitalocean-ssh-key-fingerprint' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-tags -d 'Extra droplet tags, comma-separated' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-userdata -d 'A cloud-init user-data file (at most 64 KiB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-api-url -d 'API base URL' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-credentials -l google-credentials -d 'Service-account key or authorized-user JSON file [default: gcloud\'s application-default login, then the metadata server]' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-project -l google-project -d 'Project id [default: the credentials\' project]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-zone -l google-zone -d 'Zone' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-machine-type -l google-machine-type -d 'Machine type' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-machine-image -l google-machine-image -d 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-disk-size -l google-disk-size -d 'Boot disk size in GB' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-disk-type -l google-disk-type -d 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-network -l google-network -d 'VPC network' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-subnetwork -l google-subnetwork -d 'Subnetwork of the network in the zone\'s region' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-tags -l google-tags -d 'Extra network tags, comma-separated (`machinectl` is always there)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-labels -l google-labels -d 'Extra labels, key=value comma-separated' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-username -l google-username -d 'SSH user the key is installed for' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-scopes -l google-scopes -d 'The instance\'s OAuth scopes, comma-separated (short names or URLs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-service-account -l google-service-account -d 'The instance\'s service account (e-mail, or default)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-userdata -l google-userdata -d 'A cloud-init user-data file (metadata user-data, at most 256 KiB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-allowed-cidr -l google-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-endpoint -l google-endpoint -d 'Compute API endpoint (rootUrl + servicePath)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-subscription-id -d 'Subscription id [default: the Azure CLI\'s current subscription]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-tenant-id -d 'Service principal\'s tenant (id or domain)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-client-id -d 'Service principal\'s application (client) id [default: sign in with the Azure CLI]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-client-secret -d 'Service principal\'s client secret' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-client-certificate-path -d 'Service principal\'s certificate: a PEM file with its RSA private key and certificate' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-environment -d 'Azure cloud' -r -f -a "AzurePublicCloud\t''
AzureUSGovernmentCloud\t''
AzureChinaCloud\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-endpoint -d 'Resource Manager endpoint [default: the environment\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-login-endpoint -d 'Microsoft Entra login endpoint [default: the environment\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-location -d 'Location (region)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-size -d 'VM size' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-image -d 'Image as publisher:offer:sku:version' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-resource-group -d 'Resource group (made when missing, and then removed with its last machine)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-vnet -d 'Virtual network, as [resource-group:]name (made when missing)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-subnet -d 'Subnet of the virtual network (made when missing)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-subnet-prefix -d 'Address range of a subnet (and network) machinectl makes' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-nsg -d 'Network security group to use (made when missing) [default: NAME-firewall, the machine\'s own]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-dns -d 'A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-private-ip-address -d 'A static private address in the subnet' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-ssh-user -d 'Admin user SSH logs in as (Azure refuses root)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-docker-port -d 'Engine port (docker-machine\'s name for --engine-port)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-disk-size -d 'OS disk size in GB [default: the image\'s]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-storage-type -d 'OS disk storage type' -r -f -a "Standard_LRS\t''
StandardSSD_LRS\t''
Premium_LRS\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-availability-zone -d 'Availability zone (1, 2 or 3) [default: none]' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-tags -d 'Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-custom-data -d 'A cloud-init custom-data file (at most 64 KB)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-allowed-cidr -d 'Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, \'*\' or Internet)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-open-port -d 'Another TCP port to open (repeatable)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-cpu-count -d 'Number of CPUs' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-memory -d 'Memory in MB' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-disk-size -d 'Disk size in MB (the image\'s disk is grown to it)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-hostonly-cidr -d 'The host-only network: this computer\'s address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-share-folder -d 'Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-image-url -d 'The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-image-path -d 'A local cloud image to boot instead (no download, no checksum)' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-ssh-user -d 'The user cloud-init makes for SSH (passwordless sudo; root logs in as root)' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-ui-type -d 'How the VM\'s screen is shown' -r -f -a "headless\t''
gui\t''
sdl\t''
separate\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-nat-nictype -d 'NIC 1 (NAT) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-hostonly-nictype -d 'NIC 2 (host-only) hardware' -r -f -a "virtio\t''
82540EM\t''
82543GC\t''
82545EM\t''
Am79C970A\t''
Am79C973\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-hostonly-nicpromisc -d 'NIC 2\'s promiscuous mode' -r -f -a "deny\t''
allow-vms\t''
allow-all\t''"
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-boot2docker-url -d 'docker-machine\'s boot2docker ISO: refused, boot2docker is no longer maintained' -r
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s s -l storage-path -d 'Where machines, clusters and certificates are kept' -r -F
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l wait -d 'Wait until the provider has deleted everything'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-ipv6 -d 'Give the droplet an IPv6 address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-private-networking -d 'Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-backups -d 'Enable backups'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-monitoring -d 'Install the monitoring agent'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l digitalocean-use-private-address -d 'Reach the droplet at its private (VPC) address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-use-internal-ip -l google-use-internal-ip -d 'Reach the instance at its internal address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-use-internal-ip-only -l google-use-internal-ip-only -d 'Give the instance no external address (implies --gce-use-internal-ip)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-preemptible -l google-preemptible -d 'A preemptible instance'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l gce-spot -l google-spot -d 'A Spot instance (stopped, not deleted, when reclaimed)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-static-public-ip -d 'Static public IP (Azure\'s Standard addresses always are)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-no-public-ip -d 'No public IP (needs --azure-use-private-ip)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-use-private-ip -d 'Reach the VM at its private address'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l azure-deallocate-on-stop -d 'stop also deallocates the VM (no compute charges while stopped)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-no-vtx-check -d 'Do not check for VT-x/AMD-V before creating the VM'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-dns-proxy -d 'NAT proxies the guest\'s DNS queries through this computer'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-host-dns-resolver -d 'NAT answers the guest\'s DNS queries with this computer\'s resolver'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l virtualbox-no-share -d 'Share no folder (the default; cancels --virtualbox-share-folder)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s D -l debug -d 'Print what happens underneath, with the cause of every error (secrets are redacted)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -l quiet -d 'Print only results: no progress, no hints'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "ls" -d 'List clusters'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "status" -d 'Show a cluster\'s nodes, roles, addresses and orchestrator health'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "env" -d 'Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "scale" -d 'Change the number of nodes (local: swarm; aws: the stack is updated in place)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "completion" -d 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "man" -d 'Print the man page (roff)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "up" -d 'Create a cluster: its nodes, in parallel, and the orchestrator on them'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "render" -d 'Write every artifact `up` would submit, byte for byte, without creating anything'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "down" -d 'Remove every resource a cluster made (found by tag when local state is gone)'
complete -c clusterctl -n "__fish_clusterctl_using_subcommand help; and not __fish_seen_subcommand_from ls status env scale completion man up render down help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

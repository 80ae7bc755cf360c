
use builtin;
use str;

set edit:completion:arg-completer[machinectl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'machinectl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'machinectl'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand ls 'List machines with their state and engine version'
            cand list 'List machines with their state and engine version'
            cand env 'Print the commands that point the docker client at a machine'
            cand config 'Print the docker client flags for a machine: docker $(machinectl config NAME) ps'
            cand ip 'Print a machine''s IP address'
            cand url 'Print a machine''s engine URL'
            cand inspect 'Print a machine''s record as JSON, or fields of it with --format'
            cand status 'Print a machine''s state as its provider reports it'
            cand ssh 'Log into a machine over SSH, or run a command there'
            cand scp 'Copy files between this computer and machines: [[user@]machine:]path'
            cand start 'Start machines (and their engines)'
            cand stop 'Stop machines gracefully'
            cand restart 'Stop then start machines'
            cand kill 'Stop machines at once, without letting them shut down'
            cand rm 'Remove machines and everything their drivers made'
            cand regenerate-certs 'Make new server certificates (and with --client-certs a new CA and client certificate)'
            cand provision 'Run provisioning again on existing machines'
            cand upgrade 'Upgrade the engine on machines to the newest version their OS offers'
            cand active 'Print the name of the machine DOCKER_HOST points at'
            cand use 'Make (or update) a docker context for a machine and select it'
            cand import 'Adopt machines made by docker-machine, without reprovisioning them'
            cand version 'Print machinectl''s version, or a machine''s engine version'
            cand completion 'Print a shell completion script'
            cand man 'Print the manual page (roff)'
            cand create 'Create machines: make the host, install Docker, secure the engine with TLS'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'machinectl;ls'= {
            cand -t 'Seconds to wait for each host''s answer'
            cand --timeout 'Seconds to wait for each host''s answer'
            cand --filter 'Keep machines that match: driver=, state=, name= (regex), label=, cluster=. The same key given twice matches either value; different keys must all match'
            cand -f 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers'
            cand --format 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers'
            cand -o 'Print as text or JSON'
            cand --output 'Print as text or JSON'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -q 'Print names only, without probing the hosts (also with --quiet)'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;list'= {
            cand -t 'Seconds to wait for each host''s answer'
            cand --timeout 'Seconds to wait for each host''s answer'
            cand --filter 'Keep machines that match: driver=, state=, name= (regex), label=, cluster=. The same key given twice matches either value; different keys must all match'
            cand -f 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers'
            cand --format 'Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers'
            cand -o 'Print as text or JSON'
            cand --output 'Print as text or JSON'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -q 'Print names only, without probing the hosts (also with --quiet)'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;env'= {
            cand --shell 'Shell to print for: bash, zsh, fish, powershell, cmd, tcsh, emacs [default: from $SHELL]'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -u 'Print the commands that undo the environment instead (takes no machine name)'
            cand --unset 'Print the commands that undo the environment instead (takes no machine name)'
            cand --no-proxy 'Add the machine''s address to NO_PROXY'
            cand -f 'Print the environment even when the record says the machine is not running'
            cand --force 'Print the environment even when the record says the machine is not running'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;config'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -f 'Print the values even when the record says the machine is not running'
            cand --force 'Print the values even when the record says the machine is not running'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;ip'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;url'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -f 'Print the values even when the record says the machine is not running'
            cand --force 'Print the values even when the record says the machine is not running'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;inspect'= {
            cand -f 'Go template over the record, e.g. "{{.Driver.Host.Ip}}", "{{json .Engine}}" or "{{prettyjson .Driver}}"'
            cand --format 'Go template over the record, e.g. "{{.Driver.Host.Ip}}", "{{json .Engine}}" or "{{prettyjson .Driver}}"'
            cand -o 'Print as text or JSON (JSON is the default without --format)'
            cand --output 'Print as text or JSON (JSON is the default without --format)'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;status'= {
            cand -o 'Print as text or JSON'
            cand --output 'Print as text or JSON'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;ssh'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;scp'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -r 'Copy directories recursively'
            cand --recursive 'Copy directories recursively'
            cand -d 'Copy only what changed (rsync over the machine''s SSH)'
            cand --delta 'Copy only what changed (rsync over the machine''s SSH)'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;start'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;stop'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;restart'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;kill'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;rm'= {
            cand --parallel 'How many machines to remove at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -f 'Remove the local record even if the provider side cannot be cleaned up, reporting what was left'
            cand --force 'Remove the local record even if the provider side cannot be cleaned up, reporting what was left'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;regenerate-certs'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -f 'Do not ask for confirmation (required without a terminal)'
            cand --force 'Do not ask for confirmation (required without a terminal)'
            cand --client-certs 'Also make a new CA and client certificate (every other machine then needs new certificates too)'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;provision'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;upgrade'= {
            cand --parallel 'How many machines to work on at once'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;active'= {
            cand -t 'Seconds to wait for the machine''s answer'
            cand --timeout 'Seconds to wait for the machine''s answer'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;use'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -u 'Select the default context again'
            cand --unset 'Select the default context again'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;import'= {
            cand --from 'docker-machine''s store [default: $MACHINE_STORAGE_PATH or ~/.docker/machine]'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;version'= {
            cand -o 'Print as text or JSON'
            cand --output 'Print as text or JSON'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -f 'Ask the engine even when the record says the machine is not running'
            cand --force 'Ask the engine even when the record says the machine is not running'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;completion'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;man'= {
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;create'= {
            cand -d 'Driver that makes the host: local (namespaces on this machine), generic (any SSH host), virtualbox, digitalocean, aws (amazonec2), gce (google) or azure; `--driver NAME --help` shows that driver''s flags'
            cand --driver 'Driver that makes the host: local (namespaces on this machine), generic (any SSH host), virtualbox, digitalocean, aws (amazonec2), gce (google) or azure; `--driver NAME --help` shows that driver''s flags'
            cand --count 'Make N machines named PREFIX-1 … PREFIX-N instead of naming them'
            cand --prefix 'Name prefix for --count [default: the driver''s name, e.g. local-1, local-2]'
            cand --parallel 'How many machines to make at once'
            cand --engine-opt 'daemon.json setting for the engine, key=value (repeatable)'
            cand --engine-label 'Engine label, key=value (repeatable)'
            cand --engine-env 'Environment variable for the engine, KEY=VALUE (repeatable)'
            cand --engine-storage-driver 'Storage driver of the engine'
            cand --engine-registry-mirror 'Registry mirror (repeatable)'
            cand --engine-insecure-registry 'Registry reached without TLS (repeatable)'
            cand --engine-install-url 'Script that installs Docker when it is missing; `none` never installs [default: the OS family''s method: Docker''s install script, or its package manager]'
            cand --engine-port 'Port the engine serves TLS on'
            cand --tls-san 'Extra subject alternative name for the server certificate (repeatable)'
            cand --ssh-timeout 'Seconds to wait for SSH to answer'
            cand --local-subnet 'Subnet of local hosts; its first address is the bridge''s'
            cand --generic-ip-address 'Address of the SSH host (required)'
            cand --generic-ssh-user 'SSH user (root, or one with passwordless sudo)'
            cand --generic-ssh-key 'Private key the host accepts (required)'
            cand --generic-ssh-port 'SSH port'
            cand --generic-engine-port 'Engine port on the host [default: --engine-port]'
            cand --aws-region 'Region'
            cand --amazonec2-region 'Region'
            cand --aws-zone 'Availability zone letter within the region'
            cand --amazonec2-zone 'Availability zone letter within the region'
            cand --aws-profile 'Credentials profile from the shared AWS files [default: the SDK''s default chain]'
            cand --aws-ami 'AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical''s SSM parameter]'
            cand --amazonec2-ami 'AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical''s SSM parameter]'
            cand --aws-instance-type 'Instance type'
            cand --amazonec2-instance-type 'Instance type'
            cand --aws-root-size 'Root volume size in GiB (gp3)'
            cand --amazonec2-root-size 'Root volume size in GiB (gp3)'
            cand --aws-vpc-id 'VPC [default: the region''s default VPC]'
            cand --amazonec2-vpc-id 'VPC [default: the region''s default VPC]'
            cand --aws-subnet-id 'Subnet [default: the VPC''s subnet in the zone]'
            cand --amazonec2-subnet-id 'Subnet [default: the VPC''s subnet in the zone]'
            cand --aws-security-group 'Security group name [default: machinectl, made or reused, with SSH and the engine port open]'
            cand --amazonec2-security-group 'Security group name [default: machinectl, made or reused, with SSH and the engine port open]'
            cand --aws-allowed-cidr 'Who may reach SSH and the engine port'
            cand --aws-keypair-name 'Use this existing key pair (with --aws-ssh-key) instead of importing one per machine'
            cand --amazonec2-keypair-name 'Use this existing key pair (with --aws-ssh-key) instead of importing one per machine'
            cand --aws-ssh-key 'Private key of --aws-keypair-name'
            cand --amazonec2-ssh-keypath 'Private key of --aws-keypair-name'
            cand --aws-ssh-user 'SSH user of the AMI'
            cand --amazonec2-ssh-user 'SSH user of the AMI'
            cand --aws-tags 'Extra tags: key=value[,key=value…] (docker-machine''s key1,value1,key2,value2 also works)'
            cand --amazonec2-tags 'Extra tags: key=value[,key=value…] (docker-machine''s key1,value1,key2,value2 also works)'
            cand --aws-iam-instance-profile 'IAM instance profile name'
            cand --amazonec2-iam-instance-profile 'IAM instance profile name'
            cand --aws-spot-price 'Request a spot instance at this maximum price (USD per hour)'
            cand --amazonec2-spot-price 'Request a spot instance at this maximum price (USD per hour)'
            cand --aws-endpoint 'API endpoint URL, for emulators and compatible clouds'
            cand --amazonec2-endpoint 'API endpoint URL, for emulators and compatible clouds'
            cand --digitalocean-access-token 'API token with read and write scope (required)'
            cand --digitalocean-region 'Region slug'
            cand --digitalocean-size 'Size slug'
            cand --digitalocean-image 'Image slug or id'
            cand --digitalocean-vpc-uuid 'VPC to place the droplet in [default: the region''s default VPC]'
            cand --digitalocean-ssh-user 'SSH user'
            cand --digitalocean-ssh-port 'SSH port'
            cand --digitalocean-ssh-key-fingerprint 'Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it'
            cand --digitalocean-ssh-key-path 'Private key of --digitalocean-ssh-key-fingerprint'
            cand --digitalocean-tags 'Extra droplet tags, comma-separated'
            cand --digitalocean-userdata 'A cloud-init user-data file (at most 64 KiB)'
            cand --digitalocean-allowed-cidr 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)'
            cand --digitalocean-api-url 'API base URL'
            cand --virtualbox-cpu-count 'Number of CPUs'
            cand --virtualbox-memory 'Memory in MB'
            cand --virtualbox-disk-size 'Disk size in MB (the image''s disk is grown to it)'
            cand --virtualbox-hostonly-cidr 'The host-only network: this computer''s address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)'
            cand --virtualbox-share-folder 'Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)'
            cand --virtualbox-image-url 'The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)'
            cand --virtualbox-image-path 'A local cloud image to boot instead (no download, no checksum)'
            cand --virtualbox-ssh-user 'The user cloud-init makes for SSH (passwordless sudo; root logs in as root)'
            cand --virtualbox-ui-type 'How the VM''s screen is shown'
            cand --virtualbox-nat-nictype 'NIC 1 (NAT) hardware'
            cand --virtualbox-hostonly-nictype 'NIC 2 (host-only) hardware'
            cand --virtualbox-hostonly-nicpromisc 'NIC 2''s promiscuous mode'
            cand --virtualbox-boot2docker-url 'docker-machine''s boot2docker ISO: refused, boot2docker is no longer maintained'
            cand --gce-credentials 'Service-account key or authorized-user JSON file [default: gcloud''s application-default login, then the metadata server]'
            cand --google-credentials 'Service-account key or authorized-user JSON file [default: gcloud''s application-default login, then the metadata server]'
            cand --gce-project 'Project id [default: the credentials'' project]'
            cand --google-project 'Project id [default: the credentials'' project]'
            cand --gce-zone 'Zone'
            cand --google-zone 'Zone'
            cand --gce-machine-type 'Machine type'
            cand --google-machine-type 'Machine type'
            cand --gce-machine-image 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE'
            cand --google-machine-image 'Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE'
            cand --gce-disk-size 'Boot disk size in GB'
            cand --google-disk-size 'Boot disk size in GB'
            cand --gce-disk-type 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)'
            cand --google-disk-type 'Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)'
            cand --gce-network 'VPC network'
            cand --google-network 'VPC network'
            cand --gce-subnetwork 'Subnetwork of the network in the zone''s region'
            cand --google-subnetwork 'Subnetwork of the network in the zone''s region'
            cand --gce-tags 'Extra network tags, comma-separated (`machinectl` is always there)'
            cand --google-tags 'Extra network tags, comma-separated (`machinectl` is always there)'
            cand --gce-labels 'Extra labels, key=value comma-separated'
            cand --google-labels 'Extra labels, key=value comma-separated'
            cand --gce-username 'SSH user the key is installed for'
            cand --google-username 'SSH user the key is installed for'
            cand --gce-scopes 'The instance''s OAuth scopes, comma-separated (short names or URLs)'
            cand --google-scopes 'The instance''s OAuth scopes, comma-separated (short names or URLs)'
            cand --gce-service-account 'The instance''s service account (e-mail, or default)'
            cand --google-service-account 'The instance''s service account (e-mail, or default)'
            cand --gce-userdata 'A cloud-init user-data file (metadata user-data, at most 256 KiB)'
            cand --google-userdata 'A cloud-init user-data file (metadata user-data, at most 256 KiB)'
            cand --gce-allowed-cidr 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)'
            cand --google-allowed-cidr 'Who may reach SSH and the engine port (comma-separated addresses or CIDRs)'
            cand --gce-endpoint 'Compute API endpoint (rootUrl + servicePath)'
            cand --google-endpoint 'Compute API endpoint (rootUrl + servicePath)'
            cand --azure-subscription-id 'Subscription id [default: the Azure CLI''s current subscription]'
            cand --azure-tenant-id 'Service principal''s tenant (id or domain)'
            cand --azure-client-id 'Service principal''s application (client) id [default: sign in with the Azure CLI]'
            cand --azure-client-secret 'Service principal''s client secret'
            cand --azure-client-certificate-path 'Service principal''s certificate: a PEM file with its RSA private key and certificate'
            cand --azure-environment 'Azure cloud'
            cand --azure-endpoint 'Resource Manager endpoint [default: the environment''s]'
            cand --azure-login-endpoint 'Microsoft Entra login endpoint [default: the environment''s]'
            cand --azure-location 'Location (region)'
            cand --azure-size 'VM size'
            cand --azure-image 'Image as publisher:offer:sku:version'
            cand --azure-resource-group 'Resource group (made when missing, and then removed with its last machine)'
            cand --azure-vnet 'Virtual network, as [resource-group:]name (made when missing)'
            cand --azure-subnet 'Subnet of the virtual network (made when missing)'
            cand --azure-subnet-prefix 'Address range of a subnet (and network) machinectl makes'
            cand --azure-nsg 'Network security group to use (made when missing) [default: NAME-firewall, the machine''s own]'
            cand --azure-dns 'A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names'
            cand --azure-private-ip-address 'A static private address in the subnet'
            cand --azure-ssh-user 'Admin user SSH logs in as (Azure refuses root)'
            cand --azure-docker-port 'Engine port (docker-machine''s name for --engine-port)'
            cand --azure-disk-size 'OS disk size in GB [default: the image''s]'
            cand --azure-storage-type 'OS disk storage type'
            cand --azure-availability-zone 'Availability zone (1, 2 or 3) [default: none]'
            cand --azure-tags 'Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)'
            cand --azure-custom-data 'A cloud-init custom-data file (at most 64 KB)'
            cand --azure-allowed-cidr 'Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, ''*'' or Internet)'
            cand --azure-open-port 'Another TCP port to open (repeatable)'
            cand -s 'Where machines, clusters and certificates are kept'
            cand --storage-path 'Where machines, clusters and certificates are kept'
            cand --keep-on-error 'On failure keep what was made, recorded with the error, so `rm` can finish the job'
            cand --aws-use-private-address 'Reach the instance at its private address (no public address is requested)'
            cand --amazonec2-use-private-address 'Reach the instance at its private address (no public address is requested)'
            cand --digitalocean-ipv6 'Give the droplet an IPv6 address'
            cand --digitalocean-private-networking 'Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)'
            cand --digitalocean-backups 'Enable backups'
            cand --digitalocean-monitoring 'Install the monitoring agent'
            cand --digitalocean-use-private-address 'Reach the droplet at its private (VPC) address'
            cand --virtualbox-no-vtx-check 'Do not check for VT-x/AMD-V before creating the VM'
            cand --virtualbox-dns-proxy 'NAT proxies the guest''s DNS queries through this computer'
            cand --virtualbox-host-dns-resolver 'NAT answers the guest''s DNS queries with this computer''s resolver'
            cand --virtualbox-no-share 'Share no folder (the default; cancels --virtualbox-share-folder)'
            cand --gce-use-internal-ip 'Reach the instance at its internal address'
            cand --google-use-internal-ip 'Reach the instance at its internal address'
            cand --gce-use-internal-ip-only 'Give the instance no external address (implies --gce-use-internal-ip)'
            cand --google-use-internal-ip-only 'Give the instance no external address (implies --gce-use-internal-ip)'
            cand --gce-preemptible 'A preemptible instance'
            cand --google-preemptible 'A preemptible instance'
            cand --gce-spot 'A Spot instance (stopped, not deleted, when reclaimed)'
            cand --google-spot 'A Spot instance (stopped, not deleted, when reclaimed)'
            cand --azure-static-public-ip 'Static public IP (Azure''s Standard addresses always are)'
            cand --azure-no-public-ip 'No public IP (needs --azure-use-private-ip)'
            cand --azure-use-private-ip 'Reach the VM at its private address'
            cand --azure-deallocate-on-stop 'stop also deallocates the VM (no compute charges while stopped)'
            cand -D 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --debug 'Print what happens underneath, with the cause of every error (secrets are redacted)'
            cand --quiet 'Print only results: no progress, no hints'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'machinectl;help'= {
            cand ls 'List machines with their state and engine version'
            cand env 'Print the commands that point the docker client at a machine'
            cand config 'Print the docker client flags for a machine: docker $(machinectl config NAME) ps'
            cand ip 'Print a machine''s IP address'
            cand url 'Print a machine''s engine URL'
            cand inspect 'Print a machine''s record as JSON, or fields of it with --format'
            cand status 'Print a machine''s state as its provider reports it'
            cand ssh 'Log into a machine over SSH, or run a command there'
            cand scp 'Copy files between this computer and machines: [[user@]machine:]path'
            cand start 'Start machines (and their engines)'
            cand stop 'Stop machines gracefully'
            cand restart 'Stop then start machines'
            cand kill 'Stop machines at once, without letting them shut down'
            cand rm 'Remove machines and everything their drivers made'
            cand regenerate-certs 'Make new server certificates (and with --client-certs a new CA and client certificate)'
            cand provision 'Run provisioning again on existing machines'
            cand upgrade 'Upgrade the engine on machines to the newest version their OS offers'
            cand active 'Print the name of the machine DOCKER_HOST points at'
            cand use 'Make (or update) a docker context for a machine and select it'
            cand import 'Adopt machines made by docker-machine, without reprovisioning them'
            cand version 'Print machinectl''s version, or a machine''s engine version'
            cand completion 'Print a shell completion script'
            cand man 'Print the manual page (roff)'
            cand create 'Create machines: make the host, install Docker, secure the engine with TLS'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'machinectl;help;ls'= {
        }
        &'machinectl;help;env'= {
        }
        &'machinectl;help;config'= {
        }
        &'machinectl;help;ip'= {
        }
        &'machinectl;help;url'= {
        }
        &'machinectl;help;inspect'= {
        }
        &'machinectl;help;status'= {
        }
        &'machinectl;help;ssh'= {
        }
        &'machinectl;help;scp'= {
        }
        &'machinectl;help;start'= {
        }
        &'machinectl;help;stop'= {
        }
        &'machinectl;help;restart'= {
        }
        &'machinectl;help;kill'= {
        }
        &'machinectl;help;rm'= {
        }
        &'machinectl;help;regenerate-certs'= {
        }
        &'machinectl;help;provision'= {
        }
        &'machinectl;help;upgrade'= {
        }
        &'machinectl;help;active'= {
        }
        &'machinectl;help;use'= {
        }
        &'machinectl;help;import'= {
        }
        &'machinectl;help;version'= {
        }
        &'machinectl;help;completion'= {
        }
        &'machinectl;help;man'= {
        }
        &'machinectl;help;create'= {
        }
        &'machinectl;help;help'= {
        }
    ]
    $completions[$command]
}

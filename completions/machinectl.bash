_machinectl() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="machinectl"
                ;;
            machinectl,active)
                cmd="machinectl__subcmd__active"
                ;;
            machinectl,completion)
                cmd="machinectl__subcmd__completion"
                ;;
            machinectl,config)
                cmd="machinectl__subcmd__config"
                ;;
            machinectl,create)
                cmd="machinectl__subcmd__create"
                ;;
            machinectl,env)
                cmd="machinectl__subcmd__env"
                ;;
            machinectl,help)
                cmd="machinectl__subcmd__help"
                ;;
            machinectl,import)
                cmd="machinectl__subcmd__import"
                ;;
            machinectl,inspect)
                cmd="machinectl__subcmd__inspect"
                ;;
            machinectl,ip)
                cmd="machinectl__subcmd__ip"
                ;;
            machinectl,kill)
                cmd="machinectl__subcmd__kill"
                ;;
            machinectl,list)
                cmd="machinectl__subcmd__ls"
                ;;
            machinectl,ls)
                cmd="machinectl__subcmd__ls"
                ;;
            machinectl,man)
                cmd="machinectl__subcmd__man"
                ;;
            machinectl,provision)
                cmd="machinectl__subcmd__provision"
                ;;
            machinectl,regenerate-certs)
                cmd="machinectl__subcmd__regenerate__subcmd__certs"
                ;;
            machinectl,restart)
                cmd="machinectl__subcmd__restart"
                ;;
            machinectl,rm)
                cmd="machinectl__subcmd__rm"
                ;;
            machinectl,scp)
                cmd="machinectl__subcmd__scp"
                ;;
            machinectl,ssh)
                cmd="machinectl__subcmd__ssh"
                ;;
            machinectl,start)
                cmd="machinectl__subcmd__start"
                ;;
            machinectl,status)
                cmd="machinectl__subcmd__status"
                ;;
            machinectl,stop)
                cmd="machinectl__subcmd__stop"
                ;;
            machinectl,upgrade)
                cmd="machinectl__subcmd__upgrade"
                ;;
            machinectl,url)
                cmd="machinectl__subcmd__url"
                ;;
            machinectl,use)
                cmd="machinectl__subcmd__use"
                ;;
            machinectl,version)
                cmd="machinectl__subcmd__version"
                ;;
            machinectl__subcmd__help,active)
                cmd="machinectl__subcmd__help__subcmd__active"
                ;;
            machinectl__subcmd__help,completion)
                cmd="machinectl__subcmd__help__subcmd__completion"
                ;;
            machinectl__subcmd__help,config)
                cmd="machinectl__subcmd__help__subcmd__config"
                ;;
            machinectl__subcmd__help,create)
                cmd="machinectl__subcmd__help__subcmd__create"
                ;;
            machinectl__subcmd__help,env)
                cmd="machinectl__subcmd__help__subcmd__env"
                ;;
            machinectl__subcmd__help,help)
                cmd="machinectl__subcmd__help__subcmd__help"
                ;;
            machinectl__subcmd__help,import)
                cmd="machinectl__subcmd__help__subcmd__import"
                ;;
            machinectl__subcmd__help,inspect)
                cmd="machinectl__subcmd__help__subcmd__inspect"
                ;;
            machinectl__subcmd__help,ip)
                cmd="machinectl__subcmd__help__subcmd__ip"
                ;;
            machinectl__subcmd__help,kill)
                cmd="machinectl__subcmd__help__subcmd__kill"
                ;;
            machinectl__subcmd__help,ls)
                cmd="machinectl__subcmd__help__subcmd__ls"
                ;;
            machinectl__subcmd__help,man)
                cmd="machinectl__subcmd__help__subcmd__man"
                ;;
            machinectl__subcmd__help,provision)
                cmd="machinectl__subcmd__help__subcmd__provision"
                ;;
            machinectl__subcmd__help,regenerate-certs)
                cmd="machinectl__subcmd__help__subcmd__regenerate__subcmd__certs"
                ;;
            machinectl__subcmd__help,restart)
                cmd="machinectl__subcmd__help__subcmd__restart"
                ;;
            machinectl__subcmd__help,rm)
                cmd="machinectl__subcmd__help__subcmd__rm"
                ;;
            machinectl__subcmd__help,scp)
                cmd="machinectl__subcmd__help__subcmd__scp"
                ;;
            machinectl__subcmd__help,ssh)
                cmd="machinectl__subcmd__help__subcmd__ssh"
                ;;
            machinectl__subcmd__help,start)
                cmd="machinectl__subcmd__help__subcmd__start"
                ;;
            machinectl__subcmd__help,status)
                cmd="machinectl__subcmd__help__subcmd__status"
                ;;
            machinectl__subcmd__help,stop)
                cmd="machinectl__subcmd__help__subcmd__stop"
                ;;
            machinectl__subcmd__help,upgrade)
                cmd="machinectl__subcmd__help__subcmd__upgrade"
                ;;
            machinectl__subcmd__help,url)
                cmd="machinectl__subcmd__help__subcmd__url"
                ;;
            machinectl__subcmd__help,use)
                cmd="machinectl__subcmd__help__subcmd__use"
                ;;
            machinectl__subcmd__help,version)
                cmd="machinectl__subcmd__help__subcmd__version"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        machinectl)
            opts="-s -D -h -V --storage-path --debug --quiet --help --version ls list env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__active)
            opts="-t -s -D -h --timeout --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -t)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__completion)
            opts="-s -D -h --storage-path --debug --quiet --help bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__config)
            opts="-f -s -D -h --force --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__create)
            opts="-d -s -D -h --driver --count --prefix --parallel --engine-opt --engine-label --engine-env --engine-storage-driver --engine-registry-mirror --engine-insecure-registry --engine-install-url --engine-port --tls-san --ssh-timeout --keep-on-error --local-subnet --generic-ip-address --generic-ssh-user --generic-ssh-key --generic-ssh-port --generic-engine-port --amazonec2-region --aws-region --amazonec2-zone --aws-zone --aws-profile --amazonec2-ami --aws-ami --amazonec2-instance-type --aws-instance-type --amazonec2-root-size --aws-root-size --amazonec2-vpc-id --aws-vpc-id --amazonec2-subnet-id --aws-subnet-id --amazonec2-security-group --aws-security-group --aws-allowed-cidr --amazonec2-keypair-name --aws-keypair-name --amazonec2-ssh-keypath --aws-ssh-key --amazonec2-ssh-user --aws-ssh-user --amazonec2-use-private-address --aws-use-private-address --amazonec2-tags --aws-tags --amazonec2-iam-instance-profile --aws-iam-instance-profile --amazonec2-spot-price --aws-spot-price --amazonec2-endpoint --aws-endpoint --digitalocean-access-token --digitalocean-region --digitalocean-size --digitalocean-image --digitalocean-ipv6 --digitalocean-private-networking --digitalocean-vpc-uuid --digitalocean-backups --digitalocean-monitoring --digitalocean-ssh-user --digitalocean-ssh-port --digitalocean-ssh-key-fingerprint --digitalocean-ssh-key-path --digitalocean-tags --digitalocean-userdata --digitalocean-allowed-cidr --digitalocean-use-private-address --digitalocean-api-url --virtualbox-cpu-count --virtualbox-memory --virtualbox-disk-size --virtualbox-hostonly-cidr --virtualbox-no-vtx-check --virtualbox-share-folder --virtualbox-image-url --virtualbox-image-path --virtualbox-ssh-user --virtualbox-ui-type --virtualbox-nat-nictype --virtualbox-hostonly-nictype --virtualbox-hostonly-nicpromisc --virtualbox-dns-proxy --virtualbox-host-dns-resolver --virtualbox-no-share --virtualbox-boot2docker-url --google-credentials --gce-credentials --google-project --gce-project --google-zone --gce-zone --google-machine-type --gce-machine-type --google-machine-image --gce-machine-image --google-disk-size --gce-disk-size --google-disk-type --gce-disk-type --google-network --gce-network --google-subnetwork --gce-subnetwork --google-tags --gce-tags --google-labels --gce-labels --google-use-internal-ip --gce-use-internal-ip --google-use-internal-ip-only --gce-use-internal-ip-only --google-preemptible --gce-preemptible --google-spot --gce-spot --google-username --gce-username --google-scopes --gce-scopes --google-service-account --gce-service-account --google-userdata --gce-userdata --google-allowed-cidr --gce-allowed-cidr --google-endpoint --gce-endpoint --azure-subscription-id --azure-tenant-id --azure-client-id --azure-client-secret --azure-client-certificate-path --azure-environment --azure-endpoint --azure-login-endpoint --azure-location --azure-size --azure-image --azure-resource-group --azure-vnet --azure-subnet --azure-subnet-prefix --azure-nsg --azure-static-public-ip --azure-dns --azure-no-public-ip --azure-use-private-ip --azure-private-ip-address --azure-ssh-user --azure-docker-port --azure-disk-size --azure-storage-type --azure-availability-zone --azure-tags --azure-custom-data --azure-allowed-cidr --azure-open-port --azure-deallocate-on-stop --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --driver)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -d)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --count)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-opt)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-label)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-env)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-storage-driver)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-registry-mirror)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-insecure-registry)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-install-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-san)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ssh-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-subnet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generic-ip-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generic-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generic-ssh-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generic-ssh-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generic-engine-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ami)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-ami)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-instance-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-instance-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-root-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-root-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-vpc-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-vpc-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-subnet-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-subnet-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-security-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-security-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-keypair-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-keypair-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ssh-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-ssh-keypath)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-iam-instance-profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-iam-instance-profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-spot-price)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-spot-price)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --amazonec2-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-access-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-image)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-vpc-uuid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-ssh-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-ssh-key-fingerprint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-ssh-key-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-userdata)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --digitalocean-api-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-cpu-count)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-memory)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-disk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-hostonly-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-share-folder)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-image-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-image-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --virtualbox-ui-type)
                    COMPREPLY=($(compgen -W "headless gui sdl separate" -- "${cur}"))
                    return 0
                    ;;
                --virtualbox-nat-nictype)
                    COMPREPLY=($(compgen -W "virtio 82540EM 82543GC 82545EM Am79C970A Am79C973" -- "${cur}"))
                    return 0
                    ;;
                --virtualbox-hostonly-nictype)
                    COMPREPLY=($(compgen -W "virtio 82540EM 82543GC 82545EM Am79C970A Am79C973" -- "${cur}"))
                    return 0
                    ;;
                --virtualbox-hostonly-nicpromisc)
                    COMPREPLY=($(compgen -W "deny allow-vms allow-all" -- "${cur}"))
                    return 0
                    ;;
                --virtualbox-boot2docker-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-credentials)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-credentials)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-project)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-project)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-machine-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-machine-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-machine-image)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-machine-image)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-disk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-disk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-disk-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-disk-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-network)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-network)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-subnetwork)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-subnetwork)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-labels)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-labels)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-scopes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-scopes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-service-account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-service-account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-userdata)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-userdata)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gce-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --google-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-subscription-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-tenant-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-client-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-client-certificate-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-environment)
                    COMPREPLY=($(compgen -W "AzurePublicCloud AzureUSGovernmentCloud AzureChinaCloud" -- "${cur}"))
                    return 0
                    ;;
                --azure-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-login-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-location)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-image)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-resource-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-vnet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-subnet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-subnet-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-nsg)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-dns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-private-ip-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-docker-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-disk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-storage-type)
                    COMPREPLY=($(compgen -W "Standard_LRS StandardSSD_LRS Premium_LRS" -- "${cur}"))
                    return 0
                    ;;
                --azure-availability-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-custom-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --azure-open-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__env)
            opts="-u -f -s -D -h --shell --unset --no-proxy --force --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --shell)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help)
            opts="ls env config ip url inspect status ssh scp start stop restart kill rm regenerate-certs provision upgrade active use import version completion man create help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__active)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__completion)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__config)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__create)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__env)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__import)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__ip)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__kill)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__ls)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__man)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__provision)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__regenerate__subcmd__certs)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__restart)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__rm)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__scp)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__ssh)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__start)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__stop)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__upgrade)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__url)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__use)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__help__subcmd__version)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__import)
            opts="-s -D -h --from --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --from)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__inspect)
            opts="-f -o -s -D -h --format --output --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__ip)
            opts="-s -D -h --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__kill)
            opts="-s -D -h --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__ls)
            opts="-q -t -f -o -s -D -h --timeout --filter --format --output --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -t)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__man)
            opts="-s -D -h --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__provision)
            opts="-s -D -h --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__regenerate__subcmd__certs)
            opts="-f -s -D -h --force --client-certs --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__restart)
            opts="-s -D -h --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__rm)
            opts="-y -f -s -D -h --yes --force --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__scp)
            opts="-r -d -s -D -h --recursive --delta --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__ssh)
            opts="-s -D -h --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__start)
            opts="-s -D -h --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__status)
            opts="-o -s -D -h --output --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__stop)
            opts="-s -D -h --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__upgrade)
            opts="-s -D -h --parallel --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parallel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__url)
            opts="-f -s -D -h --force --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__use)
            opts="-u -s -D -h --unset --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        machinectl__subcmd__version)
            opts="-o -f -s -D -h --output --force --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --storage-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _machinectl -o nosort -o bashdefault -o default machinectl
else
    complete -F _machinectl -o bashdefault -o default machinectl
fi

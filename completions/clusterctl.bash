_clusterctl() {
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
                cmd="clusterctl"
                ;;
            clusterctl,completion)
                cmd="clusterctl__subcmd__completion"
                ;;
            clusterctl,down)
                cmd="clusterctl__subcmd__down"
                ;;
            clusterctl,env)
                cmd="clusterctl__subcmd__env"
                ;;
            clusterctl,help)
                cmd="clusterctl__subcmd__help"
                ;;
            clusterctl,list)
                cmd="clusterctl__subcmd__ls"
                ;;
            clusterctl,ls)
                cmd="clusterctl__subcmd__ls"
                ;;
            clusterctl,man)
                cmd="clusterctl__subcmd__man"
                ;;
            clusterctl,render)
                cmd="clusterctl__subcmd__render"
                ;;
            clusterctl,scale)
                cmd="clusterctl__subcmd__scale"
                ;;
            clusterctl,status)
                cmd="clusterctl__subcmd__status"
                ;;
            clusterctl,up)
                cmd="clusterctl__subcmd__up"
                ;;
            clusterctl__subcmd__help,completion)
                cmd="clusterctl__subcmd__help__subcmd__completion"
                ;;
            clusterctl__subcmd__help,down)
                cmd="clusterctl__subcmd__help__subcmd__down"
                ;;
            clusterctl__subcmd__help,env)
                cmd="clusterctl__subcmd__help__subcmd__env"
                ;;
            clusterctl__subcmd__help,help)
                cmd="clusterctl__subcmd__help__subcmd__help"
                ;;
            clusterctl__subcmd__help,ls)
                cmd="clusterctl__subcmd__help__subcmd__ls"
                ;;
            clusterctl__subcmd__help,man)
                cmd="clusterctl__subcmd__help__subcmd__man"
                ;;
            clusterctl__subcmd__help,render)
                cmd="clusterctl__subcmd__help__subcmd__render"
                ;;
            clusterctl__subcmd__help,scale)
                cmd="clusterctl__subcmd__help__subcmd__scale"
                ;;
            clusterctl__subcmd__help,status)
                cmd="clusterctl__subcmd__help__subcmd__status"
                ;;
            clusterctl__subcmd__help,up)
                cmd="clusterctl__subcmd__help__subcmd__up"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        clusterctl)
            opts="-s -D -h -V --storage-path --debug --quiet --help --version ls list status env scale completion man up render down help"
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
        clusterctl__subcmd__completion)
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
        clusterctl__subcmd__down)
            opts="-y -s -D -h --yes --wait --provider --aws-region --aws-endpoint --aws-profile --cluster-id --digitalocean-access-token --digitalocean-region --digitalocean-size --digitalocean-image --digitalocean-ipv6 --digitalocean-private-networking --digitalocean-vpc-uuid --digitalocean-backups --digitalocean-monitoring --digitalocean-ssh-user --digitalocean-ssh-port --digitalocean-ssh-key-fingerprint --digitalocean-ssh-key-path --digitalocean-tags --digitalocean-userdata --digitalocean-allowed-cidr --digitalocean-use-private-address --digitalocean-api-url --google-credentials --gce-credentials --google-project --gce-project --google-zone --gce-zone --google-machine-type --gce-machine-type --google-machine-image --gce-machine-image --google-disk-size --gce-disk-size --google-disk-type --gce-disk-type --google-network --gce-network --google-subnetwork --gce-subnetwork --google-tags --gce-tags --google-labels --gce-labels --google-use-internal-ip --gce-use-internal-ip --google-use-internal-ip-only --gce-use-internal-ip-only --google-preemptible --gce-preemptible --google-spot --gce-spot --google-username --gce-username --google-scopes --gce-scopes --google-service-account --gce-service-account --google-userdata --gce-userdata --google-allowed-cidr --gce-allowed-cidr --google-endpoint --gce-endpoint --azure-subscription-id --azure-tenant-id --azure-client-id --azure-client-secret --azure-client-certificate-path --azure-environment --azure-endpoint --azure-login-endpoint --azure-location --azure-size --azure-image --azure-resource-group --azure-vnet --azure-subnet --azure-subnet-prefix --azure-nsg --azure-static-public-ip --azure-dns --azure-no-public-ip --azure-use-private-ip --azure-private-ip-address --azure-ssh-user --azure-docker-port --azure-disk-size --azure-storage-type --azure-availability-zone --azure-tags --azure-custom-data --azure-allowed-cidr --azure-open-port --azure-deallocate-on-stop --virtualbox-cpu-count --virtualbox-memory --virtualbox-disk-size --virtualbox-hostonly-cidr --virtualbox-no-vtx-check --virtualbox-share-folder --virtualbox-image-url --virtualbox-image-path --virtualbox-ssh-user --virtualbox-ui-type --virtualbox-nat-nictype --virtualbox-hostonly-nictype --virtualbox-hostonly-nicpromisc --virtualbox-dns-proxy --virtualbox-host-dns-resolver --virtualbox-no-share --virtualbox-boot2docker-url --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --provider)
                    COMPREPLY=($(compgen -W "local aws digitalocean gce azure virtualbox generic" -- "${cur}"))
                    return 0
                    ;;
                --aws-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cluster-id)
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
        clusterctl__subcmd__env)
            opts="-s -D -h --shell --storage-path --debug --quiet --help"
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
        clusterctl__subcmd__help)
            opts="ls status env scale completion man up render down help"
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
        clusterctl__subcmd__help__subcmd__completion)
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
        clusterctl__subcmd__help__subcmd__down)
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
        clusterctl__subcmd__help__subcmd__env)
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
        clusterctl__subcmd__help__subcmd__help)
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
        clusterctl__subcmd__help__subcmd__ls)
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
        clusterctl__subcmd__help__subcmd__man)
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
        clusterctl__subcmd__help__subcmd__render)
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
        clusterctl__subcmd__help__subcmd__scale)
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
        clusterctl__subcmd__help__subcmd__status)
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
        clusterctl__subcmd__help__subcmd__up)
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
        clusterctl__subcmd__ls)
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
        clusterctl__subcmd__man)
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
        clusterctl__subcmd__render)
            opts="-f -s -D -h --provider --nodes --managers --orchestrator --file --local-subnet --aws-region --aws-zone --aws-instance-type --aws-ami --allowed-cidr --aws-ssh-user --aws-endpoint --aws-profile --hosts --ssh-key --out --digitalocean-access-token --digitalocean-region --digitalocean-size --digitalocean-image --digitalocean-ipv6 --digitalocean-private-networking --digitalocean-vpc-uuid --digitalocean-backups --digitalocean-monitoring --digitalocean-ssh-user --digitalocean-ssh-port --digitalocean-ssh-key-fingerprint --digitalocean-ssh-key-path --digitalocean-tags --digitalocean-userdata --digitalocean-allowed-cidr --digitalocean-use-private-address --digitalocean-api-url --google-credentials --gce-credentials --google-project --gce-project --google-zone --gce-zone --google-machine-type --gce-machine-type --google-machine-image --gce-machine-image --google-disk-size --gce-disk-size --google-disk-type --gce-disk-type --google-network --gce-network --google-subnetwork --gce-subnetwork --google-tags --gce-tags --google-labels --gce-labels --google-use-internal-ip --gce-use-internal-ip --google-use-internal-ip-only --gce-use-internal-ip-only --google-preemptible --gce-preemptible --google-spot --gce-spot --google-username --gce-username --google-scopes --gce-scopes --google-service-account --gce-service-account --google-userdata --gce-userdata --google-allowed-cidr --gce-allowed-cidr --google-endpoint --gce-endpoint --azure-subscription-id --azure-tenant-id --azure-client-id --azure-client-secret --azure-client-certificate-path --azure-environment --azure-endpoint --azure-login-endpoint --azure-location --azure-size --azure-image --azure-resource-group --azure-vnet --azure-subnet --azure-subnet-prefix --azure-nsg --azure-static-public-ip --azure-dns --azure-no-public-ip --azure-use-private-ip --azure-private-ip-address --azure-ssh-user --azure-docker-port --azure-disk-size --azure-storage-type --azure-availability-zone --azure-tags --azure-custom-data --azure-allowed-cidr --azure-open-port --azure-deallocate-on-stop --virtualbox-cpu-count --virtualbox-memory --virtualbox-disk-size --virtualbox-hostonly-cidr --virtualbox-no-vtx-check --virtualbox-share-folder --virtualbox-image-url --virtualbox-image-path --virtualbox-ssh-user --virtualbox-ui-type --virtualbox-nat-nictype --virtualbox-hostonly-nictype --virtualbox-hostonly-nicpromisc --virtualbox-dns-proxy --virtualbox-host-dns-resolver --virtualbox-no-share --virtualbox-boot2docker-url --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --provider)
                    COMPREPLY=($(compgen -W "local aws digitalocean gce azure virtualbox generic" -- "${cur}"))
                    return 0
                    ;;
                --nodes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --managers)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --orchestrator)
                    COMPREPLY=($(compgen -W "swarm kubernetes ecs consul mesos" -- "${cur}"))
                    return 0
                    ;;
                --file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-subnet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-instance-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ami)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hosts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ssh-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --out)
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
        clusterctl__subcmd__scale)
            opts="-s -D -h --nodes --ssh-timeout --keep-on-error --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --nodes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ssh-timeout)
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
        clusterctl__subcmd__status)
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
        clusterctl__subcmd__up)
            opts="-f -s -D -h --provider --nodes --managers --orchestrator --file --local-subnet --aws-region --aws-zone --aws-instance-type --aws-ami --allowed-cidr --aws-ssh-user --aws-endpoint --aws-profile --hosts --ssh-key --ssh-timeout --keep-on-error --digitalocean-access-token --digitalocean-region --digitalocean-size --digitalocean-image --digitalocean-ipv6 --digitalocean-private-networking --digitalocean-vpc-uuid --digitalocean-backups --digitalocean-monitoring --digitalocean-ssh-user --digitalocean-ssh-port --digitalocean-ssh-key-fingerprint --digitalocean-ssh-key-path --digitalocean-tags --digitalocean-userdata --digitalocean-allowed-cidr --digitalocean-use-private-address --digitalocean-api-url --google-credentials --gce-credentials --google-project --gce-project --google-zone --gce-zone --google-machine-type --gce-machine-type --google-machine-image --gce-machine-image --google-disk-size --gce-disk-size --google-disk-type --gce-disk-type --google-network --gce-network --google-subnetwork --gce-subnetwork --google-tags --gce-tags --google-labels --gce-labels --google-use-internal-ip --gce-use-internal-ip --google-use-internal-ip-only --gce-use-internal-ip-only --google-preemptible --gce-preemptible --google-spot --gce-spot --google-username --gce-username --google-scopes --gce-scopes --google-service-account --gce-service-account --google-userdata --gce-userdata --google-allowed-cidr --gce-allowed-cidr --google-endpoint --gce-endpoint --azure-subscription-id --azure-tenant-id --azure-client-id --azure-client-secret --azure-client-certificate-path --azure-environment --azure-endpoint --azure-login-endpoint --azure-location --azure-size --azure-image --azure-resource-group --azure-vnet --azure-subnet --azure-subnet-prefix --azure-nsg --azure-static-public-ip --azure-dns --azure-no-public-ip --azure-use-private-ip --azure-private-ip-address --azure-ssh-user --azure-docker-port --azure-disk-size --azure-storage-type --azure-availability-zone --azure-tags --azure-custom-data --azure-allowed-cidr --azure-open-port --azure-deallocate-on-stop --virtualbox-cpu-count --virtualbox-memory --virtualbox-disk-size --virtualbox-hostonly-cidr --virtualbox-no-vtx-check --virtualbox-share-folder --virtualbox-image-url --virtualbox-image-path --virtualbox-ssh-user --virtualbox-ui-type --virtualbox-nat-nictype --virtualbox-hostonly-nictype --virtualbox-hostonly-nicpromisc --virtualbox-dns-proxy --virtualbox-host-dns-resolver --virtualbox-no-share --virtualbox-boot2docker-url --storage-path --debug --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --provider)
                    COMPREPLY=($(compgen -W "local aws digitalocean gce azure virtualbox generic" -- "${cur}"))
                    return 0
                    ;;
                --nodes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --managers)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --orchestrator)
                    COMPREPLY=($(compgen -W "swarm kubernetes ecs consul mesos" -- "${cur}"))
                    return 0
                    ;;
                --file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-subnet)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-instance-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ami)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --allowed-cidr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-ssh-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aws-profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hosts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ssh-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ssh-timeout)
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
    complete -F _clusterctl -o nosort -o bashdefault -o default clusterctl
else
    complete -F _clusterctl -o bashdefault -o default clusterctl
fi

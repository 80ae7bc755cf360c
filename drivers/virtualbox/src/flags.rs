//! `machinectl create --driver virtualbox` flags: docker-machine's names
//! and `VIRTUALBOX_*` variables, plus the cloud image and SSH user flags
//! that replace its boot2docker ISO (its `--virtualbox-boot2docker-url`
//! is refused with that advice).

use std::path::PathBuf;

use clap::Args;
use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::{DriverError, DriverFlags, Result, absolute};

use crate::checked::{HostonlyCidr, ImageUrl, VboxName};
use crate::{
    DEFAULT_IMAGE_URL, Hardware, NicType, Options, Promisc, Resources, ShareFolder, UiType,
    VirtualBoxDriver,
};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "virtualbox driver")]
pub struct VirtualBoxFlags {
    /// Number of CPUs
    #[arg(long, env = "VIRTUALBOX_CPU_COUNT", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub virtualbox_cpu_count: u32,
    /// Memory in MB
    #[arg(long, env = "VIRTUALBOX_MEMORY_SIZE", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(512..=1048576))]
    pub virtualbox_memory: u32,
    /// Disk size in MB (the image's disk is grown to it)
    #[arg(long, env = "VIRTUALBOX_DISK_SIZE", default_value_t = 20000, value_parser = clap::value_parser!(u32).range(4096..))]
    pub virtualbox_disk_size: u32,
    /// The host-only network: this computer's address and prefix on it (VirtualBox 6.1.28+ allows only 192.168.56.0/21 unless /etc/vbox/networks.conf says more)
    #[arg(
        long,
        env = "VIRTUALBOX_HOSTONLY_CIDR",
        default_value = "192.168.56.1/24"
    )]
    pub virtualbox_hostonly_cidr: HostonlyCidr,
    /// Do not check for VT-x/AMD-V before creating the VM
    #[arg(long, env = "VIRTUALBOX_NO_VTX_CHECK")]
    pub virtualbox_no_vtx_check: bool,
    /// Share a folder of this computer with the VM: HOSTPATH[:NAME] (mounting it in the guest needs the guest additions)
    #[arg(long, env = "VIRTUALBOX_SHARE_FOLDER", value_name = "HOSTPATH[:NAME]")]
    pub virtualbox_share_folder: Option<String>,
    /// The cloud image to download (a VMDK, raw or qcow2 image published beside a SHA256SUMS)
    #[arg(
        long,
        env = "VIRTUALBOX_IMAGE_URL",
        default_value = DEFAULT_IMAGE_URL,
        value_name = "URL"
    )]
    pub virtualbox_image_url: ImageUrl,
    /// A local cloud image to boot instead (no download, no checksum)
    #[arg(long, env = "VIRTUALBOX_IMAGE_PATH", value_name = "FILE")]
    pub virtualbox_image_path: Option<PathBuf>,
    /// The user cloud-init makes for SSH (passwordless sudo; root logs in as root)
    #[arg(long, env = "VIRTUALBOX_SSH_USER", default_value = "docker")]
    pub virtualbox_ssh_user: SshUser,
    /// How the VM's screen is shown
    #[arg(long, env = "VIRTUALBOX_UI_TYPE", value_enum, default_value_t = UiType::Headless)]
    pub virtualbox_ui_type: UiType,
    /// NIC 1 (NAT) hardware
    #[arg(long, env = "VIRTUALBOX_NAT_NICTYPE", value_enum, default_value_t = NicType::Virtio)]
    pub virtualbox_nat_nictype: NicType,
    /// NIC 2 (host-only) hardware
    #[arg(long, env = "VIRTUALBOX_HOSTONLY_NIC_TYPE", value_enum, default_value_t = NicType::Virtio)]
    pub virtualbox_hostonly_nictype: NicType,
    /// NIC 2's promiscuous mode
    #[arg(long, env = "VIRTUALBOX_HOSTONLY_NIC_PROMISC", value_enum, default_value_t = Promisc::Deny)]
    pub virtualbox_hostonly_nicpromisc: Promisc,
    /// NAT proxies the guest's DNS queries through this computer
    #[arg(long, env = "VIRTUALBOX_DNS_PROXY")]
    pub virtualbox_dns_proxy: bool,
    /// NAT answers the guest's DNS queries with this computer's resolver
    #[arg(long, env = "VIRTUALBOX_HOST_DNS_RESOLVER")]
    pub virtualbox_host_dns_resolver: bool,
    /// Share no folder (the default; cancels --virtualbox-share-folder)
    #[arg(long, env = "VIRTUALBOX_NO_SHARE")]
    pub virtualbox_no_share: bool,
    /// docker-machine's boot2docker ISO: refused, boot2docker is no longer maintained
    #[arg(long, env = "VIRTUALBOX_BOOT2DOCKER_URL", hide = true)]
    pub virtualbox_boot2docker_url: Option<String>,
}

/// `HOSTPATH[:NAME]`; the name defaults to the folder's own name.
pub fn share_folder(value: &str) -> Result<ShareFolder> {
    let bad = |why: String| {
        DriverError::InvalidOption(format!(
            "invalid --virtualbox-share-folder {value:?}: {why}"
        ))
    };
    let (path, name) = match value.rsplit_once(':') {
        Some((path, name)) if !path.is_empty() => (path, Some(name)),
        _ => (value, None),
    };
    let host_path = absolute(PathBuf::from(path));
    let name = match name {
        Some(name) => name.to_string(),
        None => host_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let name = VboxName::try_from(name).map_err(bad)?;
    if host_path.to_str().is_none() {
        return Err(bad("the path is not UTF-8".into()));
    }
    Ok(ShareFolder { host_path, name })
}

impl DriverFlags for VirtualBoxFlags {
    type Driver = VirtualBoxDriver;

    fn build(self, machine: &str, _engine_port: u16) -> Result<VirtualBoxDriver> {
        if self.virtualbox_boot2docker_url.is_some() {
            return Err(DriverError::InvalidOption(
                "--virtualbox-boot2docker-url: boot2docker is no longer maintained; machinectl boots a cloud image with cloud-init instead (Ubuntu 24.04 by default; another with --virtualbox-image-url or --virtualbox-image-path)".into(),
            ));
        }
        let share = match self.virtualbox_no_share {
            true => None,
            false => self
                .virtualbox_share_folder
                .as_deref()
                .map(share_folder)
                .transpose()?,
        };
        let driver = VirtualBoxDriver {
            machine: machine.to_string(),
            options: Options {
                cpus: self.virtualbox_cpu_count,
                memory_mb: self.virtualbox_memory,
                disk_mb: self.virtualbox_disk_size,
                hostonly_cidr: self.virtualbox_hostonly_cidr,
                no_vtx_check: self.virtualbox_no_vtx_check,
                share_folder: share,
                image_url: self.virtualbox_image_url,
                image_path: self.virtualbox_image_path.map(absolute),
                ssh_user: self.virtualbox_ssh_user,
                hardware: Hardware {
                    ui_type: self.virtualbox_ui_type,
                    nat_nictype: self.virtualbox_nat_nictype,
                    hostonly_nictype: self.virtualbox_hostonly_nictype,
                    hostonly_promisc: self.virtualbox_hostonly_nicpromisc,
                    dns_proxy: self.virtualbox_dns_proxy,
                    host_dns_resolver: self.virtualbox_host_dns_resolver,
                },
            },
            resources: Resources::default(),
            ssh_key: None,
        };
        // VirtualBox itself is asked only where it is needed (create, down).
        driver.check_flags()?;
        Ok(driver)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_folders() {
        let s = share_folder("/home/me/src:code").unwrap();
        assert_eq!(s.host_path, PathBuf::from("/home/me/src"));
        assert_eq!(s.name.as_str(), "code");
        let s = share_folder("/home/me/src").unwrap();
        assert_eq!(s.name.as_str(), "src");
        assert!(share_folder("/home/me/src:bad name").is_err());
        assert!(share_folder("/").is_err());
    }
}

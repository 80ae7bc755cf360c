//! The `virtualbox` driver: a headless VirtualBox VM on this computer,
//! booted from a current Ubuntu LTS cloud image with a NoCloud seed, made
//! and managed through VBoxManage (found and version-checked first).
//!
//! Create fetches the image into the store's `cache/` ([`image`]), then:
//! `createvm --register` (basefolder: the machine's directory) →
//! `modifyvm` (CPUs, memory, the serial console to `console.log`, NIC 1 NAT
//! with `ssh` forwarded from 127.0.0.1:PORT, PORT a free local port) → the
//! host-only network ([`network`]) on NIC 2 → the seed ([`seed`], written
//! now that the NICs' MAC addresses are known) → the disk (the image
//! cloned or converted to `disk.vdi`, then resized) and the seed on a SATA
//! controller → the shared folder → `startvm --type headless` → the
//! host-only address (guest property `/VirtualBox/GuestInfo/Net/1/V4/IP`,
//! else the DHCP lease).
//! Each thing is recorded the moment it exists, so rollback and `rm` find
//! it: `rm` powers the VM off, `unregistervm --delete`s it and deletes every
//! file it had (the cached image stays for the next create).
//!
//! SSH goes through the NAT forward, as docker-machine's did (it works
//! whatever the host-only network does); the engine URL and the server
//! certificate use the host-only address.
//!
//! Images: the default is Canonical's `noble-server-cloudimg-amd64.vmdk`,
//! which VirtualBox reads itself (`clonemedium` to VDI; no other tool
//! needed). `--virtualbox-image-path` also takes a raw image
//! (`convertfromraw`) or a qcow2 one (`qemu-img convert` to raw first, when
//! qemu-img is installed). stop presses the ACPI power button and powers
//! off after [`SHUTDOWN_GRACE`] (`MACHINECTL_VIRTUALBOX_SHUTDOWN_GRACE=SECONDS`
//! overrides it; the tests use it).
//!
//! A cluster node (`clusterctl up --provider virtualbox`) is such a VM
//! tagged with the cluster's name and id as extradata, its seed carrying
//! the role's cloud-init; the host-only network is open between nodes, so
//! no firewall is made; `down` finds the VMs by their extradata
//! ([`cluster`]).

pub mod checked;
pub mod cluster;
mod flags;
pub mod image;
pub mod network;
pub mod seed;
pub mod vbox;

use std::collections::HashSet;
use std::fs;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::cluster::ClusterName;
use machinectl_driver_api::retry::Backoff;
use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver, DriverError, Found, MachineState, RemoveReport, Result,
    SshTarget, snapshot,
};
use serde::{Deserialize, Serialize};

use checked::{HostonlyCidr, ImageUrl, VboxName};
pub use flags::VirtualBoxFlags;
use vbox::{VBox, field, machine_readable};

pub const DEFAULT_IMAGE_URL: &str =
    "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.vmdk";
/// How long stop waits after the ACPI power button before it powers off.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(60);
/// How long a booted VM gets to show its host-only address.
const ADDRESS_LIMIT: Duration = Duration::from_secs(300);
const POLL: Duration = Duration::from_secs(2);
/// The guest property VirtualBox's guest additions set for NIC 2.
pub const IP_PROPERTY: &str = "/VirtualBox/GuestInfo/Net/1/V4/IP";

/// A folder of this computer shared with the VM (`HOSTPATH[:NAME]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShareFolder {
    pub host_path: PathBuf,
    pub name: VboxName,
}

/// How `startvm` shows the VM (`--type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum UiType {
    Headless,
    Gui,
    Sdl,
    Separate,
}

/// Network card hardware VirtualBox emulates (`--nictypeN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum NicType {
    #[value(name = "virtio")]
    #[serde(rename = "virtio")]
    Virtio,
    #[value(name = "82540EM")]
    #[serde(rename = "82540EM")]
    I82540em,
    #[value(name = "82543GC")]
    #[serde(rename = "82543GC")]
    I82543gc,
    #[value(name = "82545EM")]
    #[serde(rename = "82545EM")]
    I82545em,
    #[value(name = "Am79C970A")]
    #[serde(rename = "Am79C970A")]
    Am79c970a,
    #[value(name = "Am79C973")]
    #[serde(rename = "Am79C973")]
    Am79c973,
}

/// NIC 2's promiscuous mode (`--nicpromisc2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Promisc {
    Deny,
    AllowVms,
    AllowAll,
}

impl UiType {
    pub fn as_str(self) -> &'static str {
        match self {
            UiType::Headless => "headless",
            UiType::Gui => "gui",
            UiType::Sdl => "sdl",
            UiType::Separate => "separate",
        }
    }
}

impl NicType {
    pub fn as_str(self) -> &'static str {
        match self {
            NicType::Virtio => "virtio",
            NicType::I82540em => "82540EM",
            NicType::I82543gc => "82543GC",
            NicType::I82545em => "82545EM",
            NicType::Am79c970a => "Am79C970A",
            NicType::Am79c973 => "Am79C973",
        }
    }
}

impl Promisc {
    pub fn as_str(self) -> &'static str {
        match self {
            Promisc::Deny => "deny",
            Promisc::AllowVms => "allow-vms",
            Promisc::AllowAll => "allow-all",
        }
    }
}

/// The VM's hardware and NAT settings docker-machine let users choose.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hardware {
    pub ui_type: UiType,
    pub nat_nictype: NicType,
    pub hostonly_nictype: NicType,
    pub hostonly_promisc: Promisc,
    pub dns_proxy: bool,
    pub host_dns_resolver: bool,
}

impl Default for Hardware {
    fn default() -> Hardware {
        Hardware {
            ui_type: UiType::Headless,
            nat_nictype: NicType::Virtio,
            hostonly_nictype: NicType::Virtio,
            hostonly_promisc: Promisc::Deny,
            dns_proxy: false,
            host_dns_resolver: false,
        }
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// What the user asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Options {
    pub cpus: u32,
    pub memory_mb: u32,
    pub disk_mb: u32,
    pub hostonly_cidr: HostonlyCidr,
    pub no_vtx_check: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_folder: Option<ShareFolder>,
    pub image_url: ImageUrl,
    /// A local image used instead of downloading `image_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_path: Option<PathBuf>,
    pub ssh_user: SshUser,
    #[serde(default)]
    pub hardware: Hardware,
}

/// What create made; each is recorded as soon as it exists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Resources {
    /// The VM's UUID (what every later VBoxManage call names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_uuid: Option<VboxName>,
    /// The VM's own folder (settings, logs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_dir: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<PathBuf>,
    /// The local port NAT forwards to the guest's SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostonly_if: Option<VboxName>,
    /// NIC 2's MAC address (how its DHCP lease is found).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<VboxName>,
    /// NIC 1's (NAT) MAC address, for the seed's network-config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_mac: Option<VboxName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<Ipv4Addr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VirtualBoxDriver {
    /// The machine's name (the VM's name and the guest's hostname).
    pub machine: String,
    pub options: Options,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
}

/// Whether this CPU offers hardware virtualization, from /proc/cpuinfo's text.
pub fn cpu_has_vtx(cpuinfo: &str) -> bool {
    cpuinfo
        .lines()
        .filter(|l| l.starts_with("flags"))
        .any(|l| l.split_whitespace().any(|f| f == "vmx" || f == "svm"))
}

/// Why a computer of `arch` cannot boot the image named `image`, if it
/// cannot (VirtualBox does not emulate another CPU: an amd64 image on
/// Apple Silicon or another ARM host).
pub fn arch_refusal(arch: &str, image: Option<&str>) -> Option<String> {
    (arch != "x86_64" && image.is_some_and(|n| n.contains("amd64"))).then(|| {
        format!(
            "this computer is {arch}: VirtualBox cannot run the x86-64 (amd64) image here; give an image built for {arch} with --virtualbox-image-url or --virtualbox-image-path"
        )
    })
}

/// Whether a `VMState` (none: no such VM) means the VM is not running.
pub(crate) fn is_off(vm_state: Option<&str>) -> bool {
    matches!(vm_state, None | Some("poweroff" | "aborted" | "saved"))
}

/// A new VM UUID (the version 4 layout) from the machine's directory, the
/// time and this process: unique enough to name one VM, and known before
/// `createvm` runs.
fn new_vm_uuid(machine_dir: &Path) -> Result<VboxName> {
    use sha2::{Digest, Sha256};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(machine_dir.as_os_str().as_encoded_bytes());
    hasher.update(now.as_nanos().to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    let mut bytes: [u8; 16] = hasher.finalize()[..16].try_into().expect("16 bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let text = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    VboxName::try_from(text.as_str()).map_err(DriverError::Other)
}

/// A local TCP port nothing listens on now.
fn free_port() -> Result<u16> {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| DriverError::io("find a free local port for SSH", e))
}

fn path_arg(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| {
        DriverError::Other(format!(
            "{} is not UTF-8: VBoxManage cannot be given it",
            path.display()
        ))
    })
}

/// The store the machine's directory is in (`STORE/machines/NAME`).
fn store_dir(ctx: &CreateContext) -> Result<&Path> {
    ctx.machine_dir
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| DriverError::Other("the machine directory has no store".into()))
}

/// What kind of disk image a file is, by its first bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// VMDK, VDI or VHD: VirtualBox clones it itself.
    VirtualBox,
    Qcow2,
    Raw,
}

pub fn image_kind(head: &[u8]) -> ImageKind {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"QFI\xfb") {
        ImageKind::Qcow2
    } else if starts(b"KDMV")
        || starts(b"# Disk DescriptorFile")
        || starts(b"<<< ")
        || starts(b"conectix")
    {
        ImageKind::VirtualBox
    } else {
        ImageKind::Raw
    }
}

impl VirtualBoxDriver {
    /// The VM as VBoxManage calls name it: its UUID once known.
    fn vm(&self) -> Result<&str> {
        self.resources
            .vm_uuid
            .as_ref()
            .map(|u| u.as_str())
            .ok_or_else(|| DriverError::Other("the machine has no VirtualBox VM".into()))
    }

    /// Where the guest's serial console is written.
    fn console_log(&self) -> Result<PathBuf> {
        self.resources
            .vm_dir
            .as_ref()
            .map(|dir| dir.join("console.log"))
            .ok_or_else(|| DriverError::Other("the machine has no VirtualBox VM".into()))
    }

    fn grace() -> Duration {
        std::env::var("MACHINECTL_VIRTUALBOX_SHUTDOWN_GRACE")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(SHUTDOWN_GRACE)
    }

    /// What the flags name that must exist here (the image file, the
    /// shared folder): checked when the flags are read, so `clusterctl
    /// render` and `down` need no VirtualBox, and again before a create.
    pub(crate) fn check_flags(&self) -> Result<()> {
        if let Some(path) = &self.options.image_path {
            fs::File::open(path).map_err(|e| {
                DriverError::InvalidOption(format!(
                    "cannot read --virtualbox-image-path {}: {e}",
                    path.display()
                ))
            })?;
        }
        if let Some(share) = &self.options.share_folder
            && !share.host_path.is_dir()
        {
            return Err(DriverError::InvalidOption(format!(
                "--virtualbox-share-folder {} is not a directory",
                share.host_path.display()
            )));
        }
        Ok(())
    }

    /// Everything VirtualBox itself must offer: VBoxManage, its version,
    /// hardware virtualization, a CPU that runs the image.
    fn check_host(&self) -> Result<()> {
        // Asked once a process, however many nodes' creates check.
        vbox::checked()?;
        if !self.options.no_vtx_check && cfg!(target_os = "linux") {
            let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
            if !cpu_has_vtx(&cpuinfo) {
                return Err(DriverError::Precondition(
                    "this computer offers no VT-x/AMD-V (no vmx or svm flag in /proc/cpuinfo): enable virtualization in its firmware, or pass --virtualbox-no-vtx-check to try anyway".into(),
                ));
            }
        }
        let image_name = match &self.options.image_path {
            Some(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            None => Some(self.options.image_url.file_name().to_string()),
        };
        match arch_refusal(std::env::consts::ARCH, image_name.as_deref()) {
            Some(why) => Err(DriverError::Precondition(why)),
            None => Ok(()),
        }
    }

    /// The image to boot: the local file, or the cached download.
    async fn image(&self, ctx: &CreateContext) -> Result<PathBuf> {
        if let Some(path) = &self.options.image_path {
            return Ok(path.clone());
        }
        image::cached(&self.options.image_url, &store_dir(ctx)?.join("cache")).await
    }

    /// The NoCloud seed, written 0600 into the machine's directory.
    fn write_seed(&mut self, ctx: &CreateContext) -> Result<PathBuf> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let instance_id = format!("machinectl-{}-{stamp:x}", self.machine);
        let macs = [&self.resources.nat_mac, &self.resources.mac].map(|m| {
            m.as_ref()
                .map(|m| network::colon_mac(m.as_str()))
                .unwrap_or_default()
        });
        let bytes = seed::seed_iso(&seed::SeedSpec {
            hostname: &self.machine,
            user: &self.options.ssh_user,
            public_key: &ctx.ssh_public_key,
            instance_id: &instance_id,
            macs: [&macs[0], &macs[1]],
            role_data: role_data(ctx),
            boot_script: ctx.engine_boot_script.as_deref(),
        })?;
        let path = ctx.machine_dir.join("seed.iso");
        let mut file = fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| DriverError::io(format!("write {}", path.display()), e))?;
        file.write_all(&bytes)
            .map_err(|e| DriverError::io(format!("write {}", path.display()), e))?;
        self.resources.seed = Some(path.clone());
        Ok(path)
    }

    /// The seed's user-data, made (and so checked) before anything exists.
    fn check_user_data(&self, ctx: &CreateContext) -> Result<()> {
        seed::user_data(&seed::SeedSpec {
            hostname: &self.machine,
            user: &self.options.ssh_user,
            public_key: &ctx.ssh_public_key,
            instance_id: "",
            macs: ["", ""],
            role_data: role_data(ctx),
            boot_script: ctx.engine_boot_script.as_deref(),
        })
        .map(|_| ())
    }

    /// `createvm --register` in the machine's directory; a cluster node's
    /// VM tagged with its cluster at once. The VM's UUID is chosen here and
    /// recorded before VBoxManage is asked: a create killed while
    /// VBoxManage (a process of its own, which goes on) makes the VM still
    /// names it, so `rm` finds it (the crash tests showed the orphan).
    async fn create_vm(
        &mut self,
        vbox: &VBox,
        ctx: &CreateContext,
        checkpoint: &mut dyn Checkpoint,
    ) -> Result<()> {
        let base = path_arg(&ctx.machine_dir)?;
        let uuid = new_vm_uuid(&ctx.machine_dir)?;
        self.resources.vm_uuid = Some(uuid.clone());
        self.resources.vm_dir = Some(ctx.machine_dir.join(&self.machine));
        checkpoint.save(snapshot(self)?)?;
        vbox.run(&[
            "createvm",
            "--name",
            &self.machine,
            "--uuid",
            uuid.as_str(),
            "--basefolder",
            base,
            "--ostype",
            "Ubuntu_64",
            "--register",
        ])
        .await?;
        match &ctx.cluster {
            Some(node) => cluster::tag(vbox, self.vm()?, &node.cluster).await,
            None => Ok(()),
        }
    }

    /// CPUs, memory, the serial console, and NIC 1: NAT with SSH forwarded
    /// from a free local port.
    async fn configure_vm(&mut self, vbox: &VBox, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let port = free_port()?;
        let (cpus, memory) = (
            self.options.cpus.to_string(),
            self.options.memory_mb.to_string(),
        );
        let forward = format!("ssh,tcp,127.0.0.1,{port},,22");
        let vm = self.vm()?.to_string();
        let console = path_arg(&self.console_log()?)?.to_string();
        let hw = &self.options.hardware;
        vbox.run(&[
            "modifyvm",
            &vm,
            "--cpus",
            &cpus,
            "--memory",
            &memory,
            "--acpi",
            "on",
            "--ioapic",
            "on",
            "--rtcuseutc",
            "on",
            "--boot1",
            "disk",
            "--boot2",
            "none",
            "--boot3",
            "none",
            "--nic1",
            "nat",
            "--nictype1",
            hw.nat_nictype.as_str(),
            "--cableconnected1",
            "on",
            "--natdnsproxy1",
            on_off(hw.dns_proxy),
            "--natdnshostresolver1",
            on_off(hw.host_dns_resolver),
            "--natpf1",
            &forward,
            // Ubuntu's cloud images log to ttyS0 and boot slowly without
            // one: the console goes to a file beside the VM's settings.
            "--uart1",
            "0x3F8",
            "4",
            "--uartmode1",
            "file",
            &console,
        ])
        .await?;
        self.resources.ssh_port = Some(port);
        checkpoint.save(snapshot(self)?)
    }

    /// NIC 2 on the host-only network of `--virtualbox-hostonly-cidr`
    /// (found or made, with its DHCP server).
    ///
    /// Creates made at once (`--count`) take turns, so they share one
    /// interface instead of making one each.
    async fn attach_network(
        &mut self,
        vbox: &VBox,
        ctx: &CreateContext,
        checkpoint: &mut dyn Checkpoint,
    ) -> Result<()> {
        let cidr = &self.options.hostonly_cidr;
        let lock = image::exclusive(&store_dir(ctx)?.join("virtualbox-network.lock")).await?;
        let (_, version) = vbox::checked()?;
        let kind = network::Kind::on(std::env::consts::OS, version);
        let ifname = network::ensure(vbox, kind, cidr).await?;
        self.resources.hostonly_if = Some(ifname.clone());
        checkpoint.save(snapshot(self)?)?;
        drop(lock);
        let vm = self.vm()?.to_string();
        let [nic, attach, adapter, name] = kind.nic_args(&ifname);
        vbox.run(&[
            "modifyvm",
            &vm,
            nic,
            attach,
            adapter,
            name,
            "--nictype2",
            self.options.hardware.hostonly_nictype.as_str(),
            "--nicpromisc2",
            self.options.hardware.hostonly_promisc.as_str(),
            "--cableconnected2",
            "on",
        ])
        .await?;
        let info = machine_readable(&vbox.run(&["showvminfo", &vm, "--machinereadable"]).await?);
        let mac = |key| field(&info, key).and_then(|m| VboxName::try_from(m).ok());
        self.resources.mac = mac("macaddress2");
        self.resources.nat_mac = mac("macaddress1");
        checkpoint.save(snapshot(self)?)
    }

    /// `disk.vdi` from the image (cloned, or converted from raw), resized,
    /// and the seed, on a SATA controller.
    async fn attach_disks(
        &mut self,
        vbox: &VBox,
        image: &Path,
        seed: &Path,
        ctx: &CreateContext,
        checkpoint: &mut dyn Checkpoint,
    ) -> Result<()> {
        let vm = self.vm()?.to_string();
        vbox.run(&[
            "storagectl",
            &vm,
            "--name",
            "SATA",
            "--add",
            "sata",
            "--portcount",
            "2",
            "--hostiocache",
            "on",
        ])
        .await?;
        let disk = ctx.machine_dir.join("disk.vdi");
        self.resources.disk = Some(disk.clone());
        checkpoint.save(snapshot(self)?)?;
        make_disk(vbox, image, &disk, &ctx.machine_dir).await?;
        let (disk_arg, seed_arg) = (path_arg(&disk)?, path_arg(seed)?);
        let size = self.options.disk_mb.to_string();
        vbox.run(&["modifymedium", "disk", disk_arg, "--resize", &size])
            .await?;
        for (port, kind, medium) in [("0", "hdd", disk_arg), ("1", "dvddrive", seed_arg)] {
            vbox.run(&[
                "storageattach",
                &vm,
                "--storagectl",
                "SATA",
                "--port",
                port,
                "--device",
                "0",
                "--type",
                kind,
                "--medium",
                medium,
            ])
            .await?;
        }
        Ok(())
    }

    async fn share_folder(&self, vbox: &VBox) -> Result<()> {
        let Some(share) = &self.options.share_folder else {
            return Ok(());
        };
        let vm = self.vm()?;
        vbox.run(&[
            "sharedfolder",
            "add",
            vm,
            "--name",
            share.name.as_str(),
            "--hostpath",
            path_arg(&share.host_path)?,
            "--automount",
        ])
        .await
        .map(|_| ())
    }

    /// Wait for the guest's host-only address: the guest property, else
    /// the DHCP server's lease for NIC 2.
    async fn wait_address(&mut self, vbox: &VBox) -> Result<()> {
        let vm = self.vm()?.to_string();
        let mut backoff = Backoff::every(POLL, ADDRESS_LIMIT);
        loop {
            let property = vbox
                .run(&["guestproperty", "get", &vm, IP_PROPERTY])
                .await?;
            let found = vbox::guest_value(&property)
                .and_then(|v| v.parse::<Ipv4Addr>().ok())
                .or_else(|| network::lease_of(self.resources.mac.as_ref()?.as_str()));
            if let Some(ip) = found {
                self.resources.ip = Some(ip);
                return Ok(());
            }
            if !backoff.pause().await {
                return Err(DriverError::Other(format!(
                    "VM {} showed no host-only address within {} s (no {IP_PROPERTY} and no DHCP lease): see how it booted in {}",
                    self.machine,
                    ADDRESS_LIMIT.as_secs(),
                    self.console_log()?.display()
                )));
            }
        }
    }

    /// Move the SSH forward of a stopped VM to a free port when something
    /// else took its port meanwhile (as docker-machine did on start).
    async fn keep_ssh_port_free(&mut self, vbox: &VBox) -> Result<()> {
        let Some(port) = self.resources.ssh_port else {
            return Ok(());
        };
        if std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(());
        }
        let vm = self.vm()?.to_string();
        let new = free_port()?;
        let forward = format!("ssh,tcp,127.0.0.1,{new},,22");
        vbox.run(&["modifyvm", &vm, "--natpf1", "delete", "ssh"])
            .await?;
        vbox.run(&["modifyvm", &vm, "--natpf1", &forward]).await?;
        self.resources.ssh_port = Some(new);
        Ok(())
    }

    /// A refused power action is no error when the VM is off already.
    async fn unless_off(&self, vbox: &VBox, refused: DriverError) -> Result<()> {
        if is_off(self.vm_state(vbox).await?.as_deref()) {
            Ok(())
        } else {
            Err(refused)
        }
    }

    /// The VM's state name (`VMState`), or none when VirtualBox has no such VM.
    async fn vm_state(&self, vbox: &VBox) -> Result<Option<String>> {
        let vm = self.vm()?;
        match vbox.run(&["showvminfo", vm, "--machinereadable"]).await {
            Ok(text) => Ok(field(&machine_readable(&text), "VMState").map(str::to_string)),
            Err(e) if cluster::is_gone(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn state_of(vm_state: &str) -> MachineState {
        match vm_state {
            "running" => MachineState::Running,
            "starting" | "restoring" => MachineState::Starting,
            "stopping" | "saving" => MachineState::Stopping,
            "poweroff" | "aborted" | "saved" | "paused" => MachineState::Stopped,
            _ => MachineState::Error,
        }
    }

    /// Power the VM off and unregister it with its disks; true when it was
    /// there to remove.
    async fn unregister(&self, vbox: &VBox) -> Result<bool> {
        let Some(state) = self.vm_state(vbox).await? else {
            return Ok(false);
        };
        unregister_vm(vbox, self.vm()?, &state).await?;
        Ok(true)
    }

    /// Delete the files create made that unregistering left.
    fn delete_files(&self, report: &mut RemoveReport) {
        let files = [&self.resources.disk, &self.resources.seed];
        for path in files.into_iter().flatten() {
            match fs::remove_file(path) {
                Ok(()) => report.removed.push(format!("{}", path.display())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => report.left.push(format!("{} ({e})", path.display())),
            }
        }
        if let Some(dir) = &self.resources.vm_dir {
            match fs::remove_dir_all(dir) {
                Ok(()) => report.removed.push(format!("{}", dir.display())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => report.left.push(format!("{} ({e})", dir.display())),
            }
        }
    }
}

/// Power the VM `vm` (in `state`) off and unregister it with its disks.
pub(crate) async fn unregister_vm(vbox: &VBox, vm: &str, state: &str) -> Result<()> {
    if !is_off(Some(state)) {
        vbox.run(&["controlvm", vm, "poweroff"]).await?;
    }
    vbox.run(&["unregistervm", vm, "--delete"])
        .await
        .map(|_| ())
}

/// A cluster node's role cloud-init, for its seed.
fn role_data(ctx: &CreateContext) -> Option<&str> {
    ctx.cluster.as_ref()?.user_data.as_deref()
}

/// `disk` (VDI) from `image`: cloned when VirtualBox reads the format,
/// converted from raw otherwise (qcow2 through qemu-img first).
async fn make_disk(vbox: &VBox, image: &Path, disk: &Path, scratch: &Path) -> Result<()> {
    let mut head = [0u8; 32];
    let read = {
        use std::io::Read;
        fs::File::open(image)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| DriverError::io(format!("read the image {}", image.display()), e))?
    };
    let (image_arg, disk_arg) = (path_arg(image)?, path_arg(disk)?);
    match image_kind(&head[..read]) {
        ImageKind::VirtualBox => {
            vbox.run(&[
                "clonemedium",
                "disk",
                image_arg,
                disk_arg,
                "--format",
                "VDI",
            ])
            .await?;
            // The source stays a plain file of the cache, not a registered medium.
            let _ = vbox.run(&["closemedium", "disk", image_arg]).await;
            Ok(())
        }
        ImageKind::Raw => vbox
            .run(&["convertfromraw", image_arg, disk_arg, "--format", "VDI"])
            .await
            .map(|_| ()),
        ImageKind::Qcow2 => {
            let raw = scratch.join("image.raw");
            let converted = qcow2_to_raw(image, &raw).await;
            let result = match converted {
                Ok(()) => vbox
                    .run(&[
                        "convertfromraw",
                        path_arg(&raw)?,
                        disk_arg,
                        "--format",
                        "VDI",
                    ])
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            let _ = fs::remove_file(&raw);
            result
        }
    }
}

async fn qcow2_to_raw(image: &Path, raw: &Path) -> Result<()> {
    let out = tokio::process::Command::new("qemu-img")
        .args(["convert", "-f", "qcow2", "-O", "raw"])
        .arg(image)
        .arg(raw)
        .output()
        .await
        .map_err(|e| {
            DriverError::Precondition(format!(
                "{} is a qcow2 image and qemu-img could not run ({e}): install qemu-utils, or use the publisher's .vmdk (the default image)",
                image.display()
            ))
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(DriverError::Command {
            what: "qemu-img convert".into(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

impl Driver for VirtualBoxDriver {
    const NAME: &'static str = "virtualbox";

    fn pre_create_check(&self) -> Result<()> {
        self.check_flags()?;
        self.check_host()
    }

    fn ssh_auth_may_lag(&self) -> bool {
        true
    }

    fn debug_counters(&self) -> Option<String> {
        Some(format!("VBoxManage calls so far: {}", vbox::calls()))
    }

    /// The role's cloud-init goes into the node's seed.
    fn takes_user_data(&self) -> bool {
        true
    }

    /// One `list vms`, then one `getextradata` a VM.
    async fn cluster_resources(&self, name: &ClusterName) -> Result<Vec<Found>> {
        cluster::find(&vbox::find()?, name).await
    }

    /// Each VM powered off, unregistered and deleted with its seed.
    async fn remove_cluster_resources(&self, found: &[Found]) -> Result<RemoveReport> {
        Ok(cluster::remove(&vbox::find()?, found).await)
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let vbox = vbox::find()?;
        self.check_user_data(ctx)?;
        self.ssh_key = Some(ctx.ssh_private_key.clone());
        let image = self.image(ctx).await?;
        self.create_vm(&vbox, ctx, checkpoint).await?;
        self.configure_vm(&vbox, checkpoint).await?;
        self.attach_network(&vbox, ctx, checkpoint).await?;
        let seed = self.write_seed(ctx)?;
        checkpoint.save(snapshot(self)?)?;
        self.attach_disks(&vbox, &image, &seed, ctx, checkpoint)
            .await?;
        self.share_folder(&vbox).await?;
        let ui = self.options.hardware.ui_type.as_str();
        vbox.run(&["startvm", self.vm()?, "--type", ui]).await?;
        self.wait_address(&vbox).await?;
        checkpoint.save(snapshot(self)?)
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        let (port, key) = (self.resources.ssh_port?, self.ssh_key.clone()?);
        let host = Ipv4Addr::LOCALHOST;
        Some(SshTarget::new(host, port, &self.options.ssh_user, key))
    }

    fn ip(&self) -> Option<IpAddr> {
        self.resources.ip.map(IpAddr::V4)
    }

    async fn state(&self, timeout: Duration) -> Result<MachineState> {
        if self.resources.vm_uuid.is_none() {
            return Ok(MachineState::NotFound);
        }
        let vbox = vbox::find()?;
        match tokio::time::timeout(timeout, self.vm_state(&vbox)).await {
            Ok(Ok(Some(state))) => Ok(Self::state_of(&state)),
            Ok(Ok(None)) => Ok(MachineState::NotFound),
            Ok(Err(e)) => Err(e),
            Err(_) => Ok(MachineState::Timeout),
        }
    }

    /// Two VBoxManage calls for every machine: `list vms` and `list runningvms`.
    async fn states_of(drivers: &[&Self], timeout: Duration) -> Option<Vec<Result<MachineState>>> {
        let listed = async {
            let vbox = vbox::find()?;
            let all = vbox.run(&["list", "vms"]).await?;
            let running = vbox.run(&["list", "runningvms"]).await?;
            Ok::<_, DriverError>((all, running))
        };
        let uuids = |text: &str| -> HashSet<String> {
            text.lines()
                .filter_map(|l| l.rsplit_once('{'))
                .map(|(_, u)| u.trim_end_matches('}').to_string())
                .collect()
        };
        let result = match tokio::time::timeout(timeout, listed).await {
            Ok(Ok((all, running))) => Ok((uuids(&all), uuids(&running))),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => return Some(drivers.iter().map(|_| Ok(MachineState::Timeout)).collect()),
        };
        Some(
            drivers
                .iter()
                .map(|d| {
                    let (all, running) =
                        result.as_ref().map_err(|e| DriverError::Other(e.clone()))?;
                    let uuid = d.resources.vm_uuid.as_ref().map(|u| u.to_string());
                    Ok(match uuid {
                        Some(u) if running.contains(&u) => MachineState::Running,
                        Some(u) if all.contains(&u) => MachineState::Stopped,
                        _ => MachineState::NotFound,
                    })
                })
                .collect(),
        )
    }

    async fn start(&mut self) -> Result<()> {
        let vbox = vbox::find()?;
        let vm = self.vm()?.to_string();
        match self.vm_state(&vbox).await?.as_deref() {
            Some("paused") => vbox.run(&["controlvm", &vm, "resume"]).await?,
            Some("running") => String::new(),
            Some(_) => {
                self.keep_ssh_port_free(&vbox).await?;
                let ui = self.options.hardware.ui_type.as_str();
                vbox.run(&["startvm", &vm, "--type", ui]).await?
            }
            None => {
                return Err(DriverError::Other(format!(
                    "VirtualBox has no VM {vm} any more: `machinectl rm {}` removes the record",
                    self.machine
                )));
            }
        };
        self.wait_address(&vbox).await
    }

    /// The ACPI power button; power off when the guest has not shut down in time.
    async fn stop(&mut self) -> Result<()> {
        let vbox = vbox::find()?;
        let vm = self.vm()?.to_string();
        if let Err(refused) = vbox.run(&["controlvm", &vm, "acpipowerbutton"]).await {
            return self.unless_off(&vbox, refused).await;
        }
        let mut backoff = Backoff::every(Duration::from_secs(1), Self::grace());
        loop {
            if is_off(self.vm_state(&vbox).await?.as_deref()) {
                return Ok(());
            }
            if !backoff.pause().await {
                return self.kill().await;
            }
        }
    }

    async fn kill(&mut self) -> Result<()> {
        let vbox = vbox::find()?;
        match vbox.run(&["controlvm", self.vm()?, "poweroff"]).await {
            Ok(_) => Ok(()),
            Err(refused) => self.unless_off(&vbox, refused).await,
        }
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        let mut report = RemoveReport::default();
        if let Some(uuid) = &self.resources.vm_uuid {
            let what = format!("VirtualBox VM {} ({uuid})", self.machine);
            match vbox::find() {
                Ok(vbox) => match self.unregister(&vbox).await {
                    Ok(true) => report.removed.push(what),
                    Ok(false) => report.removed.push(format!("{what} (already gone)")),
                    Err(e) => {
                        report.left.push(format!("{what} ({e})"));
                        return Ok(report);
                    }
                },
                Err(e) => {
                    report.left.push(format!("{what} ({e})"));
                    return Ok(report);
                }
            }
        }
        if let (Some(disk), Ok(vbox)) = (&self.resources.disk, vbox::find())
            && disk.exists()
            && let Ok(arg) = path_arg(disk)
        {
            // A disk cloned but never attached is still a registered medium.
            let _ = vbox.run(&["closemedium", "disk", arg, "--delete"]).await;
        }
        self.delete_files(&mut report);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_kinds_by_magic() {
        assert_eq!(image_kind(b"QFI\xfb\0\0\0\x03"), ImageKind::Qcow2);
        assert_eq!(image_kind(b"KDMV\x01\0\0\0"), ImageKind::VirtualBox);
        assert_eq!(
            image_kind(b"<<< Oracle VM VirtualBox Disk Image >>>"),
            ImageKind::VirtualBox
        );
        assert_eq!(image_kind(b"\xebc\x90\0"), ImageKind::Raw);
    }

    #[test]
    fn amd64_images_are_refused_on_other_cpus() {
        let image = Some("noble-server-cloudimg-amd64.vmdk");
        let why = arch_refusal("aarch64", image).unwrap();
        assert!(why.contains("this computer is aarch64"), "{why}");
        assert_eq!(arch_refusal("x86_64", image), None);
        assert_eq!(
            arch_refusal("aarch64", Some("noble-server-cloudimg-arm64.img")),
            None
        );
    }

    #[test]
    fn vm_uuids_are_uuids_and_differ() {
        let dir = Path::new("/store/machines/dev");
        let (a, b) = (new_vm_uuid(dir).unwrap(), new_vm_uuid(dir).unwrap());
        assert_ne!(a, b);
        let parts: Vec<usize> = a.as_str().split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{a}");
        assert_eq!(&a.as_str()[14..15], "4", "version 4: {a}");
    }

    #[test]
    fn vtx_from_cpuinfo() {
        assert!(cpu_has_vtx("processor: 0\nflags\t\t: fpu vme vmx sse\n"));
        assert!(cpu_has_vtx("flags\t\t: fpu svm\n"));
        assert!(!cpu_has_vtx("flags\t\t: fpu hypervisor sse\n"));
    }

    #[test]
    fn vm_states_map_to_machine_states() {
        for (vm, state) in [
            ("running", MachineState::Running),
            ("poweroff", MachineState::Stopped),
            ("aborted", MachineState::Stopped),
            ("saved", MachineState::Stopped),
            ("starting", MachineState::Starting),
            ("stopping", MachineState::Stopping),
            ("gurumeditation", MachineState::Error),
        ] {
            assert_eq!(VirtualBoxDriver::state_of(vm), state, "{vm}");
        }
    }
}

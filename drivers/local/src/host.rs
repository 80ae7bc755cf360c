//! A namespace host: the network namespace, its veth on the shared bridge,
//! the private directories bind-mounted over /etc/docker, /etc/ssh, /root
//! (with /root/.ssh), /var/lib/docker and /var/log, and the sshd that
//! anchors the host's mount and UTS namespaces.
//!
//! Why /root is private: sshd runs every command through root's shell,
//! which reads ~/.bashrc. With this machine's /root, a host ran this
//! machine's shell start-up (pyenv's rehash, which takes a lock in
//! ~/.pyenv); a host removed mid-command left that lock held, and every
//! later shell on the machine waited a minute for it.
//!
//! Why sshd is the anchor: every process a host runs (dockerd included) is
//! started over SSH, so it inherits sshd's namespaces. dockerd must not be
//! started through `ip netns exec` (which remounts /sys and breaks its cgroup
//! detection), so the anchor enters the network namespace with `nsenter` and
//! makes the mount and UTS namespaces with `unshare`.
//!
//! There is no PID namespace: a host's processes are found by their network
//! namespace (and their descendants, which covers containers), never by name.

use std::fs;
use std::io::Write;
use std::net::Ipv4Addr;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use machinectl_driver_api::{DriverError, Result};
use serde::{Deserialize, Serialize};

use crate::procs;
use crate::subnet::Subnet;

const NETNS_DIR: &str = "/var/run/netns";
const LOCK_PATH: &str = "/run/machinectl-local.lock";
/// The host's sshd host key, under its root directory.
const HOST_KEY: &str = "etc-ssh/ssh_host_ed25519_key";

/// What is needed to bring a host up.
#[derive(Debug, Clone)]
pub struct HostSpec {
    /// Hostname inside the host.
    pub hostname: String,
    /// Directory that holds the host's private files; created, must not exist.
    pub root_dir: PathBuf,
    pub subnet: Subnet,
    /// OpenSSH public key line put in root's authorized_keys.
    pub authorized_key: String,
    /// A fixed address in `subnet` (tests stand hosts in for cloud instances); none: the first free one.
    pub ip: Option<Ipv4Addr>,
}

/// A host that exists; everything needed to find and remove it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostState {
    pub id: String,
    pub netns: String,
    pub veth: String,
    pub bridge: String,
    pub ip: Ipv4Addr,
    pub root_dir: PathBuf,
    /// pid of the anchor sshd, when it runs.
    pub anchor_pid: Option<u32>,
}

impl HostState {
    /// A fresh id and the names derived from it, before anything exists.
    pub fn plan(spec: &HostSpec) -> HostState {
        let id = format!("{:08x}", rand::random::<u32>());
        HostState {
            netns: format!("mctl-{id}"),
            veth: format!("mcv{id}"),
            bridge: spec.subnet.bridge_name(),
            id,
            ip: spec.ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
            root_dir: spec.root_dir.clone(),
            anchor_pid: None,
        }
    }

    fn netns_path(&self) -> PathBuf {
        Path::new(NETNS_DIR).join(&self.netns)
    }

    pub fn netns_exists(&self) -> bool {
        self.netns_path().exists()
    }

    /// Every process of this host: those in its network namespace and their
    /// descendants (containers live in namespaces of their own).
    pub fn processes(&self) -> Vec<u32> {
        match procs::netns_inode(&self.netns_path()) {
            Some(inode) => procs::with_descendants(&procs::in_netns(inode)),
            None => Vec::new(),
        }
    }

    /// The public half of the host key [`prepare_root`] made, as `TYPE BASE64`.
    pub fn host_key(&self) -> Option<String> {
        let line = fs::read_to_string(self.root_dir.join(HOST_KEY).with_extension("pub")).ok()?;
        let mut fields = line.split_whitespace();
        Some(format!("{} {}", fields.next()?, fields.next()?))
    }

    /// pid of the host's sshd anchor, if it is alive.
    pub fn live_anchor(&self) -> Option<u32> {
        let pid = self.anchor_pid?;
        let inode = procs::netns_inode(&self.netns_path())?;
        procs::in_netns(inode).contains(&pid).then_some(pid)
    }
}

/// Serialises address allocation and bridge set-up across processes.
struct GlobalLock(#[allow(dead_code)] fs::File);

impl GlobalLock {
    fn acquire() -> Result<GlobalLock> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(LOCK_PATH)
            .map_err(|e| DriverError::io(format!("open {LOCK_PATH}"), e))?;
        file.lock()
            .map_err(|e| DriverError::io(format!("lock {LOCK_PATH}"), e))?;
        Ok(GlobalLock(file))
    }
}

pub(crate) fn run(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| DriverError::io(format!("run {program}"), e))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(DriverError::Command {
            what: format!("{program} {}", args.join(" ")),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// Whether this network namespace has the link. Asked over netlink, not
/// through /sys/class/net: that shows the namespace sysfs was mounted in,
/// which is not this one in a process that entered another (`unshare --net`).
fn link_exists(name: &str) -> bool {
    Command::new("ip")
        .args(["-o", "link", "show", "dev", name])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn ensure_bridge(subnet: &Subnet) -> Result<()> {
    let bridge = subnet.bridge_name();
    let gateway = format!("{}/{}", subnet.gateway(), subnet.prefix());
    let routes = run("ip", &["-4", "-o", "route", "show"])?;
    if let Some((dst, dev)) = subnet.conflicting_route(&routes, &bridge) {
        return Err(DriverError::InvalidOption(format!(
            "--local-subnet {subnet} overlaps {dst}, which this machine routes through {dev}: choose another --local-subnet (or remove {dev} if it is a leftover)"
        )));
    }
    if !link_exists(&bridge) {
        run("ip", &["link", "add", &bridge, "type", "bridge"])?;
    }
    // A bridge without a MAC of its own takes the lowest of its ports': a
    // host joining with a lower one changed it, and hosts that had the
    // gateway's old MAC sent into the void until their neighbour entry
    // expired (SSH and Engine API stalls of 2 to 30 s in 10-node clusters,
    // seen with tcpdump). A MAC set once never changes.
    let mac = mac_of(subnet.gateway());
    let current =
        fs::read_to_string(format!("/sys/class/net/{bridge}/address")).unwrap_or_default();
    if current.trim() != mac {
        run("ip", &["link", "set", "dev", &bridge, "address", &mac])?;
    }
    let addrs = run("ip", &["-4", "-o", "addr", "show", "dev", &bridge])?;
    if !addrs.contains(&format!(" {gateway} ")) {
        if addrs.contains(" inet ") {
            return Err(DriverError::InvalidOption(format!(
                "bridge {bridge} already has another address ({}); remove it with `ip link del {bridge}` or use the subnet it serves",
                addrs.split_whitespace().nth(3).unwrap_or("?")
            )));
        }
        run("ip", &["addr", "add", &gateway, "dev", &bridge])?;
    }
    run("ip", &["link", "set", &bridge, "up"])?;
    Ok(())
}

/// Addresses already held by namespace hosts on this machine (of any store).
fn used_addresses() -> Vec<Ipv4Addr> {
    let Ok(entries) = fs::read_dir(NETNS_DIR) else {
        return Vec::new();
    };
    let mut used = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("mctl-") {
            continue;
        }
        if let Ok(out) = run("ip", &["-n", &name, "-4", "-o", "addr", "show"]) {
            for word in out.split_whitespace() {
                if let Some((addr, _)) = word.split_once('/')
                    && let Ok(ip) = addr.parse::<Ipv4Addr>()
                {
                    used.push(ip);
                }
            }
        }
    }
    used
}

/// Make the network namespace and wire it to the bridge. Returns with
/// `state.ip` set. Partial work is undone on error.
pub fn create_network(state: &mut HostState, subnet: &Subnet) -> Result<()> {
    let _lock = GlobalLock::acquire()?;
    ensure_bridge(subnet)?;
    let used = used_addresses();
    if state.ip.is_unspecified() {
        state.ip = subnet
            .hosts()
            .find(|ip| !used.contains(ip))
            .ok_or_else(|| {
                DriverError::Other(format!(
                    "no free address left in {subnet}: remove a local machine or pass --local-subnet"
                ))
            })?;
    } else if used.contains(&state.ip) || !subnet.hosts().any(|ip| ip == state.ip) {
        return Err(DriverError::InvalidOption(format!(
            "address {} is taken or outside {subnet}",
            state.ip
        )));
    }
    let result = wire(state, subnet);
    if result.is_err() {
        let _ = delete_network(state);
    }
    result
}

fn wire(state: &HostState, subnet: &Subnet) -> Result<()> {
    let ns = state.netns.as_str();
    let cidr = format!("{}/{}", state.ip, subnet.prefix());
    let mac = mac_of(state.ip);
    run("ip", &["netns", "add", ns])?;
    run(
        "ip",
        &[
            "link",
            "add",
            &state.veth,
            "type",
            "veth",
            "peer",
            "name",
            "eth0",
            "address",
            &mac,
            "netns",
            ns,
        ],
    )?;
    run(
        "ip",
        &["link", "set", &state.veth, "master", &state.bridge, "up"],
    )?;
    run("ip", &["-n", ns, "addr", "add", &cidr, "dev", "eth0"])?;
    run("ip", &["-n", ns, "link", "set", "lo", "up"])?;
    run("ip", &["-n", ns, "link", "set", "eth0", "up"])?;
    // An entry left from before MACs were fixed by address would still
    // point elsewhere for up to a minute.
    run(
        "ip",
        &[
            "neigh",
            "flush",
            "to",
            &state.ip.to_string(),
            "dev",
            &state.bridge,
        ],
    )?;
    // Deliberately no default route: a host reaches the bridge and the other
    // hosts, never beyond this machine (an image pull fails at once instead
    // of leaking packets); images come in with `docker load` or `import`.
    Ok(())
}

/// The host's MAC address, fixed by its IP address (locally administered,
/// `02:6d:` then the four octets). A random one made a host re-created at
/// a removed host's address unreachable for ~30 s: this machine and the
/// other hosts still had the old MAC in their neighbour tables, and frames
/// sent to it were dropped until the entries went stale.
pub fn mac_of(ip: Ipv4Addr) -> String {
    let [a, b, c, d] = ip.octets();
    format!("02:6d:{a:02x}:{b:02x}:{c:02x}:{d:02x}")
}

fn delete_network(state: &HostState) -> Result<()> {
    if link_exists(&state.veth) {
        run("ip", &["link", "del", &state.veth])?;
    }
    if state.netns_exists() {
        run("ip", &["netns", "del", &state.netns])?;
    }
    Ok(())
}

fn write_file(path: &Path, contents: &str, mode: u32) -> Result<()> {
    let mut file = fs::OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(mode)
        .open(path)
        .map_err(|e| DriverError::io(format!("create {}", path.display()), e))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| DriverError::io(format!("write {}", path.display()), e))
}

/// The directories bind-mounted over the host's own paths.
const PRIVATE_DIRS: [(&str, &str); 6] = [
    ("etc-docker", "/etc/docker"),
    ("etc-ssh", "/etc/ssh"),
    // /root before /root/.ssh: the second is mounted inside the first.
    ("root-home", "/root"),
    ("root-ssh", "/root/.ssh"),
    ("var-lib-docker", "/var/lib/docker"),
    ("var-log", "/var/log"),
];

/// Lay out the host's private files: sshd config and host key, root's
/// authorized_keys, hostname and hosts.
pub fn prepare_root(state: &HostState, spec: &HostSpec) -> Result<()> {
    let root = &state.root_dir;
    fs::DirBuilder::new()
        .mode(0o700)
        .recursive(true)
        .create(root)
        .map_err(|e| DriverError::io(format!("create {}", root.display()), e))?;
    for (dir, _) in PRIVATE_DIRS {
        let path = root.join(dir);
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .map_err(|e| DriverError::io(format!("create {}", path.display()), e))?;
    }
    // Directories seen from inside keep the modes a real host has.
    for dir in ["etc-docker", "etc-ssh", "var-lib-docker", "var-log"] {
        let _ = fs::set_permissions(root.join(dir), fs::Permissions::from_mode(0o755));
    }
    let key = root.join(HOST_KEY);
    run(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            &spec.hostname,
            "-f",
            &key.to_string_lossy(),
        ],
    )?;
    write_file(
        &root.join("etc-ssh/sshd_config"),
        &sshd_config(state.ip),
        0o644,
    )?;
    write_file(
        &root.join("root-ssh/authorized_keys"),
        &format!("{}\n", spec.authorized_key.trim()),
        0o600,
    )?;
    write_file(
        &root.join("hostname"),
        &format!("{}\n", spec.hostname),
        0o644,
    )?;
    write_file(
        &root.join("hosts"),
        &format!(
            "127.0.0.1\tlocalhost\n127.0.1.1\t{0}\n{1}\t{0}\n::1\tlocalhost ip6-localhost ip6-loopback\n",
            spec.hostname, state.ip
        ),
        0o644,
    )?;
    Ok(())
}

fn sshd_config(ip: Ipv4Addr) -> String {
    format!(
        "# sshd of a machinectl namespace host\n\
         ListenAddress {ip}:22\n\
         HostKey /etc/ssh/ssh_host_ed25519_key\n\
         PermitRootLogin prohibit-password\n\
         PubkeyAuthentication yes\n\
         AuthorizedKeysFile .ssh/authorized_keys\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         UsePAM no\n\
         PrintMotd no\n\
         PidFile /run/sshd.pid\n\
         Subsystem sftp /usr/lib/openssh/sftp-server\n"
    )
}

/// Start the anchor sshd inside the host's namespaces. Returns its pid.
pub fn launch(state: &mut HostState, hostname: &str) -> Result<u32> {
    let root = state.root_dir.to_string_lossy().into_owned();
    let mut script = String::from("set -e\n");
    for (dir, target) in PRIVATE_DIRS {
        script.push_str(&format!(
            "mkdir -p {target}\nmount --bind '{root}/{dir}' {target}\n"
        ));
    }
    script.push_str(&format!(
        "mount --bind '{root}/hostname' /etc/hostname\n\
         mount --bind '{root}/hosts' /etc/hosts\n\
         mount -t tmpfs -o mode=0755 tmpfs /run\n\
         mkdir -p /run/sshd /run/lock /run/machinectl\n\
         hostname '{hostname}'\n\
         exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config\n"
    ));
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(state.root_dir.join("anchor.log"))
        .map_err(|e| DriverError::io("open anchor.log", e))?;
    let log_err = log
        .try_clone()
        .map_err(|e| DriverError::io("open anchor.log", e))?;
    let netns_arg = format!("--net={}", state.netns_path().display());
    let mut command = Command::new("nsenter");
    command
        .args([
            &netns_arg,
            "--",
            "unshare",
            "--mount",
            "--uts",
            "--propagation",
            "private",
            "--",
            "/bin/sh",
            "-c",
            &script,
        ])
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    // SAFETY: setsid is async-signal-safe; detaching keeps the host alive
    // after machinectl exits and out of the terminal's signals.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let child = command
        .spawn()
        .map_err(|e| DriverError::io("start the host's sshd (nsenter)", e))?;
    let pid = child.id();
    state.anchor_pid = Some(pid);
    // nsenter, unshare and sh exec each other, so the pid becomes sshd's.
    // Wait until sshd has opened its socket or the anchor died.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = fs::read_to_string(state.root_dir.join("anchor.log")).unwrap_or_default();
        if log.contains("Server listening") {
            return Ok(pid);
        }
        if !procs::alive(pid) || Instant::now() > deadline {
            return Err(DriverError::Command {
                what: "start the host's sshd".into(),
                detail: log.lines().last().unwrap_or("no output").to_string(),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Bring a whole host up: network, files, sshd. Undoes its work on error.
pub fn bring_up(spec: &HostSpec) -> Result<HostState> {
    let mut state = HostState::plan(spec);
    create_network(&mut state, &spec.subnet)?;
    let result = prepare_root(&state, spec).and_then(|_| launch(&mut state, &spec.hostname));
    match result {
        Ok(_) => Ok(state),
        Err(e) => {
            let _ = teardown(&state);
            Err(e)
        }
    }
}

/// Stop the host's processes: dockerd first and gently (so its containers
/// stop), then everything else in the namespace.
pub fn stop_processes(state: &HostState, graceful: bool) {
    if graceful {
        if let Some(anchor) = state.live_anchor() {
            let pidfile = format!("/proc/{anchor}/root/run/machinectl/dockerd.pid");
            if let Some(pid) = fs::read_to_string(&pidfile)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
            {
                procs::stop_dockerd(pid, Duration::from_secs(20));
            }
        }
        let pids = state.processes();
        for pid in &pids {
            procs::signal(*pid, libc::SIGTERM);
        }
        procs::wait_gone(&pids, Duration::from_secs(5));
    }
    // Whatever is left (or everything, for kill).
    for _ in 0..5 {
        let pids = state.processes();
        if pids.is_empty() {
            break;
        }
        for pid in &pids {
            procs::signal(*pid, libc::SIGKILL);
        }
        procs::wait_gone(&pids, Duration::from_secs(2));
    }
}

/// Remove the host completely. Returns the things removed; errors name what was left.
pub fn teardown(state: &HostState) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    if state.netns_exists() {
        stop_processes(state, true);
        let left = state.processes();
        if !left.is_empty() {
            return Err(DriverError::Other(format!(
                "processes {left:?} of network namespace {} would not stop",
                state.netns
            )));
        }
        removed.push(format!("processes of {}", state.netns));
    }
    if link_exists(&state.veth) {
        run("ip", &["link", "del", &state.veth])?;
        removed.push(format!("veth {}", state.veth));
    }
    if state.netns_exists() {
        run("ip", &["netns", "del", &state.netns])?;
        removed.push(format!("network namespace {}", state.netns));
    }
    if state.root_dir.exists() {
        fs::remove_dir_all(&state.root_dir)
            .map_err(|e| DriverError::io(format!("remove {}", state.root_dir.display()), e))?;
        removed.push(format!("directory {}", state.root_dir.display()));
    }
    Ok(removed)
}

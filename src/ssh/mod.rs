//! SSH to machines with ssh2: one session per host for a whole run,
//! commands as channels on it, uploads over SFTP with their modes set on
//! creation, and the host key pinned on first contact.
//!
//! The pinned key lives in machines/NAME/known_host in OpenSSH's
//! known_hosts format, so `machinectl ssh` can hand the same file to the
//! system ssh client. ssh2 is blocking: callers run this inside
//! `spawn_blocking`, one session per thread.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use machinectl_driver_api::SshTarget;
use ssh2::{OpenFlags, OpenType, Session};

use crate::store::atomic;

/// How long one remote command or transfer may stay silent before the host
/// counts as hung: long enough for a quiet package install.
const COMMAND_SILENCE_LIMIT: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error(
        "SSH to {addr} did not answer within {secs} s ({last}): check the address and port, or allow more time with --ssh-timeout"
    )]
    Timeout {
        addr: String,
        secs: u64,
        last: String,
    },
    #[error("SSH authentication as {user}@{addr} failed with key {}: check the user and that the host accepts this key", key.display())]
    Auth {
        user: String,
        addr: String,
        key: PathBuf,
    },
    #[error("the SSH host key of {addr} changed (pinned {pinned}, now {seen}); if the host was rebuilt on purpose, delete {} and try again", known_host.display())]
    HostKeyChanged {
        addr: String,
        pinned: String,
        seen: String,
        known_host: PathBuf,
    },
    #[error("SSH to {addr}: {detail}")]
    Protocol { addr: String, detail: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

type Result<T> = std::result::Result<T, SshError>;

/// What one remote command produced.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.status == 0
    }
}

/// How patiently to connect.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// Retry authentication failures until the deadline (cloud hosts whose
    /// key is installed by cloud-init after sshd starts); otherwise fail at once.
    pub retry_auth: bool,
}

/// An authenticated session to one host.
pub struct SshClient {
    session: Session,
    addr: String,
}

/// known_hosts host pattern: bare host for port 22, `[host]:port` otherwise.
pub fn host_pattern(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

fn key_type_name(kind: ssh2::HostKeyType) -> &'static str {
    match kind {
        ssh2::HostKeyType::Rsa => "ssh-rsa",
        ssh2::HostKeyType::Dss => "ssh-dss",
        ssh2::HostKeyType::Ecdsa256 => "ecdsa-sha2-nistp256",
        ssh2::HostKeyType::Ecdsa384 => "ecdsa-sha2-nistp384",
        ssh2::HostKeyType::Ecdsa521 => "ecdsa-sha2-nistp521",
        ssh2::HostKeyType::Ed25519 => "ssh-ed25519",
        ssh2::HostKeyType::Unknown => "unknown",
    }
}

/// Pin the key on first contact; refuse a different one later.
fn check_host_key(session: &Session, target: &SshTarget, known_host: &Path) -> Result<()> {
    let addr = format!("{}:{}", target.host, target.port);
    let (key, kind) = session.host_key().ok_or_else(|| SshError::Protocol {
        addr: addr.clone(),
        detail: "the server sent no host key".into(),
    })?;
    let seen = format!(
        "{} {}",
        key_type_name(kind),
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    match fs::read_to_string(known_host) {
        Ok(pinned) => {
            let pinned_key = pinned
                .lines()
                .find_map(|l| l.split_once(' ').map(|(_, k)| k.trim().to_string()))
                .unwrap_or_default();
            if pinned_key == seen {
                Ok(())
            } else {
                Err(SshError::HostKeyChanged {
                    addr,
                    pinned: fingerprint(&pinned_key),
                    seen: fingerprint(&seen),
                    known_host: known_host.to_path_buf(),
                })
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let line = format!("{} {seen}\n", host_pattern(&target.host, target.port));
            atomic::write_atomic(known_host, line.as_bytes(), 0o600).map_err(|source| {
                SshError::Io {
                    what: format!("write {}", known_host.display()),
                    source,
                }
            })
        }
        Err(source) => Err(SshError::Io {
            what: format!("read {}", known_host.display()),
            source,
        }),
    }
}

/// A short, printable form of a known_hosts key ("ssh-ed25519 …last 12 chars").
fn fingerprint(key: &str) -> String {
    let (kind, data) = key.split_once(' ').unwrap_or(("?", key));
    let tail = &data[data.len().saturating_sub(12)..];
    format!("{kind} …{tail}")
}

enum Attempt {
    Retry(String),
    Fatal(SshError),
}

fn attempt(
    addr: SocketAddr,
    target: &SshTarget,
    known_host: &Path,
    remaining: Duration,
    retry_auth: bool,
) -> std::result::Result<Session, Attempt> {
    let display = format!("{}:{}", target.host, target.port);
    let per_try = remaining
        .min(Duration::from_secs(10))
        .max(Duration::from_millis(100));
    let tcp =
        TcpStream::connect_timeout(&addr, per_try).map_err(|e| Attempt::Retry(e.to_string()))?;
    let mut session = Session::new().map_err(|e| Attempt::Retry(e.to_string()))?;
    session.set_tcp_stream(tcp);
    session.set_timeout(per_try.as_millis() as u32);
    session
        .handshake()
        .map_err(|e| Attempt::Retry(format!("handshake: {}", e.message())))?;
    check_host_key(&session, target, known_host).map_err(Attempt::Fatal)?;
    let auth = session.userauth_pubkey_file(&target.user, None, &target.key_path, None);
    if auth.is_err() || !session.authenticated() {
        let error = SshError::Auth {
            user: target.user.clone(),
            addr: display,
            key: target.key_origin.clone().unwrap_or(target.key_path.clone()),
        };
        return Err(if retry_auth {
            Attempt::Retry(error.to_string())
        } else {
            Attempt::Fatal(error)
        });
    }
    // Long commands (package installs) must not hit the handshake timeout.
    // No libssh2 keepalive: in blocking mode it turns any 30 s of silence
    // (a quiet install, a slow engine restart) into "Timed out waiting on
    // socket". The bound below still ends a host that hangs for good.
    session.set_timeout(COMMAND_SILENCE_LIMIT.as_millis() as u32);
    Ok(session)
}

impl SshClient {
    /// Connect, retrying with backoff until `options.timeout` passes.
    pub fn connect(
        target: &SshTarget,
        known_host: &Path,
        options: &ConnectOptions,
    ) -> Result<SshClient> {
        let display = format!("{}:{}", target.host, target.port);
        let start = Instant::now();
        let deadline = start + options.timeout;
        let mut delay = Duration::from_millis(200);
        let mut last;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let resolved = (target.host.as_str(), target.port)
                .to_socket_addrs()
                .map_err(|e| e.to_string())
                .and_then(|mut a| a.next().ok_or_else(|| "no address".to_string()));
            let result = match resolved {
                Ok(addr) => attempt(addr, target, known_host, remaining, options.retry_auth),
                Err(e) => Err(Attempt::Retry(format!("resolve {}: {e}", target.host))),
            };
            match result {
                Ok(session) => {
                    return Ok(SshClient {
                        session,
                        addr: display,
                    });
                }
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::Retry(why)) => last = why,
            }
            let pause = crate::retry::delay(delay);
            if Instant::now() + pause >= deadline {
                return Err(SshError::Timeout {
                    addr: display,
                    secs: options.timeout.as_secs(),
                    last,
                });
            }
            std::thread::sleep(pause);
            delay = (delay * 2).min(Duration::from_secs(3));
        }
    }

    fn protocol(&self, detail: impl std::fmt::Display) -> SshError {
        SshError::Protocol {
            addr: self.addr.clone(),
            detail: detail.to_string(),
        }
    }

    /// Run `command` through the remote user's shell and collect its output.
    pub fn exec(&self, command: &str) -> Result<Output> {
        self.exec_with_input(command, None)
    }

    /// Run `command` with `input` on its standard input.
    pub fn exec_with_input(&self, command: &str, input: Option<&[u8]>) -> Result<Output> {
        let mut channel = self
            .session
            .channel_session()
            .map_err(|e| self.protocol(e))?;
        channel.exec(command).map_err(|e| self.protocol(e))?;
        if let Some(input) = input {
            channel.write_all(input).map_err(|e| self.protocol(e))?;
        }
        channel.send_eof().map_err(|e| self.protocol(e))?;
        let mut stdout = String::new();
        channel
            .read_to_string(&mut stdout)
            .map_err(|e| self.protocol(e))?;
        let mut stderr = String::new();
        channel
            .stderr()
            .read_to_string(&mut stderr)
            .map_err(|e| self.protocol(e))?;
        channel.wait_close().map_err(|e| self.protocol(e))?;
        let status = channel.exit_status().map_err(|e| self.protocol(e))?;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }

    /// Stream a command's output to our stdout/stderr; returns its exit status.
    pub fn exec_streaming(&self, command: &str) -> Result<i32> {
        let mut channel = self
            .session
            .channel_session()
            .map_err(|e| self.protocol(e))?;
        channel.exec(command).map_err(|e| self.protocol(e))?;
        channel.send_eof().map_err(|e| self.protocol(e))?;
        let mut buf = [0u8; 8192];
        let mut out = std::io::stdout();
        loop {
            let n = channel.read(&mut buf).map_err(|e| self.protocol(e))?;
            if n == 0 {
                break;
            }
            let _ = out.write_all(&buf[..n]);
            let _ = out.flush();
        }
        let mut err = Vec::new();
        let _ = channel.stderr().read_to_end(&mut err);
        let _ = std::io::stderr().write_all(&err);
        channel.wait_close().map_err(|e| self.protocol(e))?;
        channel.exit_status().map_err(|e| self.protocol(e))
    }

    /// Write `contents` to `remote_path` over SFTP, created with `mode`.
    pub fn upload(&self, remote_path: &str, contents: &[u8], mode: i32) -> Result<()> {
        let sftp = self.session.sftp().map_err(|e| self.protocol(e))?;
        let mut file = sftp
            .open_mode(
                Path::new(remote_path),
                OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE,
                mode,
                OpenType::File,
            )
            .map_err(|e| self.protocol(format!("upload {remote_path}: {e}")))?;
        file.write_all(contents)
            .map_err(|e| self.protocol(format!("upload {remote_path}: {e}")))?;
        Ok(())
    }

    /// Read a remote file over SFTP.
    pub fn download(&self, remote_path: &str) -> Result<Vec<u8>> {
        let sftp = self.session.sftp().map_err(|e| self.protocol(e))?;
        let mut file = sftp
            .open(Path::new(remote_path))
            .map_err(|e| self.protocol(format!("download {remote_path}: {e}")))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| self.protocol(format!("download {remote_path}: {e}")))?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hosts_pattern_brackets_other_ports() {
        assert_eq!(host_pattern("10.0.0.1", 22), "10.0.0.1");
        assert_eq!(host_pattern("10.0.0.1", 2222), "[10.0.0.1]:2222");
    }
}

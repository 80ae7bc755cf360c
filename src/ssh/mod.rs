//! SSH to machines with ssh2: one session per host for a whole run,
//! commands as channels on it, uploads over SFTP with their modes set on
//! creation, and the host key pinned.
//!
//! The pinned key lives in machines/NAME/known_host in OpenSSH's
//! known_hosts format, under the machine's name rather than its address
//! (`NAME ssh-ed25519 AAAA…`): the system ssh and scp get `-o
//! HostKeyAlias=NAME` with that file, so they keep working after the host's
//! address changes. Where the driver knows the host key up front (the local
//! driver makes it), [`pin_host_key`] writes it before the first contact;
//! otherwise the key is pinned on first contact. A different key is refused.
//!
//! A command's stdout and stderr are read together, with its standard
//! input written as the channel allows, so a command that fills one stream
//! (more than the channel window, ~2 MiB) never stalls behind the other.
//! ssh2 is blocking: callers run this inside `spawn_blocking`, one session
//! per thread.

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use machinectl_driver_api::SshTarget;
use ssh2::{OpenFlags, OpenType, Session};

use crate::store::atomic;

/// How long one remote command or transfer may stay silent before the host
/// counts as hung: long enough for a quiet package install.
const COMMAND_SILENCE_LIMIT: Duration = Duration::from_secs(30 * 60);

/// libssh2's "would block" on a non-blocking session.
const LIBSSH2_ERROR_EAGAIN: i32 = -37;

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
    /// The name the host key is pinned under in known_host (the machine's
    /// name, as the system ssh's `HostKeyAlias`).
    pub host_key_alias: String,
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

/// The key of a known_host file: `TYPE BASE64` of its first entry.
fn pinned_key(contents: &str) -> Option<String> {
    contents.lines().find_map(|l| {
        let mut fields = l.split_whitespace();
        let _host = fields.next()?;
        Some(format!("{} {}", fields.next()?, fields.next()?))
    })
}

/// The known_host line for `key` (`TYPE BASE64 [comment]`) under `alias`.
fn known_host_line(alias: &str, key: &str) -> std::result::Result<String, String> {
    let mut fields = key.split_whitespace();
    match (fields.next(), fields.next()) {
        (Some(kind), Some(data)) if !alias.is_empty() && !alias.contains(char::is_whitespace) => {
            Ok(format!("{alias} {kind} {data}\n"))
        }
        _ => Err(format!("not an SSH public key: {key:?}")),
    }
}

fn write_known_host(known_host: &Path, line: &str) -> Result<()> {
    atomic::write_atomic(known_host, line.as_bytes(), 0o600).map_err(|source| SshError::Io {
        what: format!("write {}", known_host.display()),
        source,
    })
}

/// Pin `key` (an OpenSSH public key, `TYPE BASE64 [comment]`) under
/// `alias` before the host is first contacted. A key already pinned is
/// left as it is: a host that then shows another key is refused.
pub fn pin_host_key(known_host: &Path, alias: &str, key: &str) -> Result<()> {
    if known_host.exists() {
        return Ok(());
    }
    let line = known_host_line(alias, key).map_err(|detail| SshError::Protocol {
        addr: alias.to_string(),
        detail,
    })?;
    write_known_host(known_host, &line)
}

/// Make a known_host file pinned under an address (as older versions
/// wrote it) name its key by `alias`, for the system ssh's HostKeyAlias.
/// A missing file stays missing.
pub fn use_alias(known_host: &Path, alias: &str) -> Result<()> {
    let contents = match fs::read_to_string(known_host) {
        Ok(c) => c,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(SshError::Io {
                what: format!("read {}", known_host.display()),
                source,
            });
        }
    };
    let Some(key) = pinned_key(&contents) else {
        return Ok(());
    };
    let line = known_host_line(alias, &key).map_err(|detail| SshError::Protocol {
        addr: alias.to_string(),
        detail,
    })?;
    if contents != line {
        write_known_host(known_host, &line)?;
    }
    Ok(())
}

/// Pin the key on first contact (unless it was pinned before); refuse a
/// different one.
fn check_host_key(
    session: &Session,
    target: &SshTarget,
    known_host: &Path,
    alias: &str,
) -> Result<()> {
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
            let pinned_key = pinned_key(&pinned).unwrap_or_default();
            if pinned_key == seen {
                use_alias(known_host, alias)
            } else {
                Err(SshError::HostKeyChanged {
                    addr,
                    pinned: fingerprint(&pinned_key),
                    seen: fingerprint(&seen),
                    known_host: known_host.to_path_buf(),
                })
            }
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let line = known_host_line(alias, &seen).map_err(|detail| SshError::Protocol {
                addr: addr.clone(),
                detail,
            })?;
            write_known_host(known_host, &line)
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

/// How long one connection attempt (TCP connect and SSH handshake) may
/// take: 2 s, then twice as long each try up to 10 s. A handshake left
/// hanging (seen with namespace hosts made ten at a time, before the local
/// bridge had a MAC of its own) is cut after 2 s instead of 10; a slow link
/// gets its 10 s by the fourth try.
fn attempt_limit(tries: u32, remaining: Duration) -> Duration {
    let grown = Duration::from_secs(2).saturating_mul(1 << tries.min(3));
    grown
        .min(Duration::from_secs(10))
        .min(remaining)
        .max(Duration::from_millis(100))
}

fn attempt(
    addr: SocketAddr,
    target: &SshTarget,
    known_host: &Path,
    per_try: Duration,
    options: &ConnectOptions,
) -> std::result::Result<Session, Attempt> {
    let display = format!("{}:{}", target.host, target.port);
    let tcp =
        TcpStream::connect_timeout(&addr, per_try).map_err(|e| Attempt::Retry(e.to_string()))?;
    let mut session = Session::new().map_err(|e| Attempt::Retry(e.to_string()))?;
    session.set_tcp_stream(tcp);
    session.set_timeout(per_try.as_millis() as u32);
    session
        .handshake()
        .map_err(|e| Attempt::Retry(format!("handshake: {}", e.message())))?;
    check_host_key(&session, target, known_host, &options.host_key_alias)
        .map_err(Attempt::Fatal)?;
    let auth = session.userauth_pubkey_file(&target.user, None, &target.key_path, None);
    if auth.is_err() || !session.authenticated() {
        let error = SshError::Auth {
            user: target.user.clone(),
            addr: display,
            key: target.key_origin.clone().unwrap_or(target.key_path.clone()),
        };
        return Err(if options.retry_auth {
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
        let deadline = Instant::now() + options.timeout;
        let mut backoff = crate::retry::Backoff::exponential(
            Duration::from_millis(200),
            Duration::from_secs(3),
            options.timeout,
        );
        let mut last;
        let mut tries = 0u32;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let per_try = attempt_limit(tries, remaining);
            tries += 1;
            let resolved = (target.host.as_str(), target.port)
                .to_socket_addrs()
                .map_err(|e| e.to_string())
                .and_then(|mut a| a.next().ok_or_else(|| "no address".to_string()));
            let result = match resolved {
                Ok(addr) => attempt(addr, target, known_host, per_try, options),
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
            if !backoff.pause_blocking() {
                return Err(SshError::Timeout {
                    addr: display,
                    secs: options.timeout.as_secs(),
                    last,
                });
            }
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
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let status = self.run(command, input.unwrap_or_default(), &mut stdout, &mut stderr)?;
        Ok(Output {
            status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// Stream a command's output to our stdout/stderr; returns its exit status.
    pub fn exec_streaming(&self, command: &str) -> Result<i32> {
        let mut out = FlushEach(std::io::stdout());
        let mut err = FlushEach(std::io::stderr());
        self.run(command, &[], &mut out, &mut err)
    }

    /// Run `command`, writing `input` to its stdin and copying its stdout and
    /// stderr to `out` and `err` as they arrive; returns its exit status.
    ///
    /// One loop serves the three streams on a non-blocking session: reading
    /// stdout to its end before stderr (or writing all input before reading)
    /// would stall once the remote fills the other stream's window.
    fn run(
        &self,
        command: &str,
        input: &[u8],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32> {
        let mut channel = self
            .session
            .channel_session()
            .map_err(|e| self.protocol(e))?;
        channel.exec(command).map_err(|e| self.protocol(e))?;
        self.session.set_blocking(false);
        let pumped = self.pump(&mut channel, input, out, err);
        self.session.set_blocking(true);
        pumped?;
        channel.wait_close().map_err(|e| self.protocol(e))?;
        channel.exit_status().map_err(|e| self.protocol(e))
    }

    /// Move data until the remote has sent EOF and both streams are drained.
    fn pump(
        &self,
        channel: &mut ssh2::Channel,
        input: &[u8],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<()> {
        let mut buf = vec![0u8; 32 * 1024];
        let mut written = 0;
        let mut eof_sent = false;
        let mut last_progress = Instant::now();
        loop {
            let mut progress = false;
            while !eof_sent {
                if written < input.len() {
                    match channel.write(&input[written..]) {
                        Ok(n) => {
                            written += n;
                            progress |= n > 0;
                            continue;
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => return Err(self.protocol(format!("write stdin: {e}"))),
                    }
                }
                match channel.send_eof() {
                    Ok(()) => {
                        eof_sent = true;
                        progress = true;
                    }
                    Err(e) if e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_EAGAIN) => break,
                    Err(e) => return Err(self.protocol(e)),
                }
            }
            for id in [0, ssh2::EXTENDED_DATA_STDERR] {
                let sink: &mut dyn Write = if id == 0 { &mut *out } else { &mut *err };
                let mut stream = channel.stream(id);
                loop {
                    match stream.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            progress = true;
                            // Our side closing (a pipe to `head`) must not
                            // stall the remote: keep draining.
                            let _ = sink.write_all(&buf[..n]);
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => return Err(self.protocol(e)),
                    }
                }
            }
            if channel.eof() {
                return Ok(());
            }
            if progress {
                last_progress = Instant::now();
                continue;
            }
            // A packet read while serving one stream may be queued for the other.
            if channel.read_window().available > 0 {
                continue;
            }
            if last_progress.elapsed() > COMMAND_SILENCE_LIMIT {
                return Err(self.protocol(format!(
                    "the command gave no output and took no input for {} minutes",
                    COMMAND_SILENCE_LIMIT.as_secs() / 60
                )));
            }
            self.wait_socket();
        }
    }

    /// Sleep until the session's socket is ready in the direction libssh2
    /// is blocked on; at most 50 ms, a safety net should a packet already
    /// be held by libssh2 that nothing accounted for.
    fn wait_socket(&self) {
        let events = match self.session.block_directions() {
            ssh2::BlockDirections::Outbound => libc::POLLOUT,
            ssh2::BlockDirections::Both => libc::POLLIN | libc::POLLOUT,
            _ => libc::POLLIN,
        };
        let mut fd = libc::pollfd {
            fd: self.session.as_raw_fd(),
            events,
            revents: 0,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe {
            libc::poll(&mut fd, 1, 50);
        }
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

/// A writer that flushes after each write, so streamed output shows at once.
struct FlushEach<W: Write>(W);

impl<W: Write> Write for FlushEach<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.0.write(buf)?;
        self.0.flush()?;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_start_short_and_grow_to_ten_seconds_within_the_deadline() {
        let long = Duration::from_secs(300);
        let limits: Vec<u64> = (0..6).map(|t| attempt_limit(t, long).as_secs()).collect();
        assert_eq!(limits, [2, 4, 8, 10, 10, 10]);
        assert_eq!(
            attempt_limit(5, Duration::from_millis(1500)),
            Duration::from_millis(1500)
        );
        assert_eq!(attempt_limit(0, Duration::ZERO), Duration::from_millis(100));
    }

    #[test]
    fn known_host_lines_name_the_machine() {
        assert_eq!(
            known_host_line("web", "ssh-ed25519 AAAAC3Nz web@host\n").unwrap(),
            "web ssh-ed25519 AAAAC3Nz\n"
        );
        assert!(known_host_line("web", "garbage").is_err());
        assert_eq!(
            pinned_key("10.0.0.2 ssh-ed25519 AAAAC3Nz\n").as_deref(),
            Some("ssh-ed25519 AAAAC3Nz")
        );
    }

    #[test]
    fn known_hosts_pattern_brackets_other_ports() {
        assert_eq!(host_pattern("10.0.0.1", 22), "10.0.0.1");
        assert_eq!(host_pattern("10.0.0.1", 2222), "[10.0.0.1]:2222");
    }
}

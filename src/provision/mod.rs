//! Provisioning: turn a host that answers SSH into a Docker host that
//! answers mutual TLS on the engine port, over one SSH session.
//!
//! Steps: detect the OS, init system and privileges; install the engine if
//! dockerd is missing; sign a server certificate for every address the host
//! has; send certificates and configuration inside the script that
//! installs them (`stage`: on stdin, never on a command line or echoed);
//! merge daemon.json; (re)start the engine the way the init system wants.

pub mod daemon_json;
pub mod os;
mod stage;

use std::net::IpAddr;
use std::path::Path;

use serde::Serialize;
use tera::Context;

use crate::pki::{self, ClientCerts};
use crate::render::{RenderError, Renderer};
use crate::ssh::{SshClient, SshError};
use crate::store::{EngineOptions, atomic};
pub use os::{InitSystem, InstallMethod, OsRelease};

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error(transparent)]
    Ssh(#[from] SshError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Pki(#[from] pki::PkiError),
    #[error("{0}")]
    Host(String),
    #[error("{step} failed on the host (exit {status}): {detail}")]
    Step {
        step: &'static str,
        status: i32,
        detail: String,
    },
}

type Result<T> = std::result::Result<T, ProvisionError>;

/// What the detect script found.
#[derive(Debug, Clone)]
pub struct HostFacts {
    pub os: OsRelease,
    pub init: InitSystem,
    pub dockerd: Option<String>,
    /// "" for root, "sudo -n" otherwise.
    pub sudo: &'static str,
    pub daemon_json: String,
}

impl HostFacts {
    pub fn parse(output: &str) -> std::result::Result<HostFacts, String> {
        let mut sections: Vec<(&str, String)> = Vec::new();
        for line in output.lines() {
            if let Some(name) = line.strip_prefix("@@") {
                sections.push((name.trim(), String::new()));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        let get = |name: &str| {
            sections
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| b.as_str())
                .unwrap_or("")
        };
        let sudo = match get("privilege").trim() {
            "root" => "",
            "sudo" => "sudo -n",
            _ => {
                return Err(
                    "the SSH user is not root and cannot use sudo without a password: use root or allow passwordless sudo"
                        .into(),
                );
            }
        };
        let dockerd = get("dockerd").trim();
        Ok(HostFacts {
            os: OsRelease::parse(get("os-release")),
            init: InitSystem::parse(get("init")),
            dockerd: (!dockerd.is_empty()).then(|| dockerd.to_string()),
            sudo,
            daemon_json: get("daemon.json").to_string(),
        })
    }
}

/// Everything provisioning needs to know about the machine.
pub struct Plan<'a> {
    pub name: &'a str,
    pub driver_name: &'a str,
    pub engine: &'a EngineOptions,
    pub certs: &'a ClientCerts,
    /// Addresses the driver knows (public, private): the only addresses the
    /// server certificate names besides `--tls-san`. What the host says about
    /// itself (`hostname -I`: docker0, a VPN, an address an attacker on the
    /// host chose) never reaches the certificate.
    pub addresses: Vec<IpAddr>,
    /// What clients dial: a DNS name here joins the certificate's names.
    pub engine_host: &'a str,
    pub machine_dir: &'a Path,
    pub renderer: &'a Renderer,
}

/// What provisioning learnt, for the record.
#[derive(Debug, Clone)]
pub struct Provisioned {
    pub os_pretty: String,
    pub init: InitSystem,
    pub installed: bool,
}

#[derive(Serialize)]
struct EnvVar {
    key: String,
    value: String,
}

fn env_vars(engine: &EngineOptions) -> Vec<EnvVar> {
    engine
        .env
        .iter()
        .map(|e| EnvVar {
            key: e.key().into(),
            value: e.value().into(),
        })
        .collect()
}

fn run_step(ssh: &SshClient, step: &'static str, script: &str) -> Result<String> {
    let out = ssh.exec_with_input("sh -s", Some(script.as_bytes()))?;
    if out.success() {
        Ok(out.stdout)
    } else {
        let detail = last_lines(&format!("{}{}", out.stdout, out.stderr), 3);
        Err(ProvisionError::Step {
            step,
            status: out.status,
            detail,
        })
    }
}

/// The last `n` non-empty lines, joined, for one-line error messages.
pub fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// Detect the host.
pub fn detect(ssh: &SshClient, renderer: &Renderer) -> Result<HostFacts> {
    let out = run_step(
        ssh,
        "detecting the host",
        &renderer.raw("provision/detect.sh")?,
    )?;
    HostFacts::parse(&out).map_err(ProvisionError::Host)
}

/// Install the engine when dockerd is missing. Returns whether it installed.
pub fn install(
    ssh: &SshClient,
    facts: &mut HostFacts,
    engine: &EngineOptions,
    renderer: &Renderer,
) -> Result<bool> {
    if facts.dockerd.is_some() {
        return Ok(false);
    }
    let method = os::install_method(&facts.os, engine.install_url.as_ref().map(|u| u.as_str()))
        .map_err(ProvisionError::Host)?;
    let mut context = Context::new();
    context.insert("sudo", facts.sudo);
    context.insert("wait_cloud_init", &true);
    match &method {
        InstallMethod::Skip => {
            return Err(ProvisionError::Host(format!(
                "dockerd is not installed on {} and --engine-install-url is none: install Docker on the host or drop that flag",
                facts.os.pretty_name
            )));
        }
        InstallMethod::Script(url) => {
            context.insert("method_name", &format!("script {url}"));
            context.insert("script_url", url);
        }
        InstallMethod::Command(command) => {
            context.insert("method_name", "package manager");
            context.insert("script_url", "");
            context.insert("command", &command.replace("$SUDO", facts.sudo));
        }
    }
    run_step(
        ssh,
        "installing Docker",
        &renderer.render("provision/install.sh.tera", &context)?,
    )?;
    // Find where the package put dockerd.
    let again = detect(ssh, renderer)?;
    facts.dockerd = again.dockerd;
    if facts.dockerd.is_none() {
        return Err(ProvisionError::Host(
            "the engine install finished but dockerd is still not on the host: check --engine-install-url".into(),
        ));
    }
    Ok(true)
}

/// The script a cloud instance boots with to install the engine while it
/// boots ([`machinectl_driver_api::CreateContext::engine_boot_script`]):
/// the same install script provisioning would fetch, or none when the user
/// turned the install off. Images whose distribution the script does not
/// know fall back to [`install`] over SSH.
pub fn boot_install_script(renderer: &Renderer, engine: &EngineOptions) -> Result<Option<String>> {
    let url = match engine.install_url.as_ref().map(|u| u.as_str()) {
        Some("none") => return Ok(None),
        Some(url) => url,
        None => os::DOCKER_INSTALL_SCRIPT,
    };
    let mut context = Context::new();
    context.insert("script_url", url);
    Ok(Some(
        renderer.render("provision/boot-install.sh.tera", &context)?,
    ))
}

/// A private directory on the host (0700, the SSH user's) that uploads
/// land in with their final modes before they are installed.
/// Sign the server certificate, upload it with the engine configuration,
/// and name the host.
pub fn configure(ssh: &SshClient, facts: &HostFacts, plan: &Plan) -> Result<()> {
    let server = server_certificate(plan)?;
    let ca = std::fs::read(&plan.certs.ca_cert)
        .map_err(|e| ProvisionError::Host(format!("read ca.pem: {e}")))?;
    let daemon_json = daemon_json(facts, plan)?;
    let dockerd = facts.dockerd.clone().unwrap_or_else(|| "dockerd".into());
    let mut context = Context::new();
    context.insert("env", &env_vars(plan.engine));
    context.insert("dockerd", &dockerd);
    context.insert("sudo", facts.sudo);
    context.insert("init", facts.init.as_str());
    context.insert("hostname", plan.name);

    let mut stage = stage::Stage::new();
    context.insert("stage", stage.path());
    let render = |template: &str| -> Result<Vec<u8>> {
        Ok(plan.renderer.render(template, &context)?.into_bytes())
    };
    let mut daemon_json = serde_json::to_vec_pretty(&daemon_json).expect("json serializes");
    daemon_json.push(b'\n');
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("ca.pem", ca),
        ("server.pem", server.cert_pem.into_bytes()),
        ("server-key.pem", server.key_pem.into_bytes()),
        ("daemon.json", daemon_json),
        ("machinectl.env", render("provision/engine-env.sh.tera")?),
        (
            "10-machinectl.conf",
            render("provision/systemd-dropin.conf.tera")?,
        ),
    ];
    for (name, bytes) in &files {
        stage.add(name, bytes)?;
    }
    let script = stage.then(
        &plan
            .renderer
            .render("provision/configure.sh.tera", &context)?,
    );
    run_step(ssh, "configuring the engine", &script)?;
    Ok(())
}

/// A server certificate for the addresses the driver knows and `--tls-san`
/// (plus a DNS name clients dial), kept beside the machine too.
fn server_certificate(plan: &Plan) -> Result<pki::ServerCert> {
    let mut extra: Vec<String> = plan
        .engine
        .tls_san
        .iter()
        .map(ToString::to_string)
        .collect();
    if plan.engine_host.parse::<IpAddr>().is_err() && !extra.iter().any(|s| s == plan.engine_host) {
        extra.push(plan.engine_host.to_string());
    }
    let sans = pki::san_list(plan.name, &plan.addresses, &extra)?;
    let server = pki::server_cert(plan.certs, plan.name, sans)?;
    for (file, pem, mode) in [
        ("server.pem", &server.cert_pem, 0o644),
        ("server-key.pem", &server.key_pem, 0o600),
    ] {
        atomic::write_atomic(&plan.machine_dir.join(file), pem.as_bytes(), mode)
            .map_err(|e| ProvisionError::Host(format!("save {file}: {e}")))?;
    }
    Ok(server)
}

/// The host's daemon.json with machinectl's settings merged in.
fn daemon_json(facts: &HostFacts, plan: &Plan) -> Result<serde_json::Value> {
    let mut labels = vec![format!("provider={}", plan.driver_name)];
    labels.extend(plan.engine.labels.iter().cloned());
    let settings = daemon_json::EngineSettings {
        port: plan.engine.port,
        labels,
        storage_driver: plan.engine.storage_driver.clone(),
        registry_mirrors: plan.engine.registry_mirrors.clone(),
        insecure_registries: plan.engine.insecure_registries.clone(),
        opts: plan.engine.opts.clone(),
    };
    daemon_json::merge(&facts.daemon_json, &settings).map_err(ProvisionError::Host)
}

/// A file written on the host, owned by root, during provisioning.
#[derive(Clone, PartialEq, Eq)]
pub struct NodeFile {
    pub path: String,
    pub content: Vec<u8>,
    pub mode: u32,
}

/// Debug names the file, never its content (it may be a secret).
impl std::fmt::Debug for NodeFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NodeFile({}, {:o}, {} bytes)",
            self.path,
            self.mode,
            self.content.len()
        )
    }
}

impl NodeFile {
    /// A secret: mode 0600.
    pub fn secret(path: &str, content: String) -> NodeFile {
        NodeFile {
            path: path.to_string(),
            content: content.into_bytes(),
            mode: 0o600,
        }
    }
}

/// Write `files` on the host over this SSH session: uploaded into a private
/// staging directory with their final modes, then installed as root (parent
/// directories made). Secrets go this way, never through user-data.
pub fn install_files(ssh: &SshClient, facts: &HostFacts, files: &[NodeFile]) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let mut stage = stage::Stage::new();
    let word = |text: &str| crate::render::escape::shell_word(text).map_err(ProvisionError::Host);
    let mut script = String::new();
    for (i, file) in files.iter().enumerate() {
        let staged = stage.add(&i.to_string(), &file.content)?;
        script.push_str(&format!(
            "{sudo} install -D -o root -g root -m {mode:o} {from} {to}\n",
            sudo = facts.sudo,
            mode = file.mode,
            from = word(&staged)?,
            to = word(&file.path)?,
        ));
    }
    script.push_str(&format!("rm -rf {}\n", word(stage.path())?));
    let script = stage.then(&script);
    run_step(ssh, "writing the node's files", &script)?;
    Ok(())
}

/// Upgrade the installed engine packages.
pub fn upgrade(ssh: &SshClient, facts: &HostFacts, renderer: &Renderer) -> Result<()> {
    let mut context = Context::new();
    context.insert("sudo", facts.sudo);
    run_step(
        ssh,
        "upgrading Docker",
        &renderer.render("provision/upgrade.sh.tera", &context)?,
    )?;
    Ok(())
}

/// (Re)start the engine so it picks up its configuration.
pub fn restart_engine(ssh: &SshClient, facts: &HostFacts, renderer: &Renderer) -> Result<()> {
    let mut context = Context::new();
    context.insert("sudo", facts.sudo);
    context.insert("init", facts.init.as_str());
    context.insert("dockerd", facts.dockerd.as_deref().unwrap_or("dockerd"));
    run_step(
        ssh,
        "starting the engine",
        &renderer.render("provision/restart-engine.sh.tera", &context)?,
    )?;
    Ok(())
}

/// The engine's recent log lines, to explain an engine that does not answer.
pub fn engine_log_tail(ssh: &SshClient, facts: &HostFacts) -> String {
    let command = match facts.init {
        InitSystem::Systemd => format!("{} journalctl -u docker -n 5 --no-pager", facts.sudo),
        _ => format!(
            "{} tail -n 5 /var/log/machinectl-dockerd.log /var/log/docker.log 2>/dev/null",
            facts.sudo
        ),
    };
    ssh.exec(&command)
        .map(|o| last_lines(&o.stdout, 3))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The install over SSH waits for cloud-init, and does not install
    /// when the instance's boot script put dockerd there meanwhile: the
    /// stand-in `cloud-init` makes a `dockerd` on PATH as it finishes (on a
    /// machine with Docker the real one is found too, which is the same case).
    #[test]
    fn install_after_cloud_init_skips_an_engine_the_boot_script_installed() {
        use std::os::unix::fs::PermissionsExt;
        let bin = tempfile::tempdir().unwrap();
        let stand_in = bin.path().join("cloud-init");
        std::fs::write(
            &stand_in,
            format!(
                "#!/bin/sh\necho \"$*\" > {dir}/waited\nprintf '#!/bin/sh\\n' > {dir}/dockerd\nchmod +x {dir}/dockerd\n",
                dir = bin.path().display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut context = Context::new();
        context.insert("sudo", "");
        context.insert("wait_cloud_init", &true);
        context.insert("script_url", "");
        context.insert("command", "echo installed-over-ssh");
        let script = Renderer::new(None)
            .unwrap()
            .render("provision/install.sh.tera", &context)
            .unwrap();
        let path = format!(
            "{}:{}",
            bin.path().display(),
            std::env::var("PATH").unwrap()
        );
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .env("PATH", path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            std::fs::read_to_string(bin.path().join("waited")).unwrap(),
            "status --wait\n"
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{script}");
    }

    #[test]
    fn boot_install_script_follows_the_install_url() {
        let renderer = Renderer::new(None).unwrap();
        let mut engine = EngineOptions::default();
        let default = boot_install_script(&renderer, &engine).unwrap().unwrap();
        assert!(
            default.contains("url=https://get.docker.com\n"),
            "{default}"
        );
        engine.install_url = Some("none".parse().unwrap());
        assert_eq!(boot_install_script(&renderer, &engine).unwrap(), None);
        engine.install_url = Some("https://example.test/i.sh?a=1&b=2".parse().unwrap());
        let odd = boot_install_script(&renderer, &engine).unwrap().unwrap();
        assert!(
            odd.contains("url='https://example.test/i.sh?a=1&b=2'\n"),
            "{odd}"
        );
    }

    #[test]
    fn parses_detect_output() {
        let out = "@@os-release\nID=debian\nPRETTY_NAME=\"Debian 12\"\n@@init\nnone\n@@dockerd\n/usr/sbin/dockerd\n\
                   @@addresses\n10.231.0.2 172.17.0.1 fe80::1 \n@@privilege\nroot\n@@daemon.json\n{\"debug\": true}\n";
        let facts = HostFacts::parse(out).unwrap();
        assert_eq!(facts.os.id, "debian");
        assert_eq!(facts.init, InitSystem::None);
        assert_eq!(facts.dockerd.as_deref(), Some("/usr/sbin/dockerd"));
        assert_eq!(facts.sudo, "");
        assert!(facts.daemon_json.contains("debug"));
    }

    #[test]
    fn missing_dockerd_and_no_privilege() {
        let out = "@@os-release\nID=ubuntu\n@@init\nsystemd\n@@dockerd\n@@addresses\n@@privilege\nsudo\n@@daemon.json\n";
        let facts = HostFacts::parse(out).unwrap();
        assert!(facts.dockerd.is_none());
        assert_eq!(facts.sudo, "sudo -n");
        let denied = out.replace("sudo\n@@daemon", "none\n@@daemon");
        assert!(
            HostFacts::parse(&denied)
                .unwrap_err()
                .contains("passwordless sudo")
        );
    }
}

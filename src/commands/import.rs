//! `machinectl import`: adopt machines made by docker-machine, from its
//! store (config.json v3 plus certificates), without reprovisioning them.
//!
//! An imported machine is recorded with the generic driver: its address,
//! SSH user, port and key, its engine options, and copies of the TLS files
//! docker-machine used, so env, ssh, scp and rm work at once. rm removes
//! only machinectl's record; the host is left as it is.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use machinectl_driver_generic::GenericDriver;
use serde_json::Value;

use crate::cli::ImportArgs;
use crate::commands::Context;
use crate::drivers::MachineDriver;
use crate::store::checked::{HostAddress, Label, SshUser};
use crate::store::{EngineOptions, MachineRecord, RecordState, atomic, validate_name};

fn docker_machine_store(ctx: &Context, from: Option<PathBuf>) -> PathBuf {
    from.or_else(|| ctx.env.get("MACHINE_STORAGE_PATH").map(PathBuf::from))
        .unwrap_or_else(|| {
            PathBuf::from(ctx.env.get("HOME").unwrap_or("/root")).join(".docker/machine")
        })
}

/// Every value read from a config.json goes through its checked type here;
/// each one that does not pass becomes one line naming the machine, the
/// field and the fix, and the batch is refused as a whole.
struct Fields<'a> {
    machine: &'a str,
    path: &'a Path,
    problems: Vec<String>,
}

impl Fields<'_> {
    fn problem(&mut self, field: &str, why: impl std::fmt::Display) {
        self.problems.push(format!(
            "machine {}: {field} in its config.json: {why}; correct it in {} or import the other machines by name",
            self.machine,
            self.path.display()
        ));
    }

    fn one<T: TryFrom<String, Error = String>>(&mut self, field: &str, value: &Value) -> Option<T> {
        match value {
            Value::String(s) => match T::try_from(s.clone()) {
                Ok(v) => Some(v),
                Err(why) => {
                    self.problem(field, why);
                    None
                }
            },
            other => {
                self.problem(field, format!("{other} is not a string"));
                None
            }
        }
    }

    /// A string that may be absent or empty (docker-machine writes "" for unset).
    fn optional<T: TryFrom<String, Error = String>>(
        &mut self,
        field: &str,
        value: &Value,
    ) -> Option<T> {
        match value {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            v => self.one(field, v),
        }
    }

    /// A list of strings (null or absent: empty).
    fn list<T: TryFrom<String, Error = String>>(&mut self, field: &str, value: &Value) -> Vec<T> {
        match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| self.one(&format!("{field}[{i}]"), v))
                .collect(),
            other => {
                self.problem(field, format!("{other} is not a list"));
                Vec::new()
            }
        }
    }

    /// A port; absent or 0 is the default, as docker-machine reads it.
    fn port(&mut self, field: &str, value: &Value, default: u16) -> u16 {
        match value {
            Value::Null => default,
            v => match v.as_u64().and_then(|n| u16::try_from(n).ok()) {
                Some(0) => default,
                Some(port) => port,
                None => {
                    self.problem(field, format!("{v} is not a port between 1 and 65535"));
                    default
                }
            },
        }
    }
}

/// The first of `candidates` that exists.
fn existing(candidates: &[PathBuf]) -> Option<PathBuf> {
    candidates.iter().find(|p| p.is_file()).cloned()
}

/// A docker-machine record, read from its config.json (ConfigVersion 3).
struct Imported {
    name: String,
    original_driver: String,
    ip: HostAddress,
    ssh_user: SshUser,
    ssh_port: u16,
    ssh_key: PathBuf,
    engine: EngineOptions,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
    server: Option<(PathBuf, PathBuf)>,
}

/// Read one machine. The outer error is a store that cannot be used at all
/// (missing, not JSON, an old version); the inner one lists every value
/// that does not pass its check, one line each.
fn read_config(dm_store: &Path, name: &str) -> Result<Result<Imported, Vec<String>>> {
    let dir = dm_store.join("machines").join(name);
    let path = dir.join("config.json");
    let config = load_config(&path)?;
    let driver = &config["Driver"];
    let key_name = driver["SSHKeyPath"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join("id_rsa"));
    // Absolute paths break when a store was moved: fall back to the same file name here.
    let in_dir = |p: &Path| dir.join(p.file_name().unwrap_or_default());
    let ssh_key = existing(&[key_name.clone(), in_dir(&key_name), dir.join("id_rsa")])
        .ok_or_else(|| anyhow!("no SSH key for {name} at {}", key_name.display()))?;
    let auth = &config["HostOptions"]["AuthOptions"];
    let tls = TlsFiles::find(dm_store, &dir, name, auth)?;

    let mut f = Fields {
        machine: name,
        path: &path,
        problems: Vec::new(),
    };
    let ip = f.one::<HostAddress>("Driver.IPAddress", &driver["IPAddress"]);
    // docker-machine logs in as root when no user is recorded.
    let ssh_user = match &driver["SSHUser"] {
        Value::Null => SshUser::try_from("root").ok(),
        Value::String(s) if s.is_empty() => SshUser::try_from("root").ok(),
        v => f.one::<SshUser>("Driver.SSHUser", v),
    };
    let ssh_port = f.port("Driver.SSHPort", &driver["SSHPort"], 22);
    let engine = engine_options(&mut f, &config);
    let (Some(ip), Some(ssh_user), true) = (ip, ssh_user, f.problems.is_empty()) else {
        return Ok(Err(f.problems));
    };
    Ok(Ok(Imported {
        name: name.to_string(),
        original_driver: config["DriverName"]
            .as_str()
            .unwrap_or("unknown")
            .to_string(),
        ip,
        ssh_user,
        ssh_port,
        ssh_key,
        engine,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        server: tls.server,
    }))
}

/// The most import reads of one file: a config.json, a key or a
/// certificate is a few KiB, and a store is not trusted to be sane (a file
/// of gigabytes, or a link to /dev/zero, must not fill memory or the store).
const MAX_FILE: u64 = 1 << 20;

/// The bytes of `path`, a regular file of at most [`MAX_FILE`] bytes.
fn read_small(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).with_context(|| format!("read {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("read {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{} is not a regular file: is --from the docker-machine store?",
            path.display()
        );
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("read {}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE {
        bail!(
            "{} is larger than {} KiB, which no docker-machine file is: is --from the docker-machine store?",
            path.display(),
            MAX_FILE / 1024
        );
    }
    Ok(bytes)
}

/// A docker-machine config.json that this version reads (ConfigVersion 3,
/// with an address).
fn load_config(path: &Path) -> Result<Value> {
    let config: Value = serde_json::from_slice(&read_small(path)?)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let version = config["ConfigVersion"].as_u64().unwrap_or(0);
    if version != 3 {
        bail!(
            "{}: ConfigVersion {version} is not supported (only 3): run any docker-machine command once to migrate it",
            path.display()
        );
    }
    if config["Driver"]["IPAddress"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        bail!(
            "{}: Driver.IPAddress is empty (the machine never got an address)",
            path.display()
        );
    }
    Ok(config)
}

/// The TLS files docker-machine used for one machine.
struct TlsFiles {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
    server: Option<(PathBuf, PathBuf)>,
}

impl TlsFiles {
    /// Each where the record says, else beside the machine, else in the
    /// store's certs/ (a moved store breaks recorded absolute paths).
    fn find(dm_store: &Path, dir: &Path, name: &str, auth: &Value) -> Result<TlsFiles> {
        let pick = |field: &str, file: &str| -> Option<PathBuf> {
            let recorded = auth[field].as_str().map(PathBuf::from);
            let mut candidates: Vec<PathBuf> = recorded.iter().cloned().collect();
            candidates.push(dir.join(file));
            candidates.push(dm_store.join("certs").join(file));
            existing(&candidates)
        };
        let required = |field: &str, file: &str| {
            pick(field, file).ok_or_else(|| {
                anyhow!("no {file} for {name}: the docker-machine store is incomplete")
            })
        };
        Ok(TlsFiles {
            ca: required("CaCertPath", "ca.pem")?,
            cert: required("ClientCertPath", "cert.pem")?,
            key: required("ClientKeyPath", "key.pem")?,
            server: pick("ServerCertPath", "server.pem")
                .zip(pick("ServerKeyPath", "server-key.pem")),
        })
    }
}

/// The engine options docker-machine recorded, each value checked.
fn engine_options(f: &mut Fields, config: &Value) -> EngineOptions {
    let engine = &config["HostOptions"]["EngineOptions"];
    let auth = &config["HostOptions"]["AuthOptions"];
    let e = "HostOptions.EngineOptions";
    let labels: Vec<Label> = f.list(&format!("{e}.Labels"), &engine["Labels"]);
    EngineOptions {
        opts: f.list(&format!("{e}.ArbitraryFlags"), &engine["ArbitraryFlags"]),
        labels: labels.into_iter().map(String::from).collect(),
        env: f.list(&format!("{e}.Env"), &engine["Env"]),
        storage_driver: f.optional(&format!("{e}.StorageDriver"), &engine["StorageDriver"]),
        registry_mirrors: f.list(&format!("{e}.RegistryMirror"), &engine["RegistryMirror"]),
        insecure_registries: f.list(
            &format!("{e}.InsecureRegistry"),
            &engine["InsecureRegistry"],
        ),
        install_url: f.optional(&format!("{e}.InstallURL"), &engine["InstallURL"]),
        port: f.port("Driver.EnginePort", &config["Driver"]["EnginePort"], 2376),
        tls_san: f.list(
            "HostOptions.AuthOptions.ServerCertSANs",
            &auth["ServerCertSANs"],
        ),
    }
}

fn copy(from: &Path, to: &Path, mode: u32) -> Result<()> {
    let bytes = read_small(from)?;
    atomic::write_atomic(to, &bytes, mode).with_context(|| format!("write {}", to.display()))
}

fn adopt(ctx: &Context, imported: Imported) -> Result<()> {
    let key_copy_name = machinectl_driver_generic::KEY_COPY_NAME;
    let dir = ctx.store.machine_dir(&imported.name);
    let mut record = MachineRecord::new(
        &imported.name,
        MachineDriver::Generic(GenericDriver {
            ip_address: imported.ip.clone(),
            ssh_user: imported.ssh_user.clone(),
            ssh_port: imported.ssh_port,
            ssh_key: dir.join(key_copy_name),
            ssh_key_origin: Some(imported.ssh_key.clone()),
        }),
        imported.engine.clone(),
    );
    record.state = RecordState::Running;
    record.imported_from = Some(imported.original_driver.clone());
    let guard = ctx.store.reserve(&record)?;
    let copied = (|| -> Result<()> {
        copy(&imported.ssh_key, &guard.dir.join(key_copy_name), 0o600)?;
        copy(&imported.ca, &guard.dir.join("ca.pem"), 0o644)?;
        copy(&imported.cert, &guard.dir.join("cert.pem"), 0o644)?;
        copy(&imported.key, &guard.dir.join("key.pem"), 0o600)?;
        if let Some((cert, key)) = &imported.server {
            copy(cert, &guard.dir.join("server.pem"), 0o644)?;
            copy(key, &guard.dir.join("server-key.pem"), 0o600)?;
        }
        Ok(())
    })();
    if let Err(e) = copied {
        ctx.store.delete(guard)?;
        return Err(e);
    }
    Ok(())
}

pub fn run(ctx: &Context, args: ImportArgs) -> Result<()> {
    let dm_store = docker_machine_store(ctx, args.from);
    let machines = dm_store.join("machines");
    let names = if args.names.is_empty() {
        let mut names: Vec<String> = std::fs::read_dir(&machines)
            .with_context(|| {
                format!(
                    "no docker-machine store at {} (use --from DIR)",
                    dm_store.display()
                )
            })?
            .flatten()
            .filter(|e| e.path().join("config.json").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    } else {
        args.names
    };
    if names.is_empty() {
        bail!("no machines in {}", machines.display());
    }
    // Read and check everything first: a bad entry stops the import before
    // anything is written. Every bad value is reported, one line each.
    let mut batch = Vec::new();
    let mut problems = Vec::new();
    for name in &names {
        validate_name(name).map_err(|e| anyhow!(e))?;
        if ctx.store.exists(name) {
            bail!("machine {name:?} already exists here: remove it or import the others by name");
        }
        match read_config(&dm_store, name)? {
            Ok(imported) => batch.push(imported),
            Err(bad) => problems.extend(bad),
        }
    }
    if let Some(last) = problems.pop() {
        // The printer has no error line of its own: these are the same
        // `error:` lines the last one gets from the binary.
        for line in &problems {
            eprintln!("error: {}", crate::ui::redact(line));
        }
        bail!("{last}; nothing was imported");
    }
    for imported in batch {
        let name = imported.name.clone();
        let driver = imported.original_driver.clone();
        adopt(ctx, imported)?;
        ctx.printer.out(format!(
            "Imported {name} (docker-machine driver {driver}; managed here as generic)"
        ));
    }
    Ok(())
}

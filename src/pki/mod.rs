//! Certificates for mutual TLS between the docker client and each engine,
//! and the SSH key pairs of machines.
//!
//! One CA and one client certificate per store, made once under the store
//! lock; one server certificate per machine, signed by that CA, carrying
//! every address of the host, its name and `--tls-san` extras. Keys are
//! ECDSA P-256, private key files 0600. Key material is never printed.

pub mod ssh_key;

use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use time::{Duration, OffsetDateTime};

use crate::store::{Store, atomic};

#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a usable {what}; move the certs directory away to make a new CA (every machine then needs `machinectl regenerate-certs`)", path.display())]
    Unusable { what: &'static str, path: PathBuf },
    #[error("invalid --tls-san {0:?}: give an IP address or a DNS name")]
    BadSan(String),
}

type Result<T> = std::result::Result<T, PkiError>;

/// Paths of the store's client-side TLS material.
#[derive(Debug, Clone)]
pub struct ClientCerts {
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl ClientCerts {
    pub fn in_dir(dir: &Path) -> Self {
        ClientCerts {
            ca_cert: dir.join("ca.pem"),
            ca_key: dir.join("ca-key.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|source| PkiError::Io {
        what: "read",
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, contents: &str, mode: u32) -> Result<()> {
    atomic::write_atomic(path, contents.as_bytes(), mode).map_err(|source| PkiError::Io {
        what: "write",
        path: path.to_path_buf(),
        source,
    })
}

fn validity(params: &mut CertificateParams, days: i64) {
    // A little slack for hosts whose clocks run behind.
    let now = OffsetDateTime::now_utc() - Duration::minutes(5);
    params.not_before = now;
    params.not_after = now + Duration::days(days);
}

fn subject(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "machinectl");
    dn.push(DnType::CommonName, common_name);
    dn
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = subject("machinectl CA");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    validity(&mut params, 3650);
    params
}

/// Make the CA and client certificate if they are missing. Call with the store lock held.
pub fn ensure_client_certs(store: &Store) -> Result<ClientCerts> {
    let dir = store.certs_dir();
    Store::make_dir(&dir).map_err(|e| PkiError::Io {
        what: "create",
        path: dir.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let paths = ClientCerts::in_dir(&dir);
    if !paths.ca_cert.exists() || !paths.ca_key.exists() {
        let key = KeyPair::generate()?;
        let cert = ca_params().self_signed(&key)?;
        write(&paths.ca_key, &key.serialize_pem(), 0o600)?;
        write(&paths.ca_cert, &cert.pem(), 0o644)?;
        // A new CA invalidates any older client certificate.
        let _ = fs::remove_file(&paths.cert);
    }
    if !paths.cert.exists() || !paths.key.exists() {
        let issuer = load_issuer(&paths)?;
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name = subject("machinectl client");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        validity(&mut params, 1095);
        let cert = params.signed_by(&key, &issuer)?;
        write(&paths.key, &key.serialize_pem(), 0o600)?;
        write(&paths.cert, &cert.pem(), 0o644)?;
    }
    Ok(paths)
}

fn load_issuer(paths: &ClientCerts) -> Result<Issuer<'static, KeyPair>> {
    let key = KeyPair::from_pem(&read(&paths.ca_key)?).map_err(|_| PkiError::Unusable {
        what: "CA key",
        path: paths.ca_key.clone(),
    })?;
    Issuer::from_ca_cert_pem(&read(&paths.ca_cert)?, key).map_err(|_| PkiError::Unusable {
        what: "CA certificate",
        path: paths.ca_cert.clone(),
    })
}

/// A server certificate and its key, as PEM.
pub struct ServerCert {
    pub cert_pem: String,
    pub key_pem: String,
}

/// Subject alternative names: addresses as IPs, the rest as DNS names,
/// duplicates removed, order kept.
pub fn san_list(name: &str, addresses: &[IpAddr], extra: &[String]) -> Result<Vec<SanType>> {
    let mut sans: Vec<SanType> = Vec::new();
    let mut push = |san: SanType| {
        if !sans.contains(&san) {
            sans.push(san);
        }
    };
    for ip in addresses {
        push(SanType::IpAddress(*ip));
    }
    for dns in [name, "localhost"] {
        push(SanType::DnsName(
            dns.to_string()
                .try_into()
                .map_err(|_| PkiError::BadSan(dns.into()))?,
        ));
    }
    push(SanType::IpAddress(IpAddr::from([127, 0, 0, 1])));
    for san in extra {
        match san.parse::<IpAddr>() {
            Ok(ip) => push(SanType::IpAddress(ip)),
            Err(_) => push(SanType::DnsName(
                san.clone()
                    .try_into()
                    .map_err(|_| PkiError::BadSan(san.clone()))?,
            )),
        }
    }
    Ok(sans)
}

/// Sign a server certificate for machine `name`.
pub fn server_cert(paths: &ClientCerts, name: &str, sans: Vec<SanType>) -> Result<ServerCert> {
    let issuer = load_issuer(paths)?;
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::default();
    params.distinguished_name = subject(name);
    params.subject_alt_names = sans;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    validity(&mut params, 1095);
    let cert = params.signed_by(&key, &issuer)?;
    Ok(ServerCert {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

/// How soon a certificate must be renewed before `ls` warns, in days.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// Whole days until the certificate at `path` expires (negative: expired),
/// when fewer than `within` are left; `None` when it is further off or
/// cannot be read (a missing file is reported where it is used).
pub fn expires_within(path: &Path, within: i64) -> Option<i64> {
    let text = fs::read(path).ok()?;
    let (_, pem) = x509_parser::pem::parse_x509_pem(&text).ok()?;
    let cert = pem.parse_x509().ok()?;
    let seconds =
        cert.validity().not_after.timestamp() - OffsetDateTime::now_utc().unix_timestamp();
    let left = seconds.div_euclid(86_400);
    (left < within).then_some(left)
}

/// Copy ca.pem, cert.pem and key.pem into the machine directory so that
/// `DOCKER_CERT_PATH=machines/NAME` works as it did with docker-machine.
pub fn copy_client_certs(paths: &ClientCerts, machine_dir: &Path) -> Result<()> {
    for (src, name, mode) in [
        (&paths.ca_cert, "ca.pem", 0o644),
        (&paths.cert, "cert.pem", 0o644),
        (&paths.key, "key.pem", 0o600),
    ] {
        write(&machine_dir.join(name), &read(src)?, mode)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sans_hold_addresses_names_and_extras_once() {
        let ip: IpAddr = "10.231.0.7".parse().unwrap();
        let sans = san_list(
            "dev",
            &[ip, ip],
            &["dev".into(), "example.org".into(), "10.0.0.1".into()],
        )
        .unwrap();
        assert_eq!(sans.len(), 6, "{sans:?}");
        assert!(sans.contains(&SanType::IpAddress(ip)));
        assert!(sans.contains(&SanType::IpAddress("10.0.0.1".parse().unwrap())));
        let dns = |name: &str| SanType::DnsName(name.to_string().try_into().unwrap());
        for name in ["dev", "localhost", "example.org"] {
            assert!(sans.contains(&dns(name)), "{name}: {sans:?}");
        }
        // The machine's name is there without being given again as an extra.
        let plain = san_list("web", &[ip], &[]).unwrap();
        assert!(plain.contains(&dns("web")), "{plain:?}");
        assert!(plain.contains(&SanType::IpAddress(ip)), "{plain:?}");
    }

    #[test]
    fn client_and_server_certs_chain_to_one_ca() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        let paths = ensure_client_certs(&store).unwrap();
        let ca_before = fs::read(&paths.ca_cert).unwrap();
        // A second call keeps what exists.
        ensure_client_certs(&store).unwrap();
        assert_eq!(ca_before, fs::read(&paths.ca_cert).unwrap());
        use std::os::unix::fs::PermissionsExt;
        for key in [&paths.ca_key, &paths.key] {
            let mode = fs::metadata(key).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", key.display());
        }
        let sans = san_list("dev", &["10.231.0.9".parse().unwrap()], &[]).unwrap();
        let server = server_cert(&paths, "dev", sans).unwrap();
        let (_, pem) = x509_parser::pem::parse_x509_pem(server.cert_pem.as_bytes()).unwrap();
        let cert = pem.parse_x509().unwrap();
        let (_, ca_pem) = x509_parser::pem::parse_x509_pem(&ca_before).unwrap();
        let ca = ca_pem.parse_x509().unwrap();
        assert_eq!(cert.issuer(), ca.subject());
        cert.verify_signature(Some(ca.public_key())).unwrap();
    }
}

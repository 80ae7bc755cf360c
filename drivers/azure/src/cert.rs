//! A service principal's certificate credential: the client assertion
//! Microsoft Entra takes instead of a secret. The file (as `az ad sp
//! create-for-rbac --create-cert` writes it) holds the RSA private key
//! (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`) and the certificate,
//! in PEM. The assertion is a JWT signed RS256 with the key, naming the
//! certificate by its SHA-1 thumbprint (`x5t`), issued by and about the
//! client, for the token endpoint, valid ten minutes. The key is read when
//! a token is needed and never stored or printed; the record names only
//! the file.

use std::path::Path;

use aws_lc_rs::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::signature::RsaKeyPair;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use machinectl_driver_api::{DriverError, Result, jwt};
use serde_json::json;

/// How long an assertion is valid.
const LIFETIME_SECS: u64 = 600;

fn unusable(path: &Path, why: &str) -> DriverError {
    DriverError::InvalidOption(format!(
        "--azure-client-certificate-path {} cannot be used: {why}; give the PEM file with the service principal's RSA private key and certificate",
        path.display()
    ))
}

/// The DER of every PEM block labelled `label`, in order.
fn blocks(pem: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut found = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find(&begin) {
        let body = &rest[start + begin.len()..];
        let Some(stop) = body.find(&end) else { break };
        let text: String = body[..stop].split_whitespace().collect();
        if let Ok(der) = STANDARD.decode(text) {
            found.push(der);
        }
        rest = &body[stop + end.len()..];
    }
    found
}

/// The key and the certificate's thumbprint (base64url SHA-1) of a PEM file.
pub fn load(path: &Path) -> Result<(RsaKeyPair, String)> {
    let pem = std::fs::read_to_string(path).map_err(|e| unusable(path, &e.to_string()))?;
    let key = if let Some(der) = blocks(&pem, "PRIVATE KEY").first() {
        RsaKeyPair::from_pkcs8(der).map_err(|_| unusable(path, "its PRIVATE KEY is not RSA"))?
    } else if let Some(der) = blocks(&pem, "RSA PRIVATE KEY").first() {
        RsaKeyPair::from_der(der).map_err(|_| unusable(path, "its RSA PRIVATE KEY is not valid"))?
    } else {
        return Err(unusable(path, "it holds no unencrypted private key"));
    };
    let certificate = blocks(&pem, "CERTIFICATE")
        .into_iter()
        .next()
        .ok_or_else(|| unusable(path, "it holds no CERTIFICATE"))?;
    let thumbprint = URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, &certificate));
    Ok((key, thumbprint))
}

/// A signed client assertion of `client` for the token endpoint `audience`.
pub fn assertion(path: &Path, client: &str, audience: &str) -> Result<String> {
    let (key, thumbprint) = load(path)?;
    let now = jwt::now();
    let rng = SystemRandom::new();
    let mut nonce = [0u8; 16];
    rng.fill(&mut nonce)
        .map_err(|_| DriverError::Other("no randomness for the client assertion".into()))?;
    let header = json!({"alg": "RS256", "typ": "JWT", "x5t": thumbprint});
    let claims = json!({
        "aud": audience, "iss": client, "sub": client,
        "jti": URL_SAFE_NO_PAD.encode(nonce),
        "iat": now, "nbf": now, "exp": now + LIFETIME_SECS,
    });
    jwt::sign_rs256(
        &key,
        &header,
        &claims,
        "signing the client assertion failed",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_found_by_label() {
        let pem = "junk\n-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBA==\n-----END CERTIFICATE-----\n";
        assert_eq!(blocks(pem, "CERTIFICATE"), vec![vec![0, 1, 2, 3], vec![4]]);
        assert!(blocks(pem, "PRIVATE KEY").is_empty());
        let e = load(Path::new("/nonexistent.pem")).unwrap_err().to_string();
        assert!(e.contains("--azure-client-certificate-path"), "{e}");
    }
}

//! RS256-signed JSON Web Tokens in compact form (RFC 7515/7519): what the
//! GCE service-account grant and Azure's certificate client assertion both
//! send. Callers build the header and claims (they differ per provider);
//! this module owns the encoding and the signature.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::{DriverError, Result};

/// Seconds since the Unix epoch, for `iat`, `nbf` and `exp` claims.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `header.claims.signature`, each base64url without padding, signed
/// RSASSA-PKCS1-v1_5 with SHA-256 by `key`. A failed signature is the
/// error `failure` (the caller says what was being signed).
pub fn sign_rs256(
    key: &RsaKeyPair,
    header: &Value,
    claims: &Value,
    failure: &str,
) -> Result<String> {
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signed.as_bytes(),
        &mut signature,
    )
    .map_err(|_| DriverError::Other(failure.to_string()))?;
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{KeyPair, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    use serde_json::json;

    #[test]
    fn signed_token_verifies_with_the_public_key_and_carries_its_parts() {
        let key = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let header = json!({"alg": "RS256", "typ": "JWT"});
        let claims = json!({"iss": "a@b", "iat": now()});
        let token = sign_rs256(&key, &header, &claims, "signing failed").unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        let decoded = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&decoded).unwrap(), claims);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let public = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.public_key().as_ref());
        let message = format!("{}.{}", parts[0], parts[1]);
        public.verify(message.as_bytes(), &signature).unwrap();
        assert!(public.verify(b"other.claims", &signature).is_err());
    }
}

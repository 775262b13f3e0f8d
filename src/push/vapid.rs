//! VAPID (RFC 8292): the application server's signed claim on a push.
//!
//! Receiving: [`parse_authorization`] reads `Authorization: vapid t=…, k=…`
//! (and the older `WebPush <jwt>` with `Crypto-Key: p256ecdsa=…`), and
//! [`verify`] checks the ES256 signature and the claims, returning a
//! [`VapidReport`] that lists every finding by name.
//! Sending: [`VapidSigner`] makes the JWT and the header.

use std::fmt;

use aws_lc_rs::encoding::AsBigEndian;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, KeyPair as _, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
    ECDSA_P256_SHA256_FIXED_SIGNING,
};
use serde::Serialize;

use super::b64;
use crate::secret::Secret;
use crate::webpush::VapidKey;

/// RFC 8292 §2: `exp` MUST NOT be more than 24 hours from the request.
pub const MAX_EXP_AHEAD: u64 = 24 * 3600;

/// The JWT and key a push carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VapidCredentials {
    pub jwt: String,
    /// The key as sent (base64url), if any.
    pub key: Option<String>,
    /// `vapid` (RFC 8292) or `webpush` (the older draft scheme).
    pub scheme: &'static str,
}

/// Reads the VAPID credentials from the `Authorization` header and, for
/// the older scheme, `Crypto-Key`. `None` when there are none.
pub fn parse_authorization(
    authorization: Option<&str>,
    crypto_key: Option<&str>,
) -> Option<VapidCredentials> {
    let auth = authorization?.trim();
    let (scheme, rest) = auth.split_once(' ').unwrap_or((auth, ""));
    if scheme.eq_ignore_ascii_case("vapid") {
        let mut jwt = None;
        let mut key = None;
        for p in rest.split(',') {
            if let Some((k, v)) = p.trim().split_once('=') {
                match k.trim() {
                    "t" => jwt = Some(v.trim().to_owned()),
                    "k" => key = Some(v.trim().to_owned()),
                    _ => {}
                }
            }
        }
        return Some(VapidCredentials {
            jwt: jwt?,
            key,
            scheme: "vapid",
        });
    }
    if scheme.eq_ignore_ascii_case("webpush") {
        let key = crypto_key
            .and_then(|c| super::ece::header_param(c, "p256ecdsa"))
            .map(str::to_owned);
        return Some(VapidCredentials {
            jwt: rest.trim().to_owned(),
            key,
            scheme: "webpush",
        });
    }
    None
}

/// One thing wrong with a VAPID claim. `is_error` ones make it invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// No Authorization header with VAPID credentials.
    Missing,
    /// The JWT is not three base64url parts of JSON, or the key not a point.
    Malformed { why: String },
    /// The JWT header's `alg` is not ES256.
    WrongAlgorithm { alg: String },
    /// The ES256 signature does not verify with the key.
    BadSignature,
    /// The key is not the one expected (the server's GETVAPID key).
    WrongKey { expected: String },
    /// `aud` is not the push endpoint's origin.
    WrongAudience { expected: String },
    /// `exp` has passed.
    Expired { exp: u64, now: u64 },
    /// `exp` is more than 24 hours ahead (RFC 8292 §2: MUST NOT).
    ExpTooFar { seconds_ahead: u64 },
    /// No `sub` claim (RFC 8292 §2.1: SHOULD; the draft's pushes carry one).
    MissingSub,
    /// `sub` is not a `mailto:` or `https:` URI.
    BadSub { sub: String },
}

impl Finding {
    /// Whether the claim cannot be trusted at all (else: a departure from
    /// the RFC worth a warning).
    pub fn is_error(&self) -> bool {
        !matches!(
            self,
            Self::ExpTooFar { .. } | Self::MissingSub | Self::BadSub { .. }
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("no VAPID Authorization header"),
            Self::Malformed { why } => write!(f, "malformed VAPID credentials: {why}"),
            Self::WrongAlgorithm { alg } => write!(f, "JWT alg is {alg:?}, not ES256"),
            Self::BadSignature => {
                f.write_str("the VAPID JWT signature does not verify with its key")
            }
            Self::WrongKey { expected } => {
                write!(f, "VAPID key is not the expected one ({expected})")
            }
            Self::WrongAudience { expected } => {
                write!(f, "JWT aud is not the endpoint origin {expected}")
            }
            Self::Expired { exp, now } => write!(
                f,
                "JWT expired {}s ago (exp {exp})",
                now.saturating_sub(*exp)
            ),
            Self::ExpTooFar { seconds_ahead } => write!(
                f,
                "JWT exp is {:.1} h ahead, more than the 24 h RFC 8292 allows",
                *seconds_ahead as f64 / 3600.0
            ),
            Self::MissingSub => f.write_str("JWT has no sub claim (a mailto: or https: contact)"),
            Self::BadSub { sub } => write!(f, "JWT sub {sub:?} is not a mailto: or https: URI"),
        }
    }
}

/// The outcome of checking a push's VAPID credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VapidReport {
    /// Signature verified and no error finding.
    pub valid: bool,
    pub key: Option<String>,
    pub aud: Option<String>,
    pub sub: Option<String>,
    pub exp: Option<u64>,
    pub findings: Vec<Finding>,
}

impl VapidReport {
    fn failed(key: Option<String>, finding: Finding) -> Self {
        Self {
            valid: false,
            key,
            aud: None,
            sub: None,
            exp: None,
            findings: vec![finding],
        }
    }

    /// The report for a push without credentials.
    pub fn missing() -> Self {
        Self::failed(None, Finding::Missing)
    }
}

/// What the claims are checked against.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'a> {
    /// The endpoint origin (`scheme://host[:port]`) that `aud` must equal.
    pub audience: Option<&'a str>,
    /// The key the JWT must be signed with (pinned, or from GETVAPID).
    pub key: Option<&'a VapidKey>,
    /// Seconds since the Unix epoch.
    pub now: u64,
}

#[derive(serde::Deserialize)]
struct JwtHeader {
    alg: Option<String>,
}

#[derive(serde::Deserialize)]
struct Claims {
    aud: Option<serde_json::Value>,
    exp: Option<serde_json::Value>,
    sub: Option<serde_json::Value>,
}

/// Verifies the JWT's ES256 signature with its key and checks the claims.
pub fn verify(creds: &VapidCredentials, expect: &Expectations<'_>) -> VapidReport {
    let key_text = creds.key.clone();
    let malformed = |why: &str| {
        VapidReport::failed(
            key_text.clone(),
            Finding::Malformed {
                why: why.to_owned(),
            },
        )
    };
    let Some(key_b64) = creds.key.as_deref() else {
        return malformed("no key (k= or Crypto-Key: p256ecdsa=)");
    };
    let Ok(key) = VapidKey::parse(key_b64) else {
        return malformed("the key is not an uncompressed P-256 point in base64url");
    };
    let parts: Vec<&str> = creds.jwt.split('.').collect();
    let [h, c, s] = parts[..] else {
        return malformed("the JWT does not have three dot-separated parts");
    };
    let (Ok(hj), Ok(cj), Ok(sig)) = (b64::decode(h), b64::decode(c), b64::decode(s)) else {
        return malformed("a JWT part is not base64url");
    };
    let Ok(header) = serde_json::from_slice::<JwtHeader>(&hj) else {
        return malformed("the JWT header is not JSON");
    };
    if header.alg.as_deref() != Some("ES256") {
        return VapidReport::failed(
            key_text,
            Finding::WrongAlgorithm {
                alg: header.alg.unwrap_or_default(),
            },
        );
    }
    let Ok(claims) = serde_json::from_slice::<Claims>(&cj) else {
        return malformed("the JWT claims are not a JSON object");
    };
    let signed = &creds.jwt[..h.len() + 1 + c.len()];
    let verified = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, key.point())
        .verify(signed.as_bytes(), &sig)
        .is_ok();

    let aud = claims
        .aud
        .as_ref()
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let sub = claims
        .sub
        .as_ref()
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let exp = claims.exp.as_ref().and_then(|v| v.as_u64());
    let mut findings = Vec::new();
    if !verified {
        findings.push(Finding::BadSignature);
    }
    if let Some(expected) = expect.key {
        if expected != &key {
            findings.push(Finding::WrongKey {
                expected: expected.to_string(),
            });
        }
    }
    if let Some(origin) = expect.audience {
        if aud.as_deref() != Some(origin) {
            findings.push(Finding::WrongAudience {
                expected: origin.to_owned(),
            });
        }
    }
    match exp {
        None => findings.push(Finding::Malformed {
            why: "no numeric exp claim".to_owned(),
        }),
        Some(e) if e <= expect.now => findings.push(Finding::Expired {
            exp: e,
            now: expect.now,
        }),
        Some(e) if e - expect.now > MAX_EXP_AHEAD => findings.push(Finding::ExpTooFar {
            seconds_ahead: e - expect.now,
        }),
        Some(_) => {}
    }
    match &sub {
        None => findings.push(Finding::MissingSub),
        Some(s) if !(s.starts_with("mailto:") || s.starts_with("https://")) => {
            findings.push(Finding::BadSub { sub: s.clone() })
        }
        Some(_) => {}
    }
    VapidReport {
        valid: findings.iter().all(|f| !f.is_error()),
        key: Some(key_b64.to_owned()),
        aud,
        sub,
        exp,
        findings,
    }
}

/// An application server's VAPID key pair, for signing.
pub struct VapidSigner {
    pair: EcdsaKeyPair,
    public: VapidKey,
}

impl fmt::Debug for VapidSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VapidSigner")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VapidKeyError {
    #[error("the VAPID private key is not a P-256 scalar")]
    BadPrivateKey,
    #[error("cannot generate or export a key")]
    Crypto,
}

impl VapidSigner {
    pub fn generate() -> Result<Self, VapidKeyError> {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .map_err(|_| VapidKeyError::Crypto)?;
        Self::from_pair(pair)
    }

    /// From a 32-byte big-endian private scalar.
    pub fn from_private(scalar: &[u8]) -> Result<Self, VapidKeyError> {
        let ecdh = aws_lc_rs::agreement::PrivateKey::from_private_key(
            &aws_lc_rs::agreement::ECDH_P256,
            scalar,
        )
        .map_err(|_| VapidKeyError::BadPrivateKey)?;
        let public = ecdh
            .compute_public_key()
            .map_err(|_| VapidKeyError::BadPrivateKey)?;
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            scalar,
            public.as_ref(),
        )
        .map_err(|_| VapidKeyError::BadPrivateKey)?;
        Self::from_pair(pair)
    }

    fn from_pair(pair: EcdsaKeyPair) -> Result<Self, VapidKeyError> {
        let public =
            VapidKey::from_point(pair.public_key().as_ref()).map_err(|_| VapidKeyError::Crypto)?;
        Ok(Self { pair, public })
    }

    pub fn public(&self) -> &VapidKey {
        &self.public
    }

    /// The 32-byte private scalar, for a key file.
    pub fn private_scalar(&self) -> Result<Secret<Vec<u8>>, VapidKeyError> {
        let bin: aws_lc_rs::encoding::EcPrivateKeyBin<'_> = self
            .pair
            .private_key()
            .as_be_bytes()
            .map_err(|_| VapidKeyError::Crypto)?;
        Ok(Secret::new(bin.as_ref().to_vec()))
    }

    /// A signed JWT with these claims (`sub` left out when `None`).
    pub fn sign(&self, aud: &str, exp: u64, sub: Option<&str>) -> Result<String, VapidKeyError> {
        let header = b64::encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let mut claims = serde_json::json!({ "aud": aud, "exp": exp });
        if let Some(s) = sub {
            claims["sub"] = s.into();
        }
        let claims = b64::encode(claims.to_string().as_bytes());
        let signing_input = format!("{header}.{claims}");
        let sig = self
            .pair
            .sign(&SystemRandom::new(), signing_input.as_bytes())
            .map_err(|_| VapidKeyError::Crypto)?;
        Ok(format!("{signing_input}.{}", b64::encode(sig.as_ref())))
    }

    /// The `Authorization` header value: `vapid t=<jwt>, k=<key>`.
    pub fn authorization(&self, jwt: &str) -> String {
        format!("vapid t={jwt}, k={}", self.public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_exp(exp: u64, now: u64) -> VapidReport {
        let s = VapidSigner::generate().unwrap();
        let header = s.authorization(
            &s.sign("https://p.example", exp, Some("mailto:a@b"))
                .unwrap(),
        );
        let creds = parse_authorization(Some(&header), None).unwrap();
        verify(
            &creds,
            &Expectations {
                audience: Some("https://p.example"),
                key: None,
                now,
            },
        )
    }

    /// An `exp` of 2^64 − 1 (or a `now` of 0 against it) is a finding, not
    /// an overflow.
    #[test]
    fn extreme_exp_values_are_findings() {
        let r = check_exp(u64::MAX, 1_700_000_000);
        assert_eq!(
            r.findings,
            vec![Finding::ExpTooFar {
                seconds_ahead: u64::MAX - 1_700_000_000
            }]
        );
        assert!(r.findings[0].to_string().contains("h ahead"));
        assert!(matches!(
            check_exp(u64::MAX, 0).findings[..],
            [Finding::ExpTooFar { .. }]
        ));
        assert!(matches!(
            check_exp(0, u64::MAX).findings[..],
            [Finding::Expired { .. }]
        ));
    }
}

//! The local CA: one per user, like mkcert's, but scoped to loopback. It
//! lives in the data directory (`$XDG_DATA_HOME/imapwebpush/`, mode 0700):
//! `local-ca.pem` (the certificate) and `local-ca-key.pem` (its key, mode
//! 0600), both made on first use and created exclusively with their final
//! mode. `serve`'s certificate and the certificates of the endpoints that
//! `listen`, `subscribe`, `check` and `repl` start on loopback come from it.
//!
//! Two fences keep it from vouching for anything else:
//! - the CA certificate carries RFC 5280 name constraints: `localhost`,
//!   127.0.0.0/8 and ::1 only, so even its key cannot sign for another name
//!   that a verifier would accept;
//! - clients add it to their roots only for loopback hosts
//!   ([`crate::tls::Trust::with_loopback_roots`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DnType, GeneralSubtree, IsCa, KeyPair,
    KeyUsagePurpose, NameConstraints,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::tls::{Identity, IdentityError};

/// The CA certificate's file name in the data directory.
pub const CERT_FILE: &str = "local-ca.pem";
/// The CA key's file name in the data directory (mode 0600).
pub const KEY_FILE: &str = "local-ca-key.pem";

#[derive(Debug, thiserror::Error)]
pub enum LocalCaError {
    #[error("no data directory: set XDG_DATA_HOME or HOME")]
    NoDataDir,
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a usable local CA: {why}")]
    Invalid { path: PathBuf, why: String },
    #[error("{path} can be read by other users (mode {mode:o}); it holds the local CA's key")]
    Permissions { path: PathBuf, mode: u32 },
    #[error(transparent)]
    Certificate(#[from] IdentityError),
}

impl LocalCaError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Permissions { path, .. } => Some(format!("chmod 600 {}", path.display())),
            Self::Invalid { .. } => Some(
                "remove both local-ca files from the data directory; a new CA is made on next use (clients must then trust it again)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

/// `$XDG_DATA_HOME/imapwebpush`, else `~/.local/share/imapwebpush`.
pub fn data_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => {
            PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".local/share")
        }
    };
    Some(base.join("imapwebpush"))
}

/// The data directory, created (mode 0700) if missing.
pub fn ensure_data_dir() -> Result<PathBuf, LocalCaError> {
    let dir = data_dir().ok_or(LocalCaError::NoDataDir)?;
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(&dir).map_err(|source| LocalCaError::Write {
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// The local CA, able to issue loopback certificates.
pub struct LocalCa {
    dir: PathBuf,
    key: KeyPair,
    cert_pem: String,
}

impl std::fmt::Debug for LocalCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalCa")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// The CA's parameters; fixed, so that the certificate can be made again
/// from the key alone (by whichever process finds the key without it).
fn ca_params() -> Result<CertificateParams, rcgen::Error> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.distinguished_name
        .push(DnType::CommonName, "imapwebpush local CA (loopback only)");
    p.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![
            GeneralSubtree::DnsName("localhost".to_owned()),
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 0], [255, 0, 0, 0])),
            GeneralSubtree::IpAddress(CidrSubnet::V6(
                std::net::Ipv6Addr::LOCALHOST.octets(),
                [0xff; 16],
            )),
        ],
        excluded_subtrees: vec![],
    });
    Ok(p)
}

/// Publishes `contents` at `path` only if nothing is there: written to a
/// unique temporary name with its final mode, then hard-linked into place
/// (which fails if the path exists, whoever made it). Returns whether this
/// call published it.
fn publish(path: &Path, contents: &[u8], mode: u32) -> Result<bool, LocalCaError> {
    let werr = |source| LocalCaError::Write {
        path: path.to_owned(),
        source,
    };
    let tmp = path.with_extension(format!("tmp-{}", crate::webpush::types::new_uuid_v4()));
    let mut f = crate::secret::create_new(&tmp, mode).map_err(werr)?;
    let written = f.write_all(contents).and_then(|()| f.sync_all());
    drop(f);
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(werr(e)),
    }
}

fn read_small(path: &Path) -> Result<Option<String>, LocalCaError> {
    use std::io::Read as _;
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(LocalCaError::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    let meta = f.metadata().map_err(|source| LocalCaError::Read {
        path: path.to_owned(),
        source,
    })?;
    if !meta.is_file() {
        return Err(LocalCaError::Invalid {
            path: path.to_owned(),
            why: "not a regular file".into(),
        });
    }
    let mut text = String::new();
    f.take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|source| LocalCaError::Read {
            path: path.to_owned(),
            source,
        })?;
    Ok(Some(text))
}

impl LocalCa {
    /// The CA certificate's path, if a local CA exists (nothing is made).
    pub fn existing_cert() -> Option<PathBuf> {
        let p = data_dir()?.join(CERT_FILE);
        p.is_file().then_some(p)
    }

    /// The CA certificate, for clients to trust on loopback, if a local CA
    /// exists. Nothing is created by merely connecting.
    pub fn trusted_roots() -> Vec<CertificateDer<'static>> {
        let Some(p) = Self::existing_cert() else {
            return Vec::new();
        };
        match read_small(&p) {
            Ok(Some(pem)) => CertificateDer::pem_slice_iter(pem.as_bytes())
                .filter_map(Result::ok)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The local CA in the data directory, made on first use.
    pub fn load_or_create() -> Result<Self, LocalCaError> {
        let dir = ensure_data_dir()?;
        Self::load_or_create_in(&dir)
    }

    /// The local CA in `dir`, made on first use. Safe against another
    /// process doing the same at the same time: the first key published
    /// wins, and the certificate is made from whichever key won.
    pub fn load_or_create_in(dir: &Path) -> Result<Self, LocalCaError> {
        let key_path = dir.join(KEY_FILE);
        let cert_path = dir.join(CERT_FILE);
        if read_small(&key_path)?.is_none() {
            let key = KeyPair::generate().map_err(IdentityError::from)?;
            publish(&key_path, key.serialize_pem().as_bytes(), 0o600)?;
        }
        let key_pem = read_small(&key_path)?.ok_or_else(|| LocalCaError::Invalid {
            path: key_path.clone(),
            why: "the key vanished while being read".into(),
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_path)
                .map_err(|source| LocalCaError::Read {
                    path: key_path.clone(),
                    source,
                })?
                .permissions()
                .mode()
                & 0o777;
            if mode & 0o077 != 0 {
                return Err(LocalCaError::Permissions {
                    path: key_path,
                    mode,
                });
            }
        }
        let key = KeyPair::from_pem(&key_pem).map_err(|e| LocalCaError::Invalid {
            path: key_path.clone(),
            why: e.to_string(),
        })?;
        if read_small(&cert_path)?.is_none() {
            let cert = ca_params()
                .and_then(|p| p.self_signed(&key))
                .map_err(IdentityError::from)?;
            publish(&cert_path, cert.pem().as_bytes(), 0o644)?;
        }
        let cert_pem = read_small(&cert_path)?.unwrap_or_default();
        let ours = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
            .filter_map(Result::ok)
            .next()
            .ok_or_else(|| LocalCaError::Invalid {
                path: cert_path.clone(),
                why: "no PEM certificate".into(),
            })?;
        // The certificate must be for this key, or nothing it issues will
        // verify.
        let spki = key.public_key_der();
        if !ours.as_ref().windows(spki.len()).any(|w| w == spki) {
            return Err(LocalCaError::Invalid {
                path: cert_path,
                why: format!("its public key is not the one in {KEY_FILE}"),
            });
        }
        Ok(Self {
            dir: dir.to_owned(),
            key,
            cert_pem,
        })
    }

    /// The CA certificate's path.
    pub fn cert_path(&self) -> PathBuf {
        self.dir.join(CERT_FILE)
    }

    /// The CA certificate, as roots to trust (for loopback).
    pub fn roots(&self) -> Vec<CertificateDer<'static>> {
        CertificateDer::pem_slice_iter(self.cert_pem.as_bytes())
            .filter_map(Result::ok)
            .collect()
    }

    /// The CA certificate, PEM.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// A certificate for `localhost`, 127.0.0.1 and ::1 (and `extra`
    /// loopback names), signed by this CA.
    pub fn issue(&self, extra: &[String]) -> Result<Identity, IdentityError> {
        let issuer = ca_params()?.self_signed(&self.key)?;
        let mut names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        names.extend(extra.iter().filter(|n| is_loopback_name(n)).cloned());
        names.dedup();
        Identity::signed_by(&names, &issuer, &self.key, &self.cert_pem)
    }
}

/// Whether a host name or address is loopback: 127.0.0.0/8, ::1 or
/// `localhost` (RFC 6761 §6.3).
pub fn is_loopback_name(host: &str) -> bool {
    let h = host.trim_matches(['[', ']']);
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_reused_and_key_private() {
        let dir = tempfile::tempdir().unwrap();
        let a = LocalCa::load_or_create_in(dir.path()).unwrap();
        let b = LocalCa::load_or_create_in(dir.path()).unwrap();
        assert_eq!(
            a.cert_pem(),
            b.cert_pem(),
            "the second use reads the first CA"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |f: &str| {
                std::fs::metadata(dir.path().join(f))
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777
            };
            assert_eq!(mode(KEY_FILE), 0o600);
            assert_eq!(mode(CERT_FILE), 0o644);
        }
        a.issue(&[]).unwrap();
    }

    #[test]
    fn a_key_others_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        LocalCa::load_or_create_in(dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.path().join(KEY_FILE),
                std::fs::Permissions::from_mode(0o644),
            )
            .unwrap();
            let e = LocalCa::load_or_create_in(dir.path()).unwrap_err();
            assert!(matches!(e, LocalCaError::Permissions { .. }), "{e}");
        }
    }

    #[test]
    fn a_missing_certificate_is_made_again_from_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let a = LocalCa::load_or_create_in(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join(CERT_FILE)).unwrap();
        let b = LocalCa::load_or_create_in(dir.path()).unwrap();
        assert_ne!(a.cert_pem(), "");
        // Same key: what the old certificate's holders trust still verifies.
        assert!(b.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn loopback_names() {
        for h in [
            "localhost",
            "127.0.0.1",
            "127.8.9.1",
            "::1",
            "[::1]",
            "LOCALHOST",
        ] {
            assert!(is_loopback_name(h), "{h}");
        }
        for h in [
            "example.org",
            "10.0.0.1",
            "0.0.0.0",
            "localhost.example",
            "::",
        ] {
            assert!(!is_loopback_name(h), "{h}");
        }
    }
}

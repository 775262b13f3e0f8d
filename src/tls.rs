//! TLS for the whole program on one crypto provider, aws-lc-rs: client
//! configs (the IMAP client, the reference server's push sender) that trust
//! webpki-roots plus any extra PEM roots, and server identities (the
//! reference server, the push endpoint), given as PEM files or generated at
//! start as a throwaway CA and a certificate for loopback.
//!
//! Skipping verification is possible only through [`Trust::dangerous_accept_any`],
//! the one named path that `--insecure` takes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};

/// The program's one crypto provider. Building configs from it explicitly
/// (rather than from a process default) means no other provider can be
/// picked up by accident.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read CA file {path}: {reason}")]
    CaFile { path: PathBuf, reason: String },
    #[error("CA file {0} holds no PEM certificate")]
    CaFileEmpty(PathBuf),
    #[error("cannot build the TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// Which server certificates to accept.
#[derive(Debug, Clone)]
pub enum Trust {
    /// webpki-roots (the Mozilla set), plus these extra roots, plus
    /// `loopback_roots` for loopback hosts only (the local CA).
    Verified {
        extra_roots: Vec<CertificateDer<'static>>,
        loopback_roots: Vec<CertificateDer<'static>>,
    },
    /// Accept any certificate. Only for `--insecure`.
    DangerousAcceptAny,
}

impl Trust {
    /// webpki-roots alone.
    pub fn webpki() -> Self {
        Self::Verified {
            extra_roots: Vec::new(),
            loopback_roots: Vec::new(),
        }
    }

    /// webpki-roots plus every certificate in these PEM files.
    pub fn with_ca_files<P: AsRef<Path>>(paths: &[P]) -> Result<Self, TlsError> {
        let mut extra_roots = Vec::new();
        for p in paths {
            extra_roots.extend(load_pem_certs(p.as_ref())?);
        }
        Ok(Self::Verified {
            extra_roots,
            loopback_roots: Vec::new(),
        })
    }

    /// Also trusts `roots`, but only when the server is a loopback host
    /// (127.0.0.0/8, ::1, `localhost`): how the local CA is trusted.
    pub fn with_loopback_roots(self, roots: Vec<CertificateDer<'static>>) -> Self {
        match self {
            Self::Verified {
                extra_roots,
                mut loopback_roots,
            } => {
                loopback_roots.extend(roots);
                Self::Verified {
                    extra_roots,
                    loopback_roots,
                }
            }
            other => other,
        }
    }

    /// Also trusts the user's local CA for loopback hosts, if it exists.
    pub fn with_local_ca(self) -> Self {
        self.with_loopback_roots(crate::localca::LocalCa::trusted_roots())
    }

    /// Accepts any certificate: the connection is encrypted but not
    /// authenticated. Callers must warn the user.
    /// Webpki roots plus every certificate in `pem` (a CA made at start).
    pub fn with_ca_pem(pem: &str) -> Result<Self, TlsError> {
        let extra_roots = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TlsError::CaFile {
                path: PathBuf::from("(generated CA)"),
                reason: e.to_string(),
            })?;
        Ok(Self::Verified {
            extra_roots,
            loopback_roots: Vec::new(),
        })
    }

    pub fn dangerous_accept_any() -> Self {
        Self::DangerousAcceptAny
    }

    pub fn client_config(&self) -> Result<Arc<ClientConfig>, TlsError> {
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?;
        let store = |extra: &[&[CertificateDer<'static>]]| -> Result<RootCertStore, TlsError> {
            let mut roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            for c in extra.iter().flat_map(|e| e.iter()) {
                roots.add(c.clone())?;
            }
            Ok(roots)
        };
        let config = match self {
            Self::Verified {
                extra_roots,
                loopback_roots,
            } if loopback_roots.is_empty() => builder
                .with_root_certificates(store(&[extra_roots])?)
                .with_no_client_auth(),
            Self::Verified {
                extra_roots,
                loopback_roots,
            } => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(LoopbackScoped::new(
                    store(&[extra_roots])?,
                    store(&[extra_roots, loopback_roots])?,
                )?))
                .with_no_client_auth(),
            Self::DangerousAcceptAny => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider())))
                .with_no_client_auth(),
        };
        Ok(Arc::new(config))
    }
}

/// Verifies with the local CA among the roots for loopback server names,
/// and without it for every other name. (Not a weakening: both halves are
/// full webpki verification.)
#[derive(Debug)]
struct LoopbackScoped {
    general: Arc<rustls::client::WebPkiServerVerifier>,
    loopback: Arc<rustls::client::WebPkiServerVerifier>,
}

impl LoopbackScoped {
    fn new(general: RootCertStore, loopback: RootCertStore) -> Result<Self, TlsError> {
        let verifier = |roots: RootCertStore| {
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
                .build()
                .map_err(|e| TlsError::Config(rustls::Error::General(e.to_string())))
        };
        Ok(Self {
            general: verifier(general)?,
            loopback: verifier(loopback)?,
        })
    }
}

impl ServerCertVerifier for LoopbackScoped {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let loopback = match server_name {
            ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).is_loopback(),
            ServerName::DnsName(d) => d.as_ref().eq_ignore_ascii_case("localhost"),
            _ => false,
        };
        let v = if loopback {
            &self.loopback
        } else {
            &self.general
        };
        v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.general.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.general.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.general.supported_verify_schemes()
    }
}

/// A server's certificate chain and key, and its CA when generated here.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    /// The generated CA certificate, PEM: what a client is told to trust.
    pub ca_pem: Option<String>,
}

impl Clone for Identity {
    fn clone(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            key: self.key.clone_key(),
            ca_pem: self.ca_pem.clone(),
        }
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("chain", &self.chain.len())
            .finish_non_exhaustive()
    }
}

/// Why a server identity could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("cannot generate a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("cannot read the private key in {path}: {reason}")]
    Key { path: PathBuf, reason: String },
    #[error(transparent)]
    Certs(#[from] TlsError),
}

impl Identity {
    /// A fresh CA and, signed by it, a certificate for `names` (DNS names
    /// or IP addresses). Clients trust the CA (`ca_pem`); the CA's key is
    /// dropped here, so it can sign nothing else.
    pub fn generate(names: &[&str]) -> Result<Self, IdentityError> {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let ca_key = KeyPair::generate()?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "imapwebpush throwaway CA");
        let ca = ca_params.self_signed(&ca_key)?;
        let key = KeyPair::generate()?;
        let mut params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())?;
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().copied().unwrap_or("localhost"),
        );
        let cert = params.signed_by(&key, &ca, &ca_key)?;
        Ok(Self {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            ca_pem: Some(ca.pem()),
        })
    }

    /// A certificate for `names`, signed by `issuer` (whose certificate,
    /// PEM, clients are told to trust).
    pub fn signed_by(
        names: &[String],
        issuer: &rcgen::Certificate,
        issuer_key: &rcgen::KeyPair,
        issuer_pem: &str,
    ) -> Result<Self, IdentityError> {
        use rcgen::{CertificateParams, DnType, KeyPair};
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(names.to_vec())?;
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().map_or("localhost", String::as_str),
        );
        let cert = params.signed_by(&key, issuer, issuer_key)?;
        Ok(Self {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            ca_pem: Some(issuer_pem.to_owned()),
        })
    }

    /// A chain and key from PEM files.
    pub fn from_files(cert: &Path, key: &Path) -> Result<Self, IdentityError> {
        let chain = load_pem_certs(cert)?;
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| IdentityError::Key {
            path: key.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            chain,
            key,
            ca_pem: None,
        })
    }

    /// A rustls server config offering these ALPN protocols.
    pub fn server_config(&self, alpn: &[&[u8]]) -> Result<Arc<ServerConfig>, TlsError> {
        let mut config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())?;
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(config))
    }
}

/// Every certificate in a PEM file.
pub fn load_pem_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let err = |reason: String| TlsError::CaFile {
        path: path.to_owned(),
        reason,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| err(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err(e.to_string()))?;
    if certs.is_empty() {
        return Err(TlsError::CaFileEmpty(path.to_owned()));
    }
    Ok(certs)
}

/// If an I/O error from a handshake wraps a certificate problem, a sentence
/// that names it and says what to do.
pub fn explain_handshake_error(e: &std::io::Error) -> (String, Option<&'static str>) {
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
    match inner {
        Some(rustls::Error::InvalidCertificate(cert)) => {
            use rustls::CertificateError as C;
            let hint = match cert {
                C::UnknownIssuer | C::BadSignature => {
                    "the server's certificate is not signed by a trusted CA: pass --ca-file PEM to trust its issuer, or --insecure to skip verification (testing only)"
                }
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "the certificate is for another name: connect with the host name it was issued for"
                }
                C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. } => {
                    "the certificate is outside its validity period: check the server's certificate and this machine's clock"
                }
                _ => "check the server's certificate, or pass --ca-file PEM",
            };
            (format!("invalid server certificate: {cert:?}"), Some(hint))
        }
        Some(rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType)) => (
            "the server did not answer in TLS".to_owned(),
            Some("this port speaks plaintext first: use imap:// (STARTTLS), or the implicit-TLS port (993) with imaps://"),
        ),
        Some(other) => (format!("TLS error: {other}"), None),
        None => (e.to_string(), None),
    }
}

/// The verifier behind [`Trust::DangerousAcceptAny`]: checks handshake
/// signatures (so the session is still keyed to the certificate) but not
/// the certificate's chain, name or dates.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The local CA vouches for loopback names only: a certificate it
    /// signed for another name is refused even when the CA itself would
    /// allow it (this CA has no name constraints, to test the scoping
    /// alone).
    #[test]
    fn loopback_roots_apply_to_loopback_names_only() {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = p.clone().self_signed(&ca_key).unwrap();
        let leaf = |name: &str| {
            let k = KeyPair::generate().unwrap();
            CertificateParams::new(vec![name.to_owned()])
                .unwrap()
                .signed_by(&k, &ca, &ca_key)
                .unwrap()
                .der()
                .clone()
        };
        let store = |extra: &[CertificateDer<'static>]| {
            let mut r = RootCertStore::empty();
            for c in extra {
                r.add(c.clone()).unwrap();
            }
            r
        };
        // The general roots hold some other CA (in real use: webpki-roots).
        let other = p.self_signed(&KeyPair::generate().unwrap()).unwrap();
        let scoped = LoopbackScoped::new(
            store(&[other.der().clone()]),
            store(&[other.der().clone(), ca.der().clone()]),
        )
        .unwrap();
        let now = UnixTime::now();
        let verify = |cert: &CertificateDer<'_>, name: &str| {
            scoped.verify_server_cert(
                cert,
                &[],
                &ServerName::try_from(name.to_owned()).unwrap(),
                &[],
                now,
            )
        };
        assert!(verify(&leaf("127.0.0.1"), "127.0.0.1").is_ok());
        assert!(verify(&leaf("localhost"), "localhost").is_ok());
        assert!(verify(&leaf("example.org"), "example.org").is_err());
    }
}

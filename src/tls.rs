//! TLS for every client side of the program (the IMAP client, and the
//! reference server's push sender): one crypto provider, aws-lc-rs, and
//! trust in webpki-roots plus any extra PEM roots.
//!
//! Skipping verification is possible only through [`Trust::dangerous_accept_any`],
//! the one named path that `--insecure` takes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

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
    /// webpki-roots (the Mozilla set), plus these extra roots.
    Verified {
        extra_roots: Vec<CertificateDer<'static>>,
    },
    /// Accept any certificate. Only for `--insecure`.
    DangerousAcceptAny,
}

impl Trust {
    /// webpki-roots plus every certificate in these PEM files.
    pub fn with_ca_files<P: AsRef<Path>>(paths: &[P]) -> Result<Self, TlsError> {
        let mut extra_roots = Vec::new();
        for p in paths {
            extra_roots.extend(load_pem_certs(p.as_ref())?);
        }
        Ok(Self::Verified { extra_roots })
    }

    /// Accepts any certificate: the connection is encrypted but not
    /// authenticated. Callers must warn the user.
    pub fn dangerous_accept_any() -> Self {
        Self::DangerousAcceptAny
    }

    pub fn client_config(&self) -> Result<Arc<ClientConfig>, TlsError> {
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?;
        let config = match self {
            Self::Verified { extra_roots } => {
                let mut roots = RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                };
                for c in extra_roots {
                    roots.add(c.clone())?;
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
            Self::DangerousAcceptAny => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider())))
                .with_no_client_auth(),
        };
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

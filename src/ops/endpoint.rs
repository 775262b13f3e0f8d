//! What front ends need to run a push endpoint: the keys file (loaded, or
//! made on first use), the endpoint's TLS and URL from plain options, and
//! the CA file a server must trust.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::endpoint::{
    self, Answer, EndpointConfig, EndpointHandle, EndpointTls, Event, PublicKeys,
};
use crate::push::keys::{KeyError, Keys};
use crate::tls::Identity;
use crate::webpush::VapidKey;

/// The keys file: `path` or the default path; created (0600) if missing.
/// Returns the keys and the path they live at.
pub fn load_or_create_keys(path: Option<&Path>) -> Result<(Keys, PathBuf), KeyError> {
    let path = match path {
        Some(p) => p.to_owned(),
        None => Keys::default_path()?,
    };
    match Keys::load(&path, false) {
        Ok(k) => Ok((k, path)),
        Err(KeyError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            let keys = Keys::generate()?;
            keys.save(&path, false)?;
            Ok((keys, path))
        }
        Err(e) => Err(e),
    }
}

/// Writes a throwaway CA certificate into the data directory (mode 0700,
/// so nobody else can plant or swap it), as `name`, replacing an older one
/// of that name, created exclusively; returns the path as shown.
pub fn write_ca(name: &str, pem: &str) -> anyhow::Result<String> {
    let dir = crate::localca::ensure_data_dir()?;
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    write_new(&path, pem.as_bytes(), 0o644)?;
    Ok(path.display().to_string())
}

/// Creates `path` exclusively with `mode` and writes `contents`.
pub fn write_new(path: &Path, contents: &[u8], mode: u32) -> anyhow::Result<()> {
    use std::io::Write as _;
    crate::secret::create_new(path, mode)
        .and_then(|mut f| f.write_all(contents))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// How the endpoint serves: plain http, a certificate from the local CA
/// (loopback), one from a throwaway CA made now, or one from files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsChoice {
    Plain,
    LocalCa,
    SelfSigned,
    Files { cert: PathBuf, key: PathBuf },
}

/// An endpoint's options, resolved from a front end's flags.
#[derive(Debug, Clone)]
pub struct EndpointSpec {
    pub listen: std::net::SocketAddr,
    pub public_url: Option<String>,
    pub tls: TlsChoice,
}

/// A started endpoint, its keys, and the CA file a server must trust
/// (with a self-signed certificate).
pub struct Started {
    pub handle: EndpointHandle,
    pub keys: Arc<Keys>,
    pub ca_file: Option<String>,
}

impl Started {
    /// The `listening` event.
    pub fn listening(&self) -> Event {
        Event::Listening {
            endpoint: self.handle.url.clone(),
            keys: PublicKeys {
                p256dh: self.keys.p256dh.to_string(),
                auth: self.keys.auth.to_string(),
            },
            ca_file: self.ca_file.clone(),
        }
    }
}

/// The names a self-signed endpoint certificate covers.
fn certificate_names(spec: &EndpointSpec) -> Vec<String> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if !spec.listen.ip().is_unspecified() {
        names.push(spec.listen.ip().to_string());
    }
    if let Some(host) = spec
        .public_url
        .as_deref()
        .and_then(|u| u.parse::<hyper::Uri>().ok())
        .and_then(|u| u.host().map(|h| h.trim_matches(['[', ']']).to_owned()))
    {
        names.push(host);
    }
    names.dedup();
    names
}

/// Starts the endpoint as `spec` says.
pub async fn start(
    spec: &EndpointSpec,
    keys: Keys,
    expected: Option<VapidKey>,
    answer: Option<Answer>,
) -> anyhow::Result<Started> {
    let tls = match &spec.tls {
        TlsChoice::SelfSigned => {
            let names = certificate_names(spec);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            EndpointTls::Identity(Identity::generate(&refs)?)
        }
        TlsChoice::LocalCa => EndpointTls::Identity(
            crate::localca::LocalCa::load_or_create()?.issue(&certificate_names(spec))?,
        ),
        TlsChoice::Files { cert, key } => EndpointTls::Identity(Identity::from_files(cert, key)?),
        TlsChoice::Plain => EndpointTls::None,
    };
    // Only a throwaway CA needs a file for the server to be told about;
    // the local CA's certificate is already in the data directory.
    let ca_pem = match (&tls, &spec.tls) {
        (EndpointTls::Identity(i), TlsChoice::SelfSigned) => i.ca_pem.clone(),
        _ => None,
    };
    let keys = Arc::new(keys);
    let mut config = EndpointConfig::new(keys.clone());
    config.listen = spec.listen;
    config.public_url = spec.public_url.clone();
    config.tls = tls;
    config.expected_vapid = expected;
    config.answer = answer;
    let handle = endpoint::start(config).await?;
    let ca_file = match (&ca_pem, &spec.tls) {
        (Some(pem), _) => Some(write_ca(
            &format!("endpoint-ca-{}.pem", handle.local_addr.port()),
            pem,
        )?),
        (None, TlsChoice::LocalCa) => {
            crate::localca::LocalCa::existing_cert().map(|p| p.display().to_string())
        }
        _ => None,
    };
    Ok(Started {
        handle,
        keys,
        ca_file,
    })
}

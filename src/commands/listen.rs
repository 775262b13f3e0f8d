//! `listen`: the push endpoint alone. Also home of [`start_endpoint`],
//! which `subscribe` shares: keys, TLS and URL from [`EndpointOpts`].

use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::EndpointOpts;
use crate::endpoint::{
    self, EndpointConfig, EndpointHandle, EndpointTls, Event, PublicKeys, Reply,
};
use crate::output::Printer;
use crate::push::keys::{KeyError, Keys};
use crate::tls::Identity;
use crate::webpush::VapidKey;

use super::{Exit, UsageError};

/// The keys file: `--keys` or the default path; created (0600) if missing.
pub fn load_or_create_keys(path: Option<&PathBuf>) -> anyhow::Result<(Keys, PathBuf)> {
    let path = match path {
        Some(p) => p.clone(),
        None => Keys::default_path()?,
    };
    match Keys::load(&path, false) {
        Ok(k) => Ok((k, path)),
        Err(KeyError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            let keys = Keys::generate()?;
            keys.save(&path, false)?;
            Ok((keys, path))
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes a generated CA certificate (public, so not 0600) where the
/// other side can be told to trust it; returns the path as shown.
pub fn write_ca(path: &std::path::Path, pem: &str) -> anyhow::Result<String> {
    std::fs::write(path, pem).map_err(|e| {
        anyhow::anyhow!("cannot write the CA certificate to {}: {e}", path.display())
    })?;
    Ok(path.display().to_string())
}

/// A started endpoint, its keys, and the CA file a server must trust
/// (with `--tls-self-signed`).
pub struct Started {
    pub handle: EndpointHandle,
    pub keys: Arc<Keys>,
    pub ca_file: Option<String>,
}

impl Started {
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

/// Starts the endpoint as the options say.
pub async fn start_endpoint(
    opts: &EndpointOpts,
    keys: Keys,
    expected: Option<VapidKey>,
    reply: Option<Reply>,
) -> anyhow::Result<Started> {
    let tls = if opts.tls_self_signed {
        let mut names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        if !opts.listen.ip().is_unspecified() {
            names.push(opts.listen.ip().to_string());
        }
        if let Some(host) = opts
            .public_url
            .as_deref()
            .and_then(|u| u.parse::<hyper::Uri>().ok())
            .and_then(|u| u.host().map(|h| h.trim_matches(['[', ']']).to_owned()))
        {
            names.push(host);
        }
        names.dedup();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        EndpointTls::Identity(Identity::generate(&refs)?)
    } else if let (Some(c), Some(k)) = (&opts.tls_cert, &opts.tls_key) {
        EndpointTls::Identity(Identity::from_files(c, k)?)
    } else {
        EndpointTls::None
    };
    let ca_pem = match &tls {
        EndpointTls::Identity(i) => i.ca_pem.clone(),
        EndpointTls::None => None,
    };
    let keys = Arc::new(keys);
    let mut config = EndpointConfig::new(keys.clone());
    config.listen = opts.listen;
    config.public_url = opts.public_url.clone();
    config.tls = tls;
    config.expected_vapid = expected;
    config.reply = reply;
    let handle = endpoint::start(config).await?;
    let ca_file = ca_pem
        .as_deref()
        .map(|pem| {
            let path = std::env::temp_dir().join(format!(
                "imapwebpush-endpoint-ca-{}.pem",
                handle.local_addr.port()
            ));
            write_ca(&path, pem)
        })
        .transpose()?;
    Ok(Started {
        handle,
        keys,
        ca_file,
    })
}

pub async fn run(
    printer: Printer,
    opts: &EndpointOpts,
    vapid: Option<&str>,
    reply: Option<Reply>,
) -> anyhow::Result<Exit> {
    let expected = vapid
        .map(|v| {
            VapidKey::parse(v).map_err(|e| {
                UsageError::new(
                    format!("--vapid: {e}"),
                    "give the key GETVAPID prints (imapwebpush getvapid)".to_owned(),
                )
            })
        })
        .transpose()?;
    let (keys, _) = load_or_create_keys(opts.keys.as_ref())?;
    let mut started = start_endpoint(opts, keys, expected, reply).await?;
    printer.event(&started.listening())?;
    let mut pushes = 0u64;
    if opts.count == Some(0) {
        return Ok(Exit::Success);
    }
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            ev = started.handle.events.recv() => {
                let Some(ev) = ev else { break };
                printer.event(&ev)?;
                if matches!(ev, Event::Push(_)) {
                    pushes += 1;
                    if opts.count.is_some_and(|c| pushes >= c) {
                        break;
                    }
                }
            }
        }
    }
    Ok(Exit::Success)
}

//! The subscriber's keys: a P-256 keypair for RFC 8291 and a 16-byte auth
//! secret, kept in a JSON file (mode 0600) so that captured pushes can be
//! decrypted later:
//!
//! ```json
//! {"private_key":"<b64url 32-byte scalar>","p256dh":"<b64url 65 bytes>",
//!  "auth":"<b64url 16 bytes>","subscription_id":"<optional>"}
//! ```
//!
//! Like ssh with its private keys, a file that other users can read is
//! refused unless the caller forces it.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::b64;
use super::ece::UaKeys;
use crate::webpush::{AuthSecret, P256dh};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} already exists")]
    Exists { path: PathBuf },
    #[error("{path} is readable by other users (mode {mode:o})")]
    Permissions { path: PathBuf, mode: u32 },
    #[error("{path} is not a keys file: {why}")]
    Format { path: PathBuf, why: String },
    #[error("invalid {what}: {why}")]
    Field { what: &'static str, why: String },
    #[error("no data directory: set XDG_DATA_HOME or HOME, or pass --keys FILE")]
    NoDataDir,
}

impl KeyError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Exists { .. } => {
                Some("pass --force to replace it (the old keys are lost)".into())
            }
            Self::Permissions { path, .. } => Some(format!("run: chmod 600 {}", path.display())),
            Self::Read { .. } => Some("create keys with: imapwebpush keys generate".into()),
            Self::Format { path, .. } => Some(format!(
                "the file is damaged or not a keys file: move {} aside and run `imapwebpush keys generate` (payloads encrypted for the old keys can no longer be decoded)",
                path.display()
            )),
            _ => None,
        }
    }
}

/// The largest keys or VAPID key file read (they hold a few hundred bytes).
pub const MAX_KEY_FILE: u64 = 64 * 1024;

/// Reads a small regular file: at most `max` bytes are read whatever the
/// file claims, and a FIFO, device or directory is refused before it is
/// opened (reading one could block forever or never end).
pub fn read_small_file(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind};
    let not_regular = || Error::new(ErrorKind::InvalidInput, "not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let f = std::fs::File::open(path)?;
    // Checked again on what was opened, in case the path changed between.
    if !f.metadata()?.is_file() {
        return Err(not_regular());
    }
    let mut out = Vec::new();
    f.take(max + 1).read_to_end(&mut out)?;
    if out.len() as u64 > max {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("larger than {} KiB", max / 1024),
        ));
    }
    Ok(out)
}

/// The file's JSON shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyFile {
    private_key: String,
    p256dh: String,
    auth: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subscription_id: Option<String>,
}

/// A subscriber's keys, ready to decrypt.
#[derive(Debug)]
pub struct Keys {
    pub ua: UaKeys,
    pub p256dh: P256dh,
    pub auth: AuthSecret,
    pub subscription_id: Option<String>,
}

fn field(what: &'static str, why: impl ToString) -> KeyError {
    KeyError::Field {
        what,
        why: why.to_string(),
    }
}

impl Keys {
    pub fn generate() -> Result<Self, KeyError> {
        Self::from_ua(UaKeys::generate().map_err(|e| field("keys", e))?, None)
    }

    fn from_ua(ua: UaKeys, subscription_id: Option<String>) -> Result<Self, KeyError> {
        let p256dh = P256dh::from_point(ua.public()).map_err(|e| field("public key", e))?;
        let auth = AuthSecret::from_bytes(*ua.auth());
        Ok(Self {
            ua,
            p256dh,
            auth,
            subscription_id,
        })
    }

    /// From a base64 private scalar and auth secret (`decode --private-key
    /// … --auth …`); the public key is derived.
    pub fn from_parts(private_key: &str, auth: &str) -> Result<Self, KeyError> {
        let scalar = b64::decode(private_key).map_err(|e| field("private key", e))?;
        let auth_bytes: [u8; 16] = b64::decode(auth)
            .map_err(|e| field("auth secret", e))?
            .try_into()
            .map_err(|v: Vec<u8>| {
                field("auth secret", format!("{} bytes, expected 16", v.len()))
            })?;
        let ua = UaKeys::from_private(&scalar, auth_bytes).map_err(|e| field("private key", e))?;
        Self::from_ua(ua, None)
    }

    /// `$XDG_DATA_HOME/imapwebpush/keys.json`, else
    /// `~/.local/share/imapwebpush/keys.json`.
    pub fn default_path() -> Result<PathBuf, KeyError> {
        let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            Some(d) => PathBuf::from(d),
            None => PathBuf::from(
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .ok_or(KeyError::NoDataDir)?,
            )
            .join(".local/share"),
        };
        Ok(base.join("imapwebpush").join("keys.json"))
    }

    /// Reads a keys file; refuses one that group or others can read unless
    /// `allow_loose_permissions`.
    pub fn load(path: &Path, allow_loose_permissions: bool) -> Result<Self, KeyError> {
        let read_err = |source| KeyError::Read {
            path: path.to_owned(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(read_err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 && !allow_loose_permissions {
                return Err(KeyError::Permissions {
                    path: path.to_owned(),
                    mode,
                });
            }
        }
        let text = read_small_file(path, MAX_KEY_FILE).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput => {
                KeyError::Format {
                    path: path.to_owned(),
                    why: e.to_string(),
                }
            }
            _ => read_err(e),
        })?;
        let file: KeyFile = serde_json::from_slice(&text).map_err(|e| KeyError::Format {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
        let keys = Self::from_parts(&file.private_key, &file.auth)?;
        if keys.p256dh.as_str() != file.p256dh {
            return Err(KeyError::Format {
                path: path.to_owned(),
                why: "p256dh is not the public key of private_key".into(),
            });
        }
        Ok(Self {
            subscription_id: file.subscription_id,
            ..keys
        })
    }

    /// Writes the file with mode 0600 (the directory is created, 0700).
    /// An existing file is replaced only with `overwrite`.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<(), KeyError> {
        let file = KeyFile {
            private_key: b64::encode(
                self.ua
                    .private_scalar()
                    .map_err(|e| field("private key", e))?
                    .expose(),
            ),
            p256dh: self.p256dh.to_string(),
            auth: self.auth.to_string(),
            subscription_id: self.subscription_id.clone(),
        };
        let mut text = serde_json::to_vec_pretty(&file).expect("serializable");
        text.push(b'\n');
        crate::secret::write_private_file(path, &text, overwrite).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                KeyError::Exists {
                    path: path.to_owned(),
                }
            } else {
                KeyError::Write {
                    path: path.to_owned(),
                    source: e,
                }
            }
        })
    }

    /// The W3C PushSubscription JSON for these keys.
    pub fn subscription_json(&self, endpoint: Option<&str>) -> serde_json::Value {
        serde_json::json!({
            "endpoint": endpoint,
            "keys": {"p256dh": self.p256dh.as_str(), "auth": self.auth.as_str()},
        })
    }
}

//! `serve --vapid-key FILE`: the server's VAPID key pair as JSON, mode
//! 0600: `{"private_key": "<base64url scalar>", "public_key": "<base64url point>"}`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::push::b64;
use crate::push::vapid::VapidSigner;

#[derive(Serialize, Deserialize)]
struct VapidFile {
    private_key: String,
    /// Informational; the key is derived from `private_key`.
    #[serde(default)]
    public_key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum VapidFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a VAPID key file: {reason}")]
    Format { path: String, reason: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Loads the key, or creates the file with a new one when it is missing.
pub fn load_or_create(path: &Path) -> Result<VapidSigner, VapidFileError> {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => {
            let format = |reason: String| VapidFileError::Format {
                path: shown.clone(),
                reason,
            };
            let file: VapidFile =
                serde_json::from_slice(&bytes).map_err(|e| format(e.to_string()))?;
            let scalar = b64::decode(&file.private_key)
                .map_err(|_| format("private_key is not base64url".into()))?;
            VapidSigner::from_private(&scalar).map_err(|e| format(e.to_string()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let signer = VapidSigner::generate().map_err(|e| VapidFileError::Format {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
            save(path, &signer)?;
            Ok(signer)
        }
        Err(source) => Err(VapidFileError::Read {
            path: shown,
            source,
        }),
    }
}

/// Writes (or replaces) the file, mode 0600.
pub fn save(path: &Path, signer: &VapidSigner) -> Result<(), VapidFileError> {
    let shown = path.display().to_string();
    let scalar = signer
        .private_scalar()
        .map_err(|e| VapidFileError::Format {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
    let file = VapidFile {
        private_key: b64::encode(scalar.expose()),
        public_key: signer.public().to_string(),
    };
    let mut text = serde_json::to_vec_pretty(&file).unwrap_or_default();
    text.push(b'\n');
    crate::secret::write_private_file(path, &text, true).map_err(|source| VapidFileError::Write {
        path: shown,
        source,
    })
}

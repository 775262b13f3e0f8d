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
    /// Like ssh with its private keys, and like the subscriber's keys
    /// file: a key others can read is refused.
    #[error("{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}")]
    Permissions { path: String, mode: u32 },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Loads the key, or creates the file with a new one when it is missing.
/// The file must be a regular file of at most 64 KiB that only its owner
/// can read.
pub fn load_or_create(path: &Path) -> Result<VapidSigner, VapidFileError> {
    let shown = path.display().to_string();
    match read_private(path) {
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
        Err(ReadPrivate::Loose(mode)) => Err(VapidFileError::Permissions { path: shown, mode }),
        Err(ReadPrivate::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            let signer = VapidSigner::generate().map_err(|e| VapidFileError::Format {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
            save(path, &signer)?;
            Ok(signer)
        }
        Err(ReadPrivate::Io(source)) => Err(VapidFileError::Read {
            path: shown,
            source,
        }),
    }
}

enum ReadPrivate {
    /// Group or others may read it: the mode.
    Loose(u32),
    Io(std::io::Error),
}

fn read_private(path: &Path) -> Result<Vec<u8>, ReadPrivate> {
    let meta = std::fs::metadata(path).map_err(ReadPrivate::Io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_file() && mode & 0o077 != 0 {
            return Err(ReadPrivate::Loose(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    crate::push::keys::read_small_file(path, crate::push::keys::MAX_KEY_FILE)
        .map_err(ReadPrivate::Io)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn loose_large_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vapid.json");
        let signer = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap().public(), signer.public());

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load_or_create(&path).unwrap_err();
        assert!(
            matches!(e, VapidFileError::Permissions { mode: 0o644, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("chmod 600"), "{e}");

        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; 100 << 10]).unwrap();
        std::fs::set_permissions(&big, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = load_or_create(&big).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");

        // A directory stands in for a FIFO: not a regular file, refused
        // before it is opened.
        let e = load_or_create(dir.path()).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
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

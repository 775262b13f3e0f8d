//! `keys generate` and `keys show`.

use std::fmt;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::exit::{Exit, UsageError};
use crate::output;
use crate::push::keys::Keys;

use super::Context;

#[derive(Debug, Clone, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub action: KeysAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum KeysAction {
    /// Generate a P-256 keypair and auth secret into a file (mode 0600)
    Generate {
        /// Where to write (default: $XDG_DATA_HOME/imapwebpush/keys.json)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
    /// Print the keys as a W3C PushSubscription JSON
    Show {
        /// Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)
        #[arg(long, value_name = "FILE")]
        keys: Option<PathBuf>,
        /// The endpoint URL to put in the JSON (else null)
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// Also draw the JSON as a terminal QR code
        #[arg(long)]
        qr: bool,
        /// Read the file even if other users can read it
        #[arg(long)]
        force: bool,
    },
}

/// What `keys generate` made.
#[derive(Debug, Serialize)]
struct Generated {
    path: String,
    p256dh: String,
    auth: String,
}

impl fmt::Display for Generated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "wrote {} (mode 0600)", self.path)?;
        writeln!(f, "p256dh: {}", self.p256dh)?;
        writeln!(f, "auth:   {}", self.auth)
    }
}

pub fn run(cx: &Context, a: &KeysArgs) -> anyhow::Result<Exit> {
    match &a.action {
        KeysAction::Generate { out, force } => {
            let path = match out {
                Some(p) => p.clone(),
                None => Keys::default_path()?,
            };
            let keys = Keys::generate()?;
            keys.save(&path, *force)?;
            cx.out.show(&Generated {
                path: path.display().to_string(),
                p256dh: keys.p256dh.to_string(),
                auth: keys.auth.to_string(),
            })?;
        }
        KeysAction::Show {
            keys,
            endpoint,
            qr,
            force,
        } => {
            let path = match keys {
                Some(p) => p.clone(),
                None => Keys::default_path()?,
            };
            if let Some(e) = endpoint {
                crate::webpush::Endpoint::parse_allowing_http(e).map_err(|err| {
                    UsageError::new(
                        format!("--endpoint {e:?}: {err}"),
                        "give the push endpoint URL, e.g. https://push.example.net/…".to_owned(),
                    )
                })?;
            }
            let k = Keys::load(&path, *force)?;
            let json = k.subscription_json(endpoint.as_deref());
            // The W3C JSON is the output in both modes: compact for
            // --json, indented for people.
            let text = if cx.out.is_json() {
                json.to_string()
            } else {
                serde_json::to_string_pretty(&json)?
            };
            let mut out = format!("{text}\n");
            if *qr {
                out.push_str(&output::qr(&json.to_string()));
                out.push('\n');
            }
            cx.out.plain(&out)?;
        }
    }
    Ok(Exit::Success)
}

//! `keys generate` and `keys show`.

use std::fmt;

use serde::Serialize;

use crate::cli::KeysAction;
use crate::output::{self, Printer};
use crate::push::keys::Keys;

use super::Exit;

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

pub fn run(printer: Printer, action: &KeysAction) -> anyhow::Result<Exit> {
    match action {
        KeysAction::Generate { out, force } => {
            let path = match out {
                Some(p) => p.clone(),
                None => Keys::default_path()?,
            };
            let keys = Keys::generate()?;
            keys.save(&path, *force)?;
            printer.show(&Generated {
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
            let k = Keys::load(&path, *force)?;
            let json = k.subscription_json(endpoint.as_deref());
            // The W3C JSON is the output in both modes: compact for
            // --json, indented for people.
            let text = if printer.is_json() {
                json.to_string()
            } else {
                serde_json::to_string_pretty(&json)?
            };
            let mut out = format!("{text}\n");
            if *qr {
                out.push_str(&output::qr(&json.to_string()));
                out.push('\n');
            }
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(Exit::Success)
}

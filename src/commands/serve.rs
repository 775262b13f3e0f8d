//! `serve`: run the reference server until Ctrl-C, logging every push it
//! sends and what the push service answered.

use std::time::Duration;

use colored::Colorize;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use crate::cli::{GlobalOpts, ServeArgs};
use crate::output::{self, Printer};
use crate::secret::Secret;
use crate::server::{self, vapid_file, AccountSpec, Delivery, Outcome, ServerConfig};
use crate::tls::{Identity, Trust};

use super::{Exit, UsageError};

/// `NAME:PASS` pairs, defaulting to `demo:demo`; the first is the admin
/// unless `--admin` names others.
pub fn accounts(users: &[String], admins: &[String]) -> Result<Vec<AccountSpec>, UsageError> {
    let users: Vec<String> = if users.is_empty() {
        vec!["demo:demo".into()]
    } else {
        users.to_vec()
    };
    let mut out: Vec<AccountSpec> = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let Some((name, pass)) = u.split_once(':') else {
            return Err(UsageError::new(
                format!("--user {u:?} is not NAME:PASS"),
                "give each account as --user alice:secret".to_owned(),
            ));
        };
        if name.is_empty()
            || name
                .bytes()
                .any(|c| !crate::webpush::types::is_atom_char(c))
        {
            return Err(UsageError::new(
                format!("account name {name:?} is empty or not an IMAP atom"),
                None,
            ));
        }
        if out.iter().any(|a| a.name == name) {
            return Err(UsageError::new(
                format!("account {name} is given twice"),
                None,
            ));
        }
        let admin = if admins.is_empty() {
            i == 0
        } else {
            admins.iter().any(|a| a == name)
        };
        out.push(AccountSpec {
            name: name.to_owned(),
            password: Secret::new(pass.to_owned()),
            admin,
        });
    }
    if let Some(unknown) = admins.iter().find(|a| !out.iter().any(|u| &u.name == *a)) {
        return Err(UsageError::new(
            format!("--admin {unknown}: no such account"),
            None,
        ));
    }
    Ok(out)
}

pub async fn run(g: &GlobalOpts, printer: Printer, a: &ServeArgs) -> anyhow::Result<Exit> {
    let accounts = accounts(&a.users, &a.admin)?;
    let (vapid, vapid_key_file) = match &a.vapid_key {
        Some(path) => (vapid_file::load_or_create(path)?, Some(path.clone())),
        None => (crate::push::vapid::VapidSigner::generate()?, None),
    };
    let identity = match (&a.tls_cert, &a.tls_key) {
        (Some(c), Some(k)) => Some(Identity::from_files(c, k)?),
        _ => None,
    };
    let names: Vec<(String, bool)> = accounts.iter().map(|a| (a.name.clone(), a.admin)).collect();
    let mut config = ServerConfig::new(accounts, vapid);
    config.listen = a.listen;
    config.tls_listen = a.tls_listen;
    config.identity = identity;
    config.vapid_key_file = vapid_key_file;
    config.vapid_subject = a.vapid_subject.clone();
    config.push_trust = Trust::with_ca_files(&a.push_ca)?;
    config.allow_http_endpoints = a.allow_http_endpoints;
    config.allow_plaintext_login = a.allow_plaintext_login;
    config.retry_delay = Duration::from_secs(a.retry_delay);
    config.push_timeout = Duration::from_secs(g.timeout);
    config.max_literal = a.max_literal;
    config.max_subscriptions = a.max_subscriptions;
    config.max_connections = a.max_connections;
    config.max_account_bytes = a.max_account_bytes;
    config.faults = server::Faults::new(a.fault.iter().copied());
    let faults = config.faults.names();
    let handle = server::start(config).await?;
    let ca_file = handle
        .ca_pem
        .as_deref()
        .map(|pem| {
            let path = a.cert_out.clone().unwrap_or_else(|| {
                std::env::temp_dir()
                    .join(format!("imapwebpush-serve-ca-{}.pem", handle.addr.port()))
            });
            super::listen::write_ca(&path, pem)
        })
        .transpose()?;
    let mut deliveries = handle.deliveries();
    let banner = json!({
        "event": "serving",
        "imap": format!("imap://{}", handle.addr),
        "imaps": handle.tls_addr.map(|a| format!("imaps://{a}")),
        "ca_file": ca_file,
        "vapid": handle.vapid_key().to_string(),
        "accounts": names.iter().map(|n| &n.0).collect::<Vec<_>>(),
        "faults": faults,
    });
    if printer.is_json() {
        printer.event(&Json(banner))?;
    } else {
        let mut t = format!(
            "{} reference IMAP WEBPUSH server, in memory\n  imap://{}   STARTTLS{}\n",
            "imapwebpush serve:".bold(),
            handle.addr,
            if a.allow_plaintext_login {
                ", plaintext login allowed"
            } else {
                ""
            }
        );
        if let Some(t2) = handle.tls_addr {
            t.push_str(&format!("  imaps://{t2}  implicit TLS\n"));
        }
        if let Some(ca) = &ca_file {
            t.push_str(&format!(
                "  CA certificate: {ca} (clients: --ca-file {ca})\n"
            ));
        }
        let accts: Vec<String> = names
            .iter()
            .map(|(n, admin)| {
                if *admin {
                    format!("{n} (admin)")
                } else {
                    n.clone()
                }
            })
            .collect();
        t.push_str(&format!("  accounts: {}\n", accts.join(", ")));
        t.push_str(&format!("  VAPID key: {}\n", handle.vapid_key()));
        if !faults.is_empty() {
            t.push_str(&format!(
                "  {} {}\n",
                "faults (rules broken on purpose):".yellow().bold(),
                faults.join(", ")
            ));
        }
        t.push_str("Ctrl-C stops it.\n");
        printer.text(&t)?;
    }
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            d = deliveries.recv() => match d {
                Ok(d) => log(printer, &d)?,
                Err(RecvError::Lagged(n)) => output::warn(&format!("{n} push log lines skipped (output too slow)")),
                Err(RecvError::Closed) => break,
            },
        }
    }
    drop(handle);
    Ok(Exit::Success)
}

/// A JSON value printed as itself in both modes.
struct Json(serde_json::Value);

impl std::fmt::Display for Json {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

fn log(printer: Printer, d: &Delivery) -> std::io::Result<()> {
    if printer.is_json() {
        let (outcome, retry) = match &d.outcome {
            Outcome::Delivered => ("delivered", None),
            Outcome::Retry { after, .. } => ("retry", Some(after.as_secs_f64())),
            Outcome::Removed => ("removed", None),
            Outcome::Kept => ("kept", None),
            Outcome::GaveUp { .. } => ("gave_up", None),
        };
        let reason = match &d.outcome {
            Outcome::Retry { reason, .. } | Outcome::GaveUp { reason } => Some(reason.clone()),
            _ => None,
        };
        printer.event(&Json(json!({
            "event": "delivery", "account": d.account, "id": d.id, "endpoint": d.endpoint,
            "kind": d.kind, "bytes": d.plaintext_len, "urgency": d.urgency,
            "status": d.status, "outcome": outcome, "retry_after": retry, "reason": reason,
        })))
    } else {
        let mark = match d.outcome {
            Outcome::Delivered => "→".green(),
            Outcome::Retry { .. } => "↻".yellow(),
            _ => "✗".red(),
        };
        printer.event(&format!("{mark} {d}"))
    }
}

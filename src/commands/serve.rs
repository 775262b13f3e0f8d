//! `serve`: run the reference server until Ctrl-C, logging every push it
//! sends and what the push service answered.

use std::time::Duration;

use colored::Colorize;
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use crate::cli::ServeArgs;
use crate::exit::{Exit, UsageError};
use crate::localca::LocalCa;
use crate::ops::endpoint::{write_ca, write_new};
use crate::output::Printer;
use crate::secret::Secret;
use crate::server::{self, vapid_file, AccountSpec, Delivery, Outcome, ServerConfig};
use crate::tls::{Identity, Trust};

use super::Context;

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
                format!("--account {u:?} is not NAME:PASS"),
                "give each account as --account alice:secret".to_owned(),
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

pub async fn run(cx: &Context, a: &ServeArgs) -> anyhow::Result<Exit> {
    let accounts = accounts(&a.users, &a.admin)?;
    let (vapid, vapid_key_file) = match &a.vapid_key {
        Some(path) => (vapid_file::load_or_create(path)?, Some(path.clone())),
        None => (crate::push::vapid::VapidSigner::generate()?, None),
    };
    // On loopback the certificate comes from the local CA, which clients
    // on this machine trust for loopback hosts with no flag; elsewhere a
    // throwaway CA is made (its certificate written for clients to pass).
    let loopback = a.listen.ip().is_loopback() && a.tls_listen.is_none_or(|t| t.ip().is_loopback());
    // The local CA is made here if need be: serve trusts it for loopback
    // endpoints, which may be started after it (their certificates come
    // from the same CA).
    let local = match LocalCa::load_or_create() {
        Ok(ca) => Some(ca),
        Err(crate::localca::LocalCaError::NoDataDir) => None,
        Err(e) => return Err(e.into()),
    };
    let identity = match (&a.tls_cert, &a.tls_key, &local) {
        (Some(c), Some(k), _) => Some(Identity::from_files(c, k)?),
        (_, _, Some(ca)) if loopback => {
            let mut names = vec![a.listen.ip().to_string()];
            names.extend(a.tls_listen.map(|t| t.ip().to_string()));
            Some(ca.issue(&names)?)
        }
        _ => None,
    };
    let names: Vec<(String, bool)> = accounts.iter().map(|a| (a.name.clone(), a.admin)).collect();
    let mut config = ServerConfig::new(accounts, vapid);
    config.listen = a.listen;
    config.tls_listen = a.tls_listen;
    config.identity = identity;
    config.vapid_key_file = vapid_key_file;
    config.vapid_subject = a.vapid_subject.clone();
    config.push_trust = Trust::with_ca_files(&a.push_ca)?
        .with_loopback_roots(local.as_ref().map(|ca| ca.roots()).unwrap_or_default());
    config.allow_http_endpoints = a.allow_http_endpoints;
    config.allow_plaintext_login = a.allow_plaintext_login;
    config.retry_delay = Duration::from_secs(a.retry_delay);
    config.push_timeout = Duration::from_secs(cx.global.timeout);
    config.max_literal = a.max_literal;
    config.max_subscriptions = a.max_subscriptions;
    config.max_connections = a.max_connections;
    config.max_account_bytes = a.max_account_bytes;
    config.faults = server::Faults::new(a.fault.iter().copied());
    let faults = config.faults.names();
    let handle = server::start(config).await?;
    let local_identity = local.as_ref().filter(|_| loopback && a.tls_cert.is_none());
    let ca_file = match (local_identity, handle.ca_pem.as_deref(), &a.cert_out) {
        (_, Some(pem), Some(out)) => {
            write_new(out, pem.as_bytes(), 0o644)?;
            Some(out.display().to_string())
        }
        (Some(ca), _, None) => Some(ca.cert_path().display().to_string()),
        (None, Some(pem), None) => Some(write_ca(
            &format!("serve-ca-{}.pem", handle.addr.port()),
            pem,
        )?),
        (_, None, _) => None,
    };
    let mut deliveries = handle.deliveries();
    let printer = &cx.out;
    // In place before the banner: a Ctrl-C as soon as it shows stops the
    // loop below rather than the process.
    let interrupt = crate::ops::interrupt::Interrupt::watch();
    printer.show(&Serving {
        event: "serving",
        imap: format!("imap://{}", handle.addr),
        imaps: handle.tls_addr.map(|a| format!("imaps://{a}")),
        ca_file,
        vapid: handle.vapid_key().to_string(),
        accounts: names,
        faults,
        plaintext_login: a.allow_plaintext_login,
    })?;
    loop {
        tokio::select! {
            () = interrupt.wait() => break,
            d = deliveries.recv() => match d {
                Ok(d) => log(printer, &d)?,
                Err(RecvError::Lagged(n)) => cx.diag.warn(&format_args!("{n} push log lines skipped (output too slow)")),
                Err(RecvError::Closed) => break,
            },
        }
    }
    drop(handle);
    Ok(Exit::Success)
}

/// The banner: where the server listens and with what.
#[derive(Debug, Serialize)]
struct Serving {
    event: &'static str,
    imap: String,
    imaps: Option<String>,
    ca_file: Option<String>,
    vapid: String,
    #[serde(serialize_with = "account_names")]
    accounts: Vec<(String, bool)>,
    faults: Vec<String>,
    #[serde(skip)]
    plaintext_login: bool,
}

fn account_names<S: serde::Serializer>(a: &[(String, bool)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(a.iter().map(|n| &n.0))
}

impl std::fmt::Display for Serving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} reference IMAP WEBPUSH server, in memory",
            "imapwebpush serve:".bold()
        )?;
        writeln!(
            f,
            "  {}   STARTTLS{}",
            self.imap,
            if self.plaintext_login {
                ", plaintext login allowed"
            } else {
                ""
            }
        )?;
        if let Some(t) = &self.imaps {
            writeln!(f, "  {t}  implicit TLS")?;
        }
        if let Some(ca) = &self.ca_file {
            writeln!(
                f,
                "  CA certificate: {ca} (trusted for loopback by imapwebpush on this machine; other clients: --ca-file {ca})"
            )?;
        }
        let accts: Vec<String> = self
            .accounts
            .iter()
            .map(|(n, admin)| {
                if *admin {
                    format!("{n} (admin)")
                } else {
                    n.clone()
                }
            })
            .collect();
        writeln!(f, "  accounts: {}", accts.join(", "))?;
        writeln!(f, "  VAPID key: {}", self.vapid)?;
        if !self.faults.is_empty() {
            writeln!(
                f,
                "  {} {}",
                "faults (rules broken on purpose):".yellow().bold(),
                self.faults.join(", ")
            )?;
        }
        writeln!(f, "Ctrl-C stops it.")
    }
}

/// One line of the push log: a delivery attempt and what the push
/// service answered.
#[derive(Debug, Serialize)]
struct DeliveryLog<'a> {
    event: &'static str,
    account: &'a str,
    id: &'a str,
    endpoint: &'a str,
    kind: &'a str,
    bytes: usize,
    urgency: &'a str,
    status: Option<u16>,
    outcome: &'static str,
    retry_after: Option<f64>,
    reason: Option<&'a str>,
    #[serde(skip)]
    delivery: &'a Delivery,
}

impl std::fmt::Display for DeliveryLog<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mark = match self.delivery.outcome {
            Outcome::Delivered => "→".green(),
            Outcome::Retry { .. } => "↻".yellow(),
            _ => "✗".red(),
        };
        write!(f, "{mark} {}", self.delivery)
    }
}

fn log(printer: &Printer, d: &Delivery) -> std::io::Result<()> {
    let (outcome, retry_after) = match &d.outcome {
        Outcome::Delivered => ("delivered", None),
        Outcome::Retry { after, .. } => ("retry", Some(after.as_secs_f64())),
        Outcome::Removed => ("removed", None),
        Outcome::Kept => ("kept", None),
        Outcome::GaveUp { .. } => ("gave_up", None),
    };
    let reason = match &d.outcome {
        Outcome::Retry { reason, .. } | Outcome::GaveUp { reason } => Some(reason.as_str()),
        _ => None,
    };
    printer.event(&DeliveryLog {
        event: "delivery",
        account: &d.account,
        id: &d.id,
        endpoint: &d.endpoint,
        kind: d.kind,
        bytes: d.plaintext_len,
        urgency: d.urgency,
        status: d.status,
        outcome,
        retry_after,
        reason,
        delivery: d,
    })
}

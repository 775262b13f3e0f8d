//! One module per subcommand: arguments → library calls → output. This
//! module owns what they share: the runtime, opening a logged-in session,
//! exit codes, and how errors reach the user.

use std::process::ExitCode;

use colored::Colorize;

use crate::cli::{Cli, Command, GlobalOpts};
use crate::imap::{auth, ConnectOptions, ImapError, ServerAddr, Session, Tracer};
use crate::output::{self, Printer};
use crate::tls::Trust;

pub mod capability;
pub mod completions;
pub mod decode;
pub mod demo;
pub mod extension;
pub mod keys;
pub mod listen;
pub mod serve;
pub mod subscribe;

/// The exit statuses of PRODUCT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: the server answered NO/BAD, a check failed, a payload did not decode.
    Failure,
    /// 2: usage, connection, TLS or authentication error.
    Error,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(match e {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Error => 2,
        })
    }
}

/// A mistake in the command line found after parsing (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
    pub hint: Option<String>,
}

impl UsageError {
    pub fn new(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    output::setup_color(cli.global.color, cli.global.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return report(&anyhow::Error::new(e)).into(),
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(exit) => exit.into(),
        Err(e) => report(&e).into(),
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<Exit> {
    let printer = Printer::new(cli.global.json);
    let g = &cli.global;
    match &cli.command {
        Command::Capability => capability::run(g, printer).await,
        Command::Getvapid { qr } => extension::getvapid(g, printer, *qr).await,
        Command::Webpush {
            id,
            endpoint,
            p256dh,
            auth,
            delete,
            raw,
        } => {
            let fields = match (endpoint, p256dh, auth, delete) {
                (Some(e), Some(p), Some(a), false) => Some((e.as_str(), p.as_str(), a.as_str())),
                _ => None,
            };
            extension::webpush(g, printer, id, fields, raw.raw).await
        }
        Command::Ackwebpush { token, raw } => {
            extension::ackwebpush(g, printer, token, raw.raw).await
        }
        Command::Lwebpush { pattern, raw } => {
            extension::lwebpush(g, printer, pattern, raw.raw).await
        }
        Command::Silwebpush { id, duration, raw } => {
            extension::silwebpush(g, printer, id, duration, raw.raw).await
        }
        Command::Decode {
            keys,
            private_key,
            auth,
            inputs,
        } => {
            let source = match (keys, private_key, auth) {
                (_, Some(p), Some(a)) => decode::KeySource::Parts(p, a),
                (Some(path), _, _) => decode::KeySource::File(path.clone()),
                _ => decode::KeySource::File(crate::push::keys::Keys::default_path()?),
            };
            decode::run(printer, &source, inputs).await
        }
        Command::Keys { action } => keys::run(printer, action),
        Command::Subscribe {
            id,
            endpoint,
            no_ack,
            wait,
            enable,
            unsubscribe_on_exit,
        } => {
            let opts = subscribe::Options {
                id: id.as_deref(),
                no_ack: *no_ack,
                wait: std::time::Duration::from_secs(*wait),
                enable,
                unsubscribe_on_exit: *unsubscribe_on_exit,
            };
            subscribe::run(g, printer, endpoint, &opts).await
        }
        Command::Listen {
            endpoint,
            vapid,
            reply,
        } => listen::run(printer, endpoint, vapid.as_deref(), *reply).await,
        Command::Serve(args) => serve::run(g, printer, args).await,
        Command::Demo => demo::run(printer).await,
        Command::Completions { shell } => completions::run(*shell),
    }
}

/// Something the user asked for did not happen (exit 1), with a hint:
/// e.g. the confirmation push never came.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failed {
    pub message: String,
    pub hint: Option<String>,
}

/// Prints an error with its causes and a hint; returns the exit status.
/// A closed stdout (`imapwebpush … | head`) ends the program quietly.
fn report(e: &anyhow::Error) -> Exit {
    if e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return Exit::Success;
    }
    eprintln!("{} {e}", "imapwebpush: error:".red().bold());
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    let hint = e.chain().find_map(|c| {
        if let Some(i) = c.downcast_ref::<ImapError>() {
            i.hint().map(str::to_owned)
        } else if let Some(u) = c.downcast_ref::<UsageError>() {
            u.hint.clone()
        } else if let Some(f) = c.downcast_ref::<Failed>() {
            f.hint.clone()
        } else if let Some(k) = c.downcast_ref::<crate::push::keys::KeyError>() {
            k.hint()
        } else {
            None
        }
    });
    if let Some(h) = hint {
        eprintln!("{} {h}", "hint:".cyan().bold());
    }
    if e.chain().any(|c| c.is::<Failed>()) {
        Exit::Failure
    } else {
        Exit::Error
    }
}

/// Connects as the global options say; logs in when `login` is set (or, for
/// `Login::IfUser`, when a user was given).
pub async fn open_session(g: &GlobalOpts, login: Login) -> anyhow::Result<Session> {
    let server = g.server.as_deref().ok_or(ImapError::NoServer)?;
    let addr = ServerAddr::parse(server, g.tls)?;
    let trust = if g.insecure {
        output::warn("--insecure: the server's certificate is not verified; anyone on the path can read and change this session");
        Trust::dangerous_accept_any()
    } else {
        Trust::with_ca_files(&g.ca_file).map_err(ImapError::from)?
    };
    let opts = ConnectOptions {
        addr,
        trust,
        timeout: std::time::Duration::from_secs(g.timeout),
    };
    let tracer: Option<Tracer> = g.verbose.then(|| Box::new(output::trace) as Tracer);
    let mut session = Session::connect(&opts, tracer).await?;
    let wants_login = match login {
        Login::Required => true,
        Login::IfUser => g.user.is_some(),
    };
    if wants_login && !session.is_authenticated() {
        let user = g.user.as_deref().ok_or(ImapError::NoUser)?;
        let password = auth::password(g.password_command.as_deref(), user, &opts.addr.host).await?;
        session.login(user, &password).await?;
    }
    Ok(session)
}

/// Whether a command needs to be logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    Required,
    IfUser,
}

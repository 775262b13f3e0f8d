//! One module per subcommand: its arguments (a clap `Args` struct beside
//! its `run`), the operations it calls ([`crate::ops`]) and what it prints.
//! This module only resolves the global options once into a [`Context`]
//! and dispatches.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{Cli, ColorWhen, Command, GlobalOpts};
use crate::exit::{report, Exit};
use crate::imap::{ImapError, ServerAddr, Tracer};
use crate::ops::ConnectSpec;
use crate::output::Printer;
use crate::tls::Trust;

pub mod capability;
pub mod check;
pub mod completions;
pub mod decode;
pub mod demo;
pub mod extension;
pub mod keys;
pub mod listen;
pub mod repl;
pub mod serve;
pub mod subscribe;

/// What every command gets: the global options resolved once.
#[derive(Debug, Clone)]
pub struct Context {
    /// Results (stdout).
    pub out: Printer,
    /// Warnings, traces and errors (stderr).
    pub diag: Printer,
    pub global: GlobalOpts,
}

impl Context {
    pub fn new(global: GlobalOpts) -> Self {
        let color = |terminal: bool| match global.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal
            }
        };
        let out = Printer::stdout(
            global.json,
            !global.json && color(std::io::stdout().is_terminal()),
        );
        let diag = Printer::stderr(color(std::io::stderr().is_terminal()));
        Self { out, diag, global }
    }

    /// The server to connect to, as the global options say.
    pub fn connect_spec(&self) -> Result<ConnectSpec, ImapError> {
        let g = &self.global;
        let server = g.server.as_deref().ok_or(ImapError::NoServer)?;
        let addr = ServerAddr::parse(server, g.tls)?;
        let trust = if g.insecure {
            self.diag.warn(&"--insecure: the server's certificate is not verified; anyone on the path can read and change this session");
            Trust::dangerous_accept_any()
        } else {
            Trust::with_ca_files(&g.ca_file)?.with_local_ca()
        };
        let mut spec = ConnectSpec::new(addr, trust, Duration::from_secs(g.timeout));
        spec.user = g.user.clone();
        spec.password_command = g.password_command.clone();
        if g.verbose {
            let diag = self.diag.clone();
            spec.trace = Some(Arc::new(move || {
                let diag = diag.clone();
                Box::new(move |dir, line: &str| diag.trace(dir, line)) as Tracer
            }));
        }
        Ok(spec)
    }
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let cx = Context::new(cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return report(&cx.diag, &anyhow::Error::new(e)).into(),
    };
    match runtime.block_on(dispatch(&cx, cli.command)) {
        Ok(exit) => exit.into(),
        Err(e) => report(&cx.diag, &e).into(),
    }
}

async fn dispatch(cx: &Context, command: Command) -> anyhow::Result<Exit> {
    match command {
        Command::Capability => capability::run(cx).await,
        Command::Getvapid(a) => extension::getvapid(cx, &a).await,
        Command::Webpush(a) => extension::webpush(cx, &a).await,
        Command::Ackwebpush(a) => extension::ackwebpush(cx, &a).await,
        Command::Lwebpush(a) => extension::lwebpush(cx, &a).await,
        Command::Silwebpush(a) => extension::silwebpush(cx, &a).await,
        Command::Decode(a) => decode::run(cx, &a).await,
        Command::Keys(a) => keys::run(cx, &a),
        Command::Subscribe(a) => subscribe::run(cx, &a).await,
        Command::Listen(a) => listen::run(cx, &a).await,
        Command::Check(a) => check::run(cx, &a).await,
        Command::Repl(a) => repl::run(cx, &a).await,
        Command::Serve(a) => serve::run(cx, &a).await,
        Command::Demo => demo::run(cx).await,
        Command::Completions(a) => completions::run(cx, &a),
    }
}

//! The command line, as clap types only: no I/O here. Doc comments are the
//! `--help` text, and the man pages and completions are generated from
//! these definitions ([`crate::commands::completions`]).
//!
//! Rules: every option that takes a value has an UPPERCASE `value_name`;
//! global options are `global = true` so they may follow the command name;
//! there is no option that takes a password.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{check, completions, decode, extension, keys, listen, repl, subscribe};
use crate::imap::TlsMode;
use crate::ops::endpoint::{EndpointSpec, TlsChoice};

/// Exercise and debug the IMAP WEBPUSH extension
/// (draft-gougeon-imap-webpush): run its commands against a server, and
/// watch what it sends.
#[derive(Debug, Parser)]
#[command(name = "imapwebpush", version, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 success, 1 the server answered NO/BAD, 2 usage, connection, TLS or authentication error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments. clap's own help and errors follow
    /// `--color` and `NO_COLOR` too: they are printed before the options
    /// are parsed, so the choice is read from the raw arguments first.
    pub fn parse_args() -> Self {
        use clap::FromArgMatches;
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let mut choice = match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => clap::ColorChoice::Never,
            _ => clap::ColorChoice::Auto,
        };
        let mut it = args.iter().map(|a| a.to_string_lossy());
        while let Some(a) = it.next() {
            let value = match a.strip_prefix("--color") {
                Some("") => it.next().map(|v| v.into_owned()),
                Some(rest) => rest.strip_prefix('=').map(str::to_owned),
                None => None,
            };
            match value.as_deref() {
                Some("never") => choice = clap::ColorChoice::Never,
                Some("always") => choice = clap::ColorChoice::Always,
                Some("auto") => choice = clap::ColorChoice::Auto,
                _ => {}
            }
        }
        let matches = Self::clap().color(choice).get_matches_from(args);
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }

    /// The command line as parsed and documented (completions come from
    /// [`Cli::for_completion`]). The client's connection options are global
    /// (they may follow the command name), but commands that never log in
    /// to a server as a client do not list them in their help or man page;
    /// given anyway, they are accepted and have no effect.
    pub fn clap() -> clap::Command {
        use clap::CommandFactory;
        let mut cmd = Self::command();
        // A subcommand with an option of a global one's name keeps its
        // own: these commands get hidden copies.
        let hidden: Vec<clap::Arg> = cmd
            .get_arguments()
            .filter(|a| CLIENT_OPTIONS.contains(&a.get_id().as_str()))
            .map(|a| a.clone().hide(true))
            .collect();
        // Each subcommand changed is moved to the end: all are passed
        // through, in order, so that the order stays.
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        for name in names {
            let hide = NOT_CLIENTS.contains(&name.as_str());
            let check = name == "check";
            cmd = cmd.mut_subcommand(name, |sc| match (hide, check) {
                (true, _) => sc.args(hidden.iter().cloned()),
                // The endpoint's --count, which the checks decide.
                (_, true) => sc.mut_arg("count", |a| a.hide(true)),
                _ => sc,
            });
        }
        cmd
    }

    /// The command line that completion scripts are generated from: the
    /// derived one, as [`Cli::clap`] shows it, less what that hides (keep
    /// the two in step). The generators of `clap_complete`
    /// offer hidden options as readily as visible ones, so the commands
    /// that never log in would be completed with `--server`, `--tls` and
    /// the rest. Here the connection options are the top level's own
    /// (`imapwebpush -s URL getvapid`) and each client command's, and not
    /// global; `check` has no `--count`.
    pub fn for_completion() -> clap::Command {
        use clap::CommandFactory;
        let is_client = |a: &clap::Arg| CLIENT_OPTIONS.contains(&a.get_id().as_str());
        let cmd = Self::command();
        let client: Vec<clap::Arg> = cmd
            .get_arguments()
            .filter(|a| is_client(a))
            .map(|a| a.clone().global(false))
            .collect();
        cmd.mut_args(|a| if is_client(&a) { a.global(false) } else { a })
            .mut_subcommands(|sc| match sc.get_name() {
                name if NOT_CLIENTS.contains(&name) => sc,
                "check" => without_arg(&sc, "count").args(client.iter().cloned()),
                _ => sc.args(client.iter().cloned()),
            })
    }
}

/// `cmd` (a command without subcommands) without its argument `id`: clap
/// can hide an argument but not remove one. What the completion
/// generators read is kept: name, descriptions, visible aliases, whether
/// it is hidden, the other arguments and the groups.
fn without_arg(cmd: &clap::Command, id: &str) -> clap::Command {
    debug_assert!(cmd.get_subcommands().next().is_none());
    let mut out = clap::Command::new(cmd.get_name().to_owned())
        .args(cmd.get_arguments().filter(|a| a.get_id() != id).cloned())
        .visible_aliases(cmd.get_visible_aliases().map(str::to_owned))
        .hide(cmd.is_hide_set());
    if let Some(about) = cmd.get_about() {
        out = out.about(about.clone());
    }
    if let Some(about) = cmd.get_long_about() {
        out = out.long_about(about.clone());
    }
    // The groups (derive makes one per flattened struct), less `id` too.
    for g in cmd.get_groups() {
        let mut g = g.clone();
        out = out.group(
            clap::ArgGroup::new(g.get_id().clone())
                .args(g.get_args().filter(|a| *a != id).cloned())
                .multiple(g.is_multiple())
                .required(g.is_required_set()),
        );
    }
    out
}

/// The options that say how to reach and log in to a server.
const CLIENT_OPTIONS: [&str; 6] = [
    "server",
    "tls",
    "user",
    "password_command",
    "ca_file",
    "insecure",
];

/// The commands that do not connect to a server as a client: the endpoint
/// alone, the server (and the demo, which starts its own), the offline
/// tools.
const NOT_CLIENTS: [&str; 6] = ["listen", "serve", "demo", "decode", "keys", "completions"];

#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)
    #[arg(
        short = 's',
        long,
        env = "IMAPWEBPUSH_SERVER",
        value_name = "URL",
        global = true,
        hide_env_values = true
    )]
    pub server: Option<String>,

    /// Override the URL's scheme; "none" (plaintext) must be asked for by name
    #[arg(long, value_enum, value_name = "MODE", global = true)]
    pub tls: Option<TlsMode>,

    /// User to log in as
    #[arg(
        short = 'u',
        long,
        env = "IMAPWEBPUSH_USER",
        value_name = "USER",
        global = true,
        hide_env_values = true
    )]
    pub user: Option<String>,

    /// Command whose first line of output is the password (else
    /// IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)
    #[arg(long, value_name = "CMD", global = true)]
    pub password_command: Option<String>,

    /// Extra trust roots (PEM) besides the webpki roots; repeatable
    #[arg(long, value_name = "PEM", global = true)]
    pub ca_file: Vec<PathBuf>,

    /// Skip certificate verification (a warning is printed)
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Machine-readable output: one JSON document or one object per line
    #[arg(long, global = true)]
    pub json: bool,

    /// When to color human output (NO_COLOR is honoured)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// Trace the protocol on stderr as C:/S: lines, credentials shown as ***
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,

    /// Network timeout in seconds (connect, handshake, every read)
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86400), global = true)]
    pub timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the server's capabilities, WEBPUSH highlighted (logs in first when --user is set)
    Capability,

    /// GETVAPID: show the server's VAPID public key (§5.1)
    Getvapid(extension::GetvapidArgs),

    /// WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)
    #[command(arg_required_else_help = true)]
    Webpush(extension::WebpushArgs),

    /// ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)
    Ackwebpush(extension::AckwebpushArgs),

    /// LWEBPUSH: list subscriptions (§5.4)
    Lwebpush(extension::LwebpushArgs),

    /// SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)
    Silwebpush(extension::SilwebpushArgs),

    /// The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications
    Subscribe(subscribe::SubscribeArgs),

    /// The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes
    Listen(listen::ListenArgs),

    /// Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)
    Check(check::CheckArgs),

    /// An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive
    Repl(repl::ReplArgs),

    /// A reference IMAP WEBPUSH server, in memory, that sends real pushes
    #[command(after_long_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),

    /// Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run
    Demo,

    /// Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)
    Decode(decode::DecodeArgs),

    /// Make or show the local keypair and auth secret
    Keys(keys::KeysArgs),

    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
}

/// The push endpoint's options (`subscribe`, `listen`).
#[derive(Debug, Clone, Args)]
pub struct EndpointOpts {
    /// Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// Address for the endpoint to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
    /// The URL base given out instead of the listen address (e.g. a tunnel)
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Serve https with a certificate from a throwaway CA made now (its CA file's path is printed); on loopback the local CA is the default
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key", "http"])]
    pub tls_self_signed: bool,
    /// Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub http: bool,
    /// Serve https with this certificate chain (with --tls-key)
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key for --tls-cert
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
}

impl EndpointOpts {
    /// The endpoint these flags describe.
    pub fn spec(&self) -> EndpointSpec {
        let loopback = match &self.public_url {
            Some(u) => u
                .parse::<hyper::Uri>()
                .ok()
                .and_then(|u| u.host().map(crate::localca::is_loopback_name))
                .unwrap_or(false),
            None => self.listen.ip().is_loopback(),
        };
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => TlsChoice::Files {
                cert: cert.clone(),
                key: key.clone(),
            },
            _ if self.tls_self_signed => TlsChoice::SelfSigned,
            _ if self.http => TlsChoice::Plain,
            _ if loopback => TlsChoice::LocalCa,
            _ => TlsChoice::Plain,
        };
        EndpointSpec {
            listen: self.listen,
            public_url: self.public_url.clone(),
            tls,
        }
    }
}

const SERVE_AFTER_HELP: &str = "\
Accounts live in memory; each has an INBOX. LOGIN and AUTHENTICATE PLAIN need
TLS (STARTTLS on --listen, or --tls-listen) unless --allow-plaintext-login.
Without --tls-cert, on loopback the certificate comes from the local CA in the
data directory ($XDG_DATA_HOME/imapwebpush/local-ca.pem, made on first use),
which imapwebpush clients on this machine trust for loopback hosts; on other
addresses a throwaway CA is made and its certificate written to the data
directory (its path is printed) for clients to pass as --ca-file. Push
endpoints on loopback are trusted through the same local CA.

XROTATEVAPID (administrators only) rotates the VAPID key (draft §8).";

/// `serve`'s options.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Plaintext listener, STARTTLS offered
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:1143")]
    pub listen: std::net::SocketAddr,
    /// Also listen with implicit TLS here
    #[arg(long, value_name = "ADDR")]
    pub tls_listen: Option<std::net::SocketAddr>,
    /// Certificate chain for TLS (with --tls-key); default: generated
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// Private key for --tls-cert
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Also write the CA certificate here, for other clients (created new, never replaced)
    #[arg(long, value_name = "FILE", conflicts_with = "tls_cert")]
    pub cert_out: Option<PathBuf>,
    /// An account as NAME:PASS; repeatable (default demo:demo)
    #[arg(id = "account", long = "account", value_name = "NAME:PASS")]
    pub users: Vec<String>,
    /// An account that may run XROTATEVAPID; repeatable (default: the first account)
    #[arg(long, value_name = "NAME")]
    pub admin: Vec<String>,
    /// VAPID key file (JSON, mode 0600), created if missing; default: a new key each start
    #[arg(long, value_name = "FILE")]
    pub vapid_key: Option<PathBuf>,
    /// The VAPID JWT's sub claim
    #[arg(
        long,
        value_name = "MAILTO",
        default_value = "mailto:postmaster@localhost"
    )]
    pub vapid_subject: String,
    /// Extra trust roots (PEM) for push endpoints besides the webpki roots; repeatable
    #[arg(long, value_name = "PEM")]
    pub push_ca: Vec<PathBuf>,
    /// Accept http:// endpoints (loopback testing only; the draft requires https)
    #[arg(long)]
    pub allow_http_endpoints: bool,
    /// Allow LOGIN and AUTHENTICATE without TLS (loopback testing only)
    #[arg(long)]
    pub allow_plaintext_login: bool,
    /// Seconds to wait after a 5xx, or a 429 without Retry-After (draft §7.4: 5 minutes)
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub retry_delay: u64,
    /// Largest literal accepted, in bytes (APPEND)
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 20)]
    pub max_literal: usize,
    /// Subscriptions per account; WEBPUSH beyond it is answered NO
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub max_subscriptions: usize,
    /// Connections served at once; more are greeted with BYE and closed
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_connections: usize,
    /// Message bytes per account, all mailboxes together; APPEND beyond it is answered NO [OVERQUOTA]
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    pub max_account_bytes: usize,
    /// Break one rule of the draft on purpose; repeatable
    #[arg(long, value_enum, value_name = "NAME")]
    pub fault: Vec<crate::server::Fault>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        Cli::command().debug_assert();
        Cli::clap().debug_assert();
        Cli::for_completion().debug_assert();
    }

    /// The hidden copies of the connection options parse as the visible
    /// ones do, after the command name or before it, into the globals.
    #[test]
    fn hidden_connection_options_still_parse() {
        use clap::FromArgMatches;
        for args in [
            &["imapwebpush", "serve", "-s", "h", "--insecure"][..],
            &["imapwebpush", "-s", "h", "--insecure", "serve"][..],
            &["imapwebpush", "keys", "show", "-s", "h", "--insecure"][..],
        ] {
            let m = Cli::clap().try_get_matches_from(args).unwrap();
            let cli = Cli::from_arg_matches(&m).unwrap();
            assert_eq!(cli.global.server.as_deref(), Some("h"), "{args:?}");
            assert!(cli.global.insecure, "{args:?}");
        }
        assert!(Cli::clap()
            .try_get_matches_from(["imapwebpush", "serve", "--tls", "bogus"])
            .is_err());
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        let a = Cli::try_parse_from(["imapwebpush", "--json", "-s", "h", "lwebpush"]).unwrap();
        let b = Cli::try_parse_from(["imapwebpush", "lwebpush", "--json", "-s", "h"]).unwrap();
        assert!(a.global.json && b.global.json);
        assert_eq!(a.global.server, b.global.server);
    }

    #[test]
    fn webpush_delete_excludes_the_subscription_fields() {
        assert!(Cli::try_parse_from(["imapwebpush", "webpush", "x", "--delete"]).is_ok());
        assert!(
            Cli::try_parse_from(["imapwebpush", "webpush", "x", "https://e/", "--delete"]).is_err()
        );
        assert!(Cli::try_parse_from(["imapwebpush", "webpush", "x", "https://e/"]).is_err());
    }

    #[test]
    fn serve_takes_repeated_users_and_faults() {
        let c = Cli::try_parse_from([
            "imapwebpush",
            "serve",
            "--account",
            "a:1",
            "--account",
            "b:2",
            "--fault",
            "skip-ack-push",
        ])
        .unwrap();
        let Command::Serve(s) = c.command else {
            panic!("not serve")
        };
        assert_eq!(s.users, ["a:1", "b:2"]);
        assert_eq!(s.fault, [crate::server::Fault::SkipAckPush]);
        let c = Cli::try_parse_from(["imapwebpush", "-u", "me", "lwebpush"]).unwrap();
        assert_eq!(c.global.user.as_deref(), Some("me"));
    }

    #[test]
    fn reply_parses_status_and_retry_after() {
        let c = Cli::try_parse_from(["imapwebpush", "listen", "--reply", "429:120"]).unwrap();
        let Command::Listen(l) = c.command else {
            panic!("not listen")
        };
        assert_eq!(
            l.reply,
            Some(crate::endpoint::Answer {
                status: 429,
                retry_after: Some(120)
            })
        );
        assert!(Cli::try_parse_from(["imapwebpush", "listen", "--reply", "abc"]).is_err());
    }

    #[test]
    fn tls_none_is_named_and_there_is_no_password_flag() {
        let c = Cli::try_parse_from(["imapwebpush", "--tls", "none", "capability"]).unwrap();
        assert_eq!(c.global.tls, Some(TlsMode::None));
        assert!(Cli::try_parse_from(["imapwebpush", "--password", "x", "capability"]).is_err());
    }
}

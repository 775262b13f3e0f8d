//! The command line, as clap types only: no I/O here. Doc comments are the
//! `--help` text, and the man pages and completions are generated from
//! these definitions ([`crate::commands::completions`]).
//!
//! Rules: every option that takes a value has an UPPERCASE `value_name`;
//! global options are `global = true` so they may follow the command name;
//! there is no option that takes a password.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::imap::TlsMode;

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
    Getvapid {
        /// Also draw the key as a QR code
        #[arg(long)]
        qr: bool,
    },

    /// WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)
    #[command(arg_required_else_help = true)]
    Webpush {
        /// Subscription ID (an IMAP atom; a UUID is usual)
        #[arg(value_name = "ID")]
        id: String,
        /// Push endpoint URL (https)
        #[arg(value_name = "ENDPOINT", required_unless_present = "delete")]
        endpoint: Option<String>,
        /// User agent public key: 87 base64url characters, uncompressed P-256
        #[arg(value_name = "P256DH", required_unless_present = "delete")]
        p256dh: Option<String>,
        /// Authentication secret: 22 base64url characters (16 bytes)
        #[arg(value_name = "AUTH", required_unless_present = "delete")]
        auth: Option<String>,
        /// Delete the subscription (sends WEBPUSH <ID> NIL)
        #[arg(long, conflicts_with_all = ["endpoint", "p256dh", "auth"])]
        delete: bool,
        #[command(flatten)]
        raw: RawArg,
    },

    /// ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)
    Ackwebpush {
        /// The token of the ACKWEBPUSH push
        #[arg(value_name = "TOKEN")]
        token: String,
        #[command(flatten)]
        raw: RawArg,
    },

    /// LWEBPUSH: list subscriptions (§5.4)
    Lwebpush {
        /// A subscription ID, or a pattern with * and %
        #[arg(value_name = "PATTERN", default_value = "*")]
        pattern: String,
        #[command(flatten)]
        raw: RawArg,
    },

    /// SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)
    Silwebpush {
        /// Subscription ID
        #[arg(value_name = "ID")]
        id: String,
        /// Seconds, or "session"
        #[arg(value_name = "SECONDS|session")]
        duration: String,
        #[command(flatten)]
        raw: RawArg,
    },

    /// Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)
    Decode {
        /// Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)
        #[arg(long, value_name = "FILE", conflicts_with_all = ["private_key", "auth"])]
        keys: Option<PathBuf>,
        /// The subscriber's private key (base64url 32-byte scalar), instead of --keys
        #[arg(long, value_name = "B64", requires = "auth")]
        private_key: Option<String>,
        /// The auth secret (base64url 16 bytes), with --private-key
        #[arg(long, value_name = "B64", requires = "private_key")]
        auth: Option<String>,
        /// Files holding raw bodies, base64 lines, or HTTP request dumps; "-" is stdin
        #[arg(value_name = "INPUT")]
        inputs: Vec<String>,
    },

    /// Make or show the local keypair and auth secret
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },

    /// Print a shell completion script
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
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

#[derive(Debug, Clone, Copy, Args)]
pub struct RawArg {
    /// Send the arguments without checking them (to test a server's BAD handling)
    #[arg(long)]
    pub raw: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        Cli::command().debug_assert();
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
    fn tls_none_is_named_and_there_is_no_password_flag() {
        let c = Cli::try_parse_from(["imapwebpush", "--tls", "none", "capability"]).unwrap();
        assert_eq!(c.global.tls, Some(TlsMode::None));
        assert!(Cli::try_parse_from(["imapwebpush", "--password", "x", "capability"]).is_err());
    }
}

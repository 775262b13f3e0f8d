//! The client's failures. Each variant is a connection, TLS or
//! authentication problem (exit code 2); NO and BAD answers to commands are
//! not errors but [`Reply`](super::Reply) values.

use std::time::Duration;

use super::framer::FrameError;

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("invalid server address {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("no server given")]
    NoServer,
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("timed out after {}s while {what}", .after.as_secs())]
    Timeout { what: &'static str, after: Duration },
    #[error("TLS handshake with {host} failed: {reason}")]
    Handshake {
        host: String,
        reason: String,
        hint: Option<&'static str>,
    },
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    #[error("the server did not offer STARTTLS")]
    StartTlsNotOffered,
    #[error("the server refused STARTTLS: {0}")]
    StartTlsRefused(String),
    #[error("the server sent {0} bytes after its STARTTLS answer and before the TLS handshake")]
    StartTlsInjection(usize),
    #[error("the server closed the connection: {0}")]
    Bye(String),
    #[error("the server closed the connection")]
    Closed,
    #[error("malformed data from the server: {0}")]
    Frame(#[from] FrameError),
    #[error("the server sent no complete greeting within {}s", .after.as_secs())]
    NoGreeting { after: Duration },
    #[error("unexpected greeting: {0}")]
    Greeting(String),
    #[error("authentication failed: {0}")]
    AuthFailed(String),
    #[error("the server does not allow LOGIN here (LOGINDISABLED) and offers no AUTH=PLAIN")]
    LoginDisabled,
    #[error("refusing to send the password over a plaintext connection")]
    PlaintextLogin,
    #[error("no user given")]
    NoUser,
    #[error("no password available")]
    NoPassword,
    #[error("--password-command failed: {0}")]
    PasswordCommand(String),
    #[error("a command argument contains CR, LF or NUL, which would break the command line")]
    LineBreakInArgument,
    #[error(
        "the server sent more than {max_count} untagged responses or {} MiB of them \
         before answering one command",
        .max_bytes >> 20
    )]
    TooManyResponses { max_count: usize, max_bytes: usize },
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
}

impl ImapError {
    /// The next step to suggest to the user.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            Self::BadUrl { .. } | Self::NoServer => {
                "use imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or set IMAPWEBPUSH_SERVER"
            }
            Self::Connect { .. } => "check the host and port, and that the server is running",
            Self::Timeout { .. } => "the server did not answer in time; raise --timeout or check the network",
            Self::NoGreeting { .. } => {
                "an IMAP server greets at once: if this port expects TLS from the first byte (usually 993), use imaps://"
            }
            Self::Handshake { hint, .. } => return *hint,
            Self::StartTlsNotOffered | Self::StartTlsRefused(_) => {
                "use imaps:// for implicit TLS, or --tls none if you really want plaintext"
            }
            Self::StartTlsInjection(_) => {
                "this is how STARTTLS command injection looks; do not trust this server or the path to it"
            }
            Self::AuthFailed(_) => "check --user and the password (IMAPWEBPUSH_PASSWORD or --password-command)",
            Self::LoginDisabled => "connect over TLS (imaps:// or STARTTLS)",
            Self::PlaintextLogin => "use imaps:// or imap:// with STARTTLS, or --tls none to allow it",
            Self::NoUser => "pass -u/--user or set IMAPWEBPUSH_USER",
            Self::NoPassword => {
                "set IMAPWEBPUSH_PASSWORD, pass --password-command CMD, or run on a terminal to be prompted"
            }
            Self::LineBreakInArgument => "remove the line break from the argument",
            Self::TooManyResponses { .. } => {
                "the server floods the connection; check it with -v, or narrow the command (a smaller FETCH range)"
            }
            _ => return None,
        })
    }
}

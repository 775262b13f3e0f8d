//! Exit statuses (PRODUCT.md) and how errors reach the user:
//! `imapwebpush: error: <what failed>`, its causes, and a `hint:` with the
//! next step. Library errors are typed; this is the one place that turns
//! them into text and a status.

use std::process::ExitCode;

use colored::Colorize;

use crate::imap::ImapError;
use crate::ops::flow::FlowError;
use crate::output::{escape_line, Printer};

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

impl Exit {
    /// 0 when the server answered OK, else 1.
    pub fn from_ok(ok: bool) -> Self {
        if ok {
            Self::Success
        } else {
            Self::Failure
        }
    }

    /// The worse of two statuses.
    pub fn max(self, other: Self) -> Self {
        let rank = |e: Self| match e {
            Self::Success => 0,
            Self::Failure => 1,
            Self::Error => 2,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
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

/// Something the user asked for did not happen because of what the peer
/// did (exit 1), with a hint: e.g. the confirmation push never came.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failed {
    pub message: String,
    pub hint: Option<String>,
}

/// Whether an error is a closed stdout (`imapwebpush … | head`), which
/// ends the program quietly (as ripgrep does).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints an error with its causes and a hint on `diag`; returns the exit
/// status.
pub fn report(diag: &Printer, e: &anyhow::Error) -> Exit {
    if is_broken_pipe(e) {
        return Exit::Success;
    }
    // Errors quote peers (a greeting, a BYE text, a header): escaped, so
    // that no control sequence from them reaches the terminal.
    let mut text = format!(
        "{} {}\n",
        "imapwebpush: error:".red().bold(),
        escape_line(&e.to_string())
    );
    let mut last = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        // thiserror's `{0}` messages repeat their source; say each once.
        if !last.contains(&c) {
            text.push_str(&format!("  caused by: {}\n", escape_line(&c)));
        }
        last = c;
    }
    if let Some(h) = hint_of(e) {
        text.push_str(&format!("{} {h}\n", "hint:".cyan().bold()));
    }
    let _ = diag.plain(&text);
    if e.chain().any(|c| {
        c.is::<Failed>()
            || c.downcast_ref::<FlowError>()
                .is_some_and(FlowError::is_server_answer)
    }) {
        Exit::Failure
    } else {
        Exit::Error
    }
}

fn hint_of(e: &anyhow::Error) -> Option<String> {
    typed_hint(e).or_else(|| {
        e.chain().find_map(|c| {
            let io = c.downcast_ref::<std::io::Error>()?;
            (io.kind() == std::io::ErrorKind::AddrInUse).then(|| {
                "another program listens on that address: pick another with --listen ADDR (port 0 takes a free one)".to_owned()
            })
        })
    })
}

fn typed_hint(e: &anyhow::Error) -> Option<String> {
    e.chain().find_map(|c| {
        if let Some(i) = c.downcast_ref::<ImapError>() {
            i.hint().map(str::to_owned)
        } else if let Some(u) = c.downcast_ref::<UsageError>() {
            u.hint.clone()
        } else if let Some(f) = c.downcast_ref::<Failed>() {
            f.hint.clone()
        } else if let Some(f) = c.downcast_ref::<FlowError>() {
            f.hint()
        } else if c.is::<crate::ops::ext::BadArgument>() {
            Some(crate::ops::ext::BadArgument::HINT.to_owned())
        } else if let Some(l) = c.downcast_ref::<crate::localca::LocalCaError>() {
            l.hint()
        } else if let Some(k) = c.downcast_ref::<crate::push::keys::KeyError>() {
            k.hint()
        } else {
            None
        }
    })
}

//! How a command fails: answered BAD or NO with its tag, or the
//! connection closed. Shared by the session and the mailbox commands.

use super::syntax::{self, Token};

/// A command's failure, answered with its tag.
pub(super) enum Refusal {
    Bad(String),
    No(String),
    Close,
}

impl Refusal {
    pub(super) fn bad(s: &str) -> Self {
        Self::Bad(s.to_owned())
    }

    pub(super) fn no(s: &str) -> Self {
        Self::No(s.to_owned())
    }
}

/// A command's arguments as tokens; BAD when they do not parse.
pub(super) fn tokens(args: &[u8]) -> Result<Vec<Token>, Refusal> {
    syntax::tokens(args).map_err(Refusal::Bad)
}

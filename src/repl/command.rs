//! The REPL's commands, as clap types: a multicall parser whose
//! subcommands reuse the `Args` structs of the subcommands (one definition,
//! two front ends), plus what only makes sense over a kept connection
//! (`select`, `append`, `raw`, `reconnect`, …). `help` comes from clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::extension::{
    AckwebpushArgs, GetvapidArgs, LwebpushArgs, SilwebpushArgs, WebpushArgs,
};
use crate::commands::listen::ListenArgs;
use crate::commands::subscribe::SubscribeArgs;

/// One line typed at the prompt.
#[derive(Debug, Parser)]
#[command(
    name = "repl",
    multicall = true,
    disable_help_flag = false,
    help_template = "{subcommands}"
)]
pub struct Line {
    #[command(subcommand)]
    pub command: ReplCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReplCommand {
    /// CAPABILITY, WEBPUSH highlighted
    Capability,
    /// GETVAPID: the server's VAPID public key (§5.1)
    Getvapid(GetvapidArgs),
    /// WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)
    #[command(arg_required_else_help = true)]
    Webpush(WebpushArgs),
    /// ACKWEBPUSH: confirm a subscription with the token of its first push (§5.3)
    #[command(arg_required_else_help = true)]
    Ackwebpush(AckwebpushArgs),
    /// LWEBPUSH: list subscriptions (§5.4)
    Lwebpush(LwebpushArgs),
    /// SILWEBPUSH: silence for SECONDS (0 ends it), or for as long as this connection lasts (session) (§5.5)
    #[command(arg_required_else_help = true)]
    Silwebpush(SilwebpushArgs),
    /// SELECT a mailbox (pushes name the selected mailbox)
    Select(MailboxArgs),
    /// EXAMINE a mailbox (read-only SELECT)
    Examine(MailboxArgs),
    /// APPEND a message from FILE, or a sample message
    Append(AppendArgs),
    /// STORE flags, e.g. `store 1 +FLAGS (\Deleted)`
    #[command(arg_required_else_help = true)]
    Store(StoreArgs),
    /// EXPUNGE the selected mailbox
    Expunge,
    /// Send any IMAP command line as typed (after the tag)
    #[command(arg_required_else_help = true)]
    Raw(RawArgs),
    /// Start the push endpoint in the background; pushes print as they arrive
    Listen(ListenArgs),
    /// GETVAPID and WEBPUSH now; the token push is acknowledged when it arrives (see autoack)
    Subscribe(SubscribeArgs),
    /// Show the keys in use, as a W3C PushSubscription JSON
    Keys,
    /// Show the protocol as C:/S: lines, or stop
    Trace(Switch),
    /// Acknowledge ACKWEBPUSH tokens as their pushes arrive, or only show them
    Autoack(Switch),
    /// Open a new connection (the endpoint keeps running)
    Reconnect,
    /// Log out and leave (also Ctrl-D)
    #[command(alias = "exit")]
    Quit,
}

#[derive(Debug, Clone, Args)]
pub struct MailboxArgs {
    /// Mailbox name
    #[arg(value_name = "MAILBOX", default_value = "INBOX")]
    pub mailbox: String,
}

#[derive(Debug, Clone, Args)]
pub struct AppendArgs {
    /// RFC 5322 message file (default: a sample message)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Mailbox to append to
    #[arg(short = 'm', long, value_name = "MAILBOX", default_value = "INBOX")]
    pub mailbox: String,
    /// Flags for the message, e.g. "\Seen \Flagged"
    #[arg(long, value_name = "FLAGS")]
    pub flags: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Message sequence set, e.g. 1 or 1:*
    #[arg(value_name = "SET")]
    pub set: String,
    /// FLAGS, +FLAGS or -FLAGS (with .SILENT if wanted)
    #[arg(value_name = "ITEM", allow_hyphen_values = true)]
    pub item: String,
    /// The flags, e.g. \Deleted or (\Seen \Flagged)
    #[arg(value_name = "FLAGS", required = true, num_args = 1..)]
    pub flags: Vec<String>,
}

impl StoreArgs {
    /// The command after the tag; the flags get their parentheses.
    pub fn line(&self) -> String {
        let flags = self.flags.join(" ");
        let flags = if flags.starts_with('(') {
            flags
        } else {
            format!("({flags})")
        };
        format!("STORE {} {} {flags}", self.set, self.item)
    }
}

#[derive(Debug, Clone, Args)]
pub struct RawArgs {
    /// The IMAP command, e.g. NOOP or LIST "" "*"
    #[arg(
        value_name = "LINE",
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub line: Vec<String>,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct Switch {
    #[arg(value_enum, value_name = "on|off")]
    pub state: OnOff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl Switch {
    pub fn on(&self) -> bool {
        self.state == OnOff::On
    }
}

/// The clap definition, for help and completion.
pub fn definition() -> clap::Command {
    <Line as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[&str]) -> Result<ReplCommand, clap::Error> {
        Line::try_parse_from(words).map(|l| l.command)
    }

    #[test]
    fn verify_lines() {
        definition().debug_assert();
    }

    #[test]
    fn lines_parse_with_the_subcommands_structs() {
        let Ok(ReplCommand::Webpush(w)) = parse(&["webpush", "x", "--delete"]) else {
            panic!("webpush --delete")
        };
        assert!(w.delete && w.endpoint.is_none());
        let Ok(ReplCommand::Silwebpush(s)) = parse(&["silwebpush", "x", "session"]) else {
            panic!("silwebpush")
        };
        assert!(s.is_session());
        let Ok(ReplCommand::Store(s)) = parse(&["store", "1", "-FLAGS", "\\Deleted"]) else {
            panic!("store")
        };
        assert_eq!(s.line(), "STORE 1 -FLAGS (\\Deleted)");
        assert!(matches!(parse(&["exit"]), Ok(ReplCommand::Quit)));
        assert!(matches!(
            parse(&["trace", "on"]),
            Ok(ReplCommand::Trace(Switch { state: OnOff::On }))
        ));
        assert!(parse(&["nonsense"]).is_err());
        let help = parse(&["help", "webpush"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        assert!(help.to_string().contains("--delete"), "{help}");
    }
}

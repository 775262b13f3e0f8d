//! imapwebpush: a toolkit for the IMAP WEBPUSH extension
//! (draft-gougeon-imap-webpush).
//!
//! Who owns what:
//!
//! - [`webpush`]: the extension's grammar (§9): validated newtypes, the
//!   five commands, the untagged responses. Sans-I/O, shared by all.
//! - [`imap`]: the client: transport (TCP, TLS, STARTTLS), framing,
//!   response parsing (extension, then imap-proto, then raw), the session
//!   loop with literals, login and trace.
//! - [`push`]: RFC 8291/8188 crypto, VAPID sign and verify, keys, the push
//!   content reader and the draft's rules on it, captures, and the HTTP
//!   client that delivers pushes.
//! - [`endpoint`]: the axum push endpoint: verify, decrypt, one event per
//!   request.
//! - [`server`]: the reference server (`serve`): store, IMAP sessions, the
//!   push sender, faults.
//! - [`tls`]: rustls configuration on the one crypto provider, aws-lc-rs:
//!   client trust, and server identities (given or generated).
//! - [`repl`]: the interactive front end (rustyline) over the same
//!   operations, with the endpoint in the background.
//! - [`secret`]: values that never print.
//! - [`check`]: the conformance suite: a catalogue of checks as data,
//!   the runner, and its reports.
//! - [`cli`]: clap types only; [`commands`]: one module per subcommand;
//!   [`output`]: human and JSON printing of every result type.

#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod commands;
pub mod datetime;
pub mod endpoint;
pub mod exit;
#[doc(hidden)]
pub mod fuzzing;
pub mod imap;
pub mod localca;
pub mod ops;
pub mod output;
pub mod push;
pub mod repl;
pub mod rules;
pub mod secret;
pub mod server;
pub mod tls;
pub mod webpush;

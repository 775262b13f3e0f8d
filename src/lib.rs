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
//! - [`secret`]: values that never print.
//! - [`cli`]: clap types only; [`commands`]: one module per subcommand;
//!   [`output`]: human and JSON printing of every result type.

#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod endpoint;
#[doc(hidden)]
pub mod fuzzing;
pub mod imap;
pub mod output;
pub mod push;
pub mod secret;
pub mod server;
pub mod tls;
pub mod webpush;

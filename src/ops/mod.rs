//! The engine: what the subcommands, the REPL and the checker all do, as
//! operations that return values and never print. Front ends (the
//! [`crate::commands`], the REPL, `check`) resolve their options into these
//! types once, call the operations, and hand the values to a
//! [`crate::output::Printer`].
//!
//! - [`connect`]: a [`ConnectSpec`] (server, trust, user, password source,
//!   trace) that opens logged-in [`crate::imap::Session`]s;
//! - [`ext`]: the five extension commands and CAPABILITY on an open
//!   session, as typed [`ext::ExtOutcome`]s with the draft departures seen;
//! - [`endpoint`]: the keys file, starting a push endpoint, CA files;
//! - [`flow`]: the subscription flow (GETVAPID, WEBPUSH, the token push,
//!   ACKWEBPUSH, stream) as a sequence of [`flow::FlowEvent`]s;
//! - [`interrupt`]: Ctrl-C as a flag, for front ends that clean up first.

pub mod connect;
pub mod endpoint;
pub mod ext;
pub mod flow;
pub mod interrupt;

pub use connect::{ConnectSpec, Login};

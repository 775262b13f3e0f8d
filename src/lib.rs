//! imapwebpush: a toolkit for the IMAP WEBPUSH extension
//! (draft-gougeon-imap-webpush).
//!
//! One engine, several front ends. Each module, what it owns, and who
//! calls it:
//!
//! | module | owns | called by |
//! |---|---|---|
//! | [`webpush`] | the extension's grammar (§9): validated newtypes, the five commands, the untagged responses; sans-I/O | everyone |
//! | [`rules`] | [`rules::Departure`]: one variant per draft rule a peer broke, with section and level | `ops`, `push::inspect`, `check`, printers |
//! | [`imap`] | the client: transport (TCP, TLS, STARTTLS), framing, response parsing (extension, imap-proto behind a nesting guard, raw), the session with whole-operation deadlines, login, trace | `ops` |
//! | [`push`] | RFC 8291/8188 crypto, VAPID, keys, the content reader, captures, the sender's HTTP client, and [`push::inspect`]: the one pipeline every push goes through; [`push::json`] its content as JSON | `endpoint`, `commands::decode`, `server`, `check` |
//! | [`endpoint`] | the axum push endpoint: verify, decrypt (through `push::inspect`), one event per request | `ops::endpoint`, `check`, `repl`, `demo` |
//! | [`ops`] | the engine: `ConnectSpec` (options resolved once, opens sessions), the five commands and CAPABILITY on an open session as typed outcomes, starting endpoints, the subscription flow as typed events; never prints | `commands`, `repl`, `check` |
//! | [`check`] | the conformance catalogue as data, its runner and reports | `commands::check` |
//! | [`repl`] | the rustyline front end: lines parsed by the subcommands' own clap structs, run through `ops` | `commands::repl` |
//! | [`commands`] | one module per subcommand: its `Args` beside its `run`, and a dispatcher that resolves the global options once into a `Context` | `main` |
//! | [`output`] | the `Printer`, handed its writer and colour choice; transcripts; escaping of peer text | every front end |
//! | [`json`] | JSON strings written fast, byte for byte as `serde_json` writes them, and parts of one written again by copying (`push::json` writes a push's content with it) | `commands::decode`, `endpoint` |
//! | [`exit`] | exit statuses and how errors reach the user (message, causes, hint) | `commands`, `repl` |
//! | [`server`] | the reference server (`serve`): store, IMAP sessions, the push sender, faults | `commands::serve`, `demo`, tests |
//! | [`tls`], [`localca`] | rustls on the one crypto provider (aws-lc-rs): trust (webpki roots, extra roots, the local CA for loopback only) and server identities | `imap`, `endpoint`, `server`, `ops` |
//! | [`cli`] | the clap types of the top level (global options, the command list) | `main`, completions, man pages |
//! | [`secret`], [`datetime`] | values that never print; RFC 3339 and IMAP dates | anyone |
//! | `fuzzing` | the bodies of the cargo-fuzz targets, replayed by a stable test | `fuzz/`, `tests/fuzz_corpus.rs` |

#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod commands;
pub mod datetime;
#[cfg(test)]
mod differential;
pub mod endpoint;
pub mod exit;
#[doc(hidden)]
pub mod fuzzing;
pub mod imap;
pub mod json;
pub mod localca;
pub mod net;
pub mod ops;
pub mod output;
pub mod push;
pub mod repl;
pub mod rules;
pub mod secret;
pub mod server;
pub mod tls;
pub mod webpush;

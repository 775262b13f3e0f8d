//! Integration tests: one binary. They run the built `imapwebpush` (or the
//! library) against real sockets on 127.0.0.1 with ephemeral ports.

mod support;

mod check;
mod cli;
mod crosscheck;
mod decode;
mod draft_examples;
mod endpoint;
mod endpoint_load;
mod engine;
mod fuzz_corpus;
mod hostile;
mod newcomer;
mod repl;
mod robustness;
mod server;
mod tls;

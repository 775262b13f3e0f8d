//! The IMAP client: [`transport`] (server URL, TCP, TLS, STARTTLS),
//! [`framer`] (bytes into whole responses, literals included),
//! [`response`] (typed responses: the extension's, imap-proto's, raw), and
//! [`session`] (tags, the command loop, login, trace). [`auth`] finds the
//! password. The extension's grammar itself lives in [`crate::webpush`].

pub mod auth;
pub mod error;
pub mod framer;
pub mod response;
pub mod session;
pub mod transport;

pub use error::ImapError;
pub use response::{Frame, Response, Status, StatusLine, Untagged};
pub use session::{Arg, ConnectOptions, Direction, Reply, Session, Tracer};
pub use transport::{ServerAddr, TlsMode};

//! The WEBPUSH extension's own grammar (draft §9), shared by the client,
//! the reference server, the checker and the push-content parser.
//!
//! - [`types`]: validated newtypes for every field (IDs, endpoints, keys).
//! - [`command`]: the five commands, encoded for the wire and parsed back.
//! - [`response`]: the untagged responses the extension adds (VAPID,
//!   WEBPUSH, ACKWEBPUSH, SYNC, and SELECT as pushes use it).
//!
//! Everything here is sans-I/O: it turns text into types and back.

pub mod command;
pub mod response;
pub mod types;

pub use command::{Command, CommandError, Subscription};
pub use response::{ExtResponse, ParseError, SubscriptionInfo};
pub use types::{
    AckToken, AuthSecret, Endpoint, FieldError, ListPattern, P256dh, Silence, SubscriptionId,
    VapidKey,
};

//! The draft's rules, as values: [`Departure`] is one variant per rule a
//! peer broke (in the spirit of rustls' `PeerMisbehaved`), each with the
//! section it comes from and its [`Level`]. The client's answers
//! ([`crate::ops::ext`]), the subscription flow ([`crate::ops::flow`]) and
//! the push pipeline ([`crate::push::inspect`]) produce them; they become
//! text only at the output edge (their `Display`, or a JSON string), and
//! `check` turns them into results.

use std::fmt;

use serde::Serialize;

use crate::push::content::Warning;
use crate::push::vapid::Finding;

/// How strongly the draft (or an RFC it builds on) asks for something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Must,
    Should,
    May,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Must => "MUST",
            Self::Should => "SHOULD",
            Self::May => "MAY",
        })
    }
}

/// A rule of the draft, RFC 8291 or RFC 8292 that a server broke, as seen
/// from the client side (its IMAP answers and the pushes it sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Departure {
    /// §5.1: GETVAPID answered OK without a `* VAPID` response.
    GetVapidWithoutVapid,
    /// §5.1, §5.2: more than one `* VAPID` response to one command.
    SeveralVapid { count: usize },
    /// §5.2: a new or changed subscription without `* WEBPUSH <id> … NIL`.
    NoInactiveWebPush { id: String },
    /// §5.2: a new or changed subscription without `* VAPID`.
    NoVapidOnWebPush { id: String },
    /// §5.2: a subscription shown active right after it was created or
    /// changed, before any ACKWEBPUSH: the defence against flooding a
    /// third party's endpoint is gone.
    ActiveBeforeAck { id: String },
    /// §5.2: a WEBPUSH response with an endpoint that is not https.
    NonHttpsEndpoint { id: String },
    /// §5.3: ACKWEBPUSH answered OK but no `* WEBPUSH <id> … 0` showed the
    /// subscription active.
    AckNotActive { id: String },
    /// RFC 9051 §7.2.1 (ENABLE): a capability asked for was not enabled.
    NotEnabled { capability: String },
    /// A response that does not follow the grammar (RFC 9051 §9, draft §9).
    Malformed { detail: String },
    /// A rule broken by a push's content or §7.2 headers.
    Push(Warning),
    /// A rule of RFC 8292 broken by a push's VAPID credentials.
    Vapid(Finding),
}

impl Departure {
    /// The section of the draft (or `RFC NNNN §x`) the rule comes from.
    pub fn section(&self) -> &'static str {
        match self {
            Self::GetVapidWithoutVapid | Self::SeveralVapid { .. } => "5.1",
            Self::NoInactiveWebPush { .. }
            | Self::NoVapidOnWebPush { .. }
            | Self::ActiveBeforeAck { .. }
            | Self::NonHttpsEndpoint { .. } => "5.2",
            Self::AckNotActive { .. } => "5.3",
            Self::NotEnabled { .. } => "RFC 9051 §6.3.1",
            Self::Malformed { .. } => "9",
            Self::Push(w) => w.section(),
            Self::Vapid(f) => f.section(),
        }
    }

    /// MUST, SHOULD or MAY.
    pub fn level(&self) -> Level {
        match self {
            Self::Push(w) => w.level(),
            Self::Vapid(f) => f.level(),
            Self::NotEnabled { .. } => Level::May,
            _ => Level::Must,
        }
    }
}

impl fmt::Display for Departure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GetVapidWithoutVapid => {
                f.write_str("the server sent no VAPID response (draft §5.1: it MUST)")
            }
            Self::SeveralVapid { count } => {
                write!(f, "{count} VAPID responses; the draft asks for a single one")
            }
            Self::NoInactiveWebPush { .. } => f.write_str(
                "no `* WEBPUSH <id> <endpoint> NIL` response (draft §5.2: MUST for an inactive subscription)",
            ),
            Self::NoVapidOnWebPush { .. } => f.write_str(
                "no `* VAPID` response to WEBPUSH (draft §5.2: MUST for an inactive subscription)",
            ),
            Self::ActiveBeforeAck { id } => write!(
                f,
                "subscription {id} is active before ACKWEBPUSH (draft §5.2: new and changed subscriptions MUST wait for the confirmation)"
            ),
            Self::NonHttpsEndpoint { id } => write!(
                f,
                "subscription {id} has a non-https endpoint (draft §5.2: it MUST be https)"
            ),
            Self::AckNotActive { .. } => f.write_str(
                "ACKWEBPUSH answered OK but no `* WEBPUSH <id> … 0` showed it active (draft §5.3)",
            ),
            Self::NotEnabled { capability } => {
                write!(f, "ENABLE {capability}: the server did not enable it")
            }
            Self::Malformed { detail } => f.write_str(detail),
            Self::Push(w) => w.fmt(f),
            Self::Vapid(v) => write!(f, "VAPID: {v}"),
        }
    }
}

/// Departures print as their sentence in JSON too (the `warnings` arrays of
/// PRODUCT.md are strings).
impl Serialize for Departure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Warning {
    /// The section of the draft the content rule comes from.
    pub fn section(&self) -> &'static str {
        match self {
            Self::TooLong { .. } | Self::NoSelectBefore { .. } => "7.1",
            Self::Ttl { .. } | Self::Urgency { .. } | Self::Topic { .. } => "7.2",
            Self::Unparsed { .. } | Self::NotUtf8 | Self::Empty | Self::Other(_) => "9",
        }
    }

    pub fn level(&self) -> Level {
        match self {
            Self::Ttl { .. } | Self::Urgency { .. } | Self::Topic { .. } => Level::Should,
            _ => Level::Must,
        }
    }
}

impl Finding {
    /// The section of RFC 8292 (or 8030) the VAPID rule comes from.
    pub fn section(&self) -> &'static str {
        match self {
            Self::Missing => "RFC 8292 §4",
            Self::Malformed { .. } | Self::WrongAlgorithm { .. } | Self::BadSignature => {
                "RFC 8292 §2"
            }
            Self::WrongKey { .. } => "RFC 8292 §4.2",
            Self::WrongAudience { .. } | Self::Expired { .. } | Self::ExpTooFar { .. } => {
                "RFC 8292 §2"
            }
            Self::MissingSub | Self::BadSub { .. } => "RFC 8292 §2.1",
        }
    }

    pub fn level(&self) -> Level {
        match self {
            Self::MissingSub | Self::BadSub { .. } => Level::Should,
            _ => Level::Must,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departures_carry_their_section_and_level() {
        let d = Departure::GetVapidWithoutVapid;
        assert_eq!((d.section(), d.level()), ("5.1", Level::Must));
        let d = Departure::Push(Warning::Ttl { ttl: Some(60) });
        assert_eq!((d.section(), d.level()), ("7.2", Level::Should));
        let d = Departure::Vapid(Finding::MissingSub);
        assert_eq!(d.level(), Level::Should);
        assert_eq!(
            serde_json::to_string(&Departure::SeveralVapid { count: 2 }).unwrap(),
            "\"2 VAPID responses; the draft asks for a single one\""
        );
    }
}
